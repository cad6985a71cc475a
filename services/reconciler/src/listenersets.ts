/**
 * ListenerSet statuses in a Gateway's reconcile: the sets naming the Gateway are written here
 * (a set's status depends on its Gateway: admission, merged conflicts, Programmed), each read
 * fresh and merged like the Gateway's own, written only when it changed.
 */
import type { Graph } from '@portico/graph';
import { RESOURCES, writeStatus, type KubeObject, type KubeRest } from '@portico/kube';
import { listenerSetStatuses, type GatewayStatusOptions } from '@portico/status';
import { forEachLimited } from './parallel.ts';

const LANES = 8;

/** The graph with one set's status replaced by what the API server has now. */
function withFreshStatus(graph: Graph, key: string, setKey: string, fresh: KubeObject): Graph {
  const gateway = graph.gateways.get(key);
  if (gateway === undefined) return graph;
  const listenerSets = (gateway.listenerSets ?? []).map((s) =>
    s.key === setKey ? { ...s, source: { ...s.source, status: fresh.status as never } } : s,
  );
  return { ...graph, gateways: new Map([[key, { ...gateway, listenerSets }]]) };
}

export async function writeListenerSetStatuses(
  graph: Graph,
  key: string,
  options: GatewayStatusOptions,
  deps: { rest: KubeRest; now: () => Date },
): Promise<void> {
  const stale = listenerSetStatuses(graph, key, options).filter((s) => s.changed);
  await forEachLimited(stale, LANES, (set) =>
    writeStatus(deps.rest, RESOURCES.ListenerSet, set.namespace, set.name, (fresh) => {
      const setKey = `${set.namespace ?? ''}/${set.name}`;
      const view = withFreshStatus(graph, key, setKey, fresh);
      const result = listenerSetStatuses(view, key, { ...options, now: deps.now() }).find(
        (s) => `${s.namespace ?? ''}/${s.name}` === setKey,
      );
      return result?.changed ? result.status : undefined;
    }),
  );
}
