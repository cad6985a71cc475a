/**
 * BackendTLSPolicy status writes for one Gateway key: our `status.ancestors` entry for the
 * Gateway, computed from the snapshot to see which look stale, then merged into the policy as
 * the API server has it at write time (another Gateway's reconcile may have written its own
 * entry meanwhile; the watcher does not mirror status-only changes).
 */
import type { Graph } from '@portico/graph';
import { RESOURCES, writeStatus, type KubeObject, type KubeRest } from '@portico/kube';
import { backendTlsPolicyStatuses } from '@portico/status';

export async function writeBackendTlsPolicyStatuses(
  graph: Graph,
  key: string,
  now: () => Date,
  rest: KubeRest,
): Promise<void> {
  const stale = backendTlsPolicyStatuses(graph, key, now()).filter((s) => s.changed);
  for (const { namespace, name } of stale) {
    await writeStatus(rest, RESOURCES.BackendTLSPolicy, namespace, name, (fresh) =>
      freshPolicyStatus(graph, key, `${namespace ?? ''}/${name}`, fresh, now()),
    );
  }
}

/** The policy's new status merged into `fresh`, or undefined when nothing changes. */
export function freshPolicyStatus(
  graph: Graph,
  key: string,
  policyKey: string,
  fresh: KubeObject,
  now: Date,
): unknown {
  const node = graph.backendTlsPolicies?.get(policyKey);
  if (node === undefined) return undefined;
  const source = { ...node.source, status: fresh.status } as typeof node.source;
  const view: Graph = {
    ...graph,
    backendTlsPolicies: new Map([[policyKey, { ...node, source }]]),
  };
  const [result] = backendTlsPolicyStatuses(view, key, now);
  return result?.changed ? result.status : undefined;
}
