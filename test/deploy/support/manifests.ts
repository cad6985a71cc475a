/**
 * Rendering `deploy/` with the real `kubectl kustomize` and reading the result as plain objects,
 * with the few lookups every manifest test needs (by kind and name, a Deployment's containers).
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '@portico/local-stack';

/** One rendered Kubernetes object, as kustomize printed it. */
export interface KubeDoc {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export const DEPLOY_DIR = join(REPO_ROOT, 'deploy');

/** The namespace every namespaced Portico object lives in. */
export const PORTICO_NAMESPACE = 'portico-system';

/** `deploy/default` and every overlay: what a user can `kubectl apply -k`. */
export function installableKustomizations(): string[] {
  const overlays = readdirSync(join(DEPLOY_DIR, 'overlays'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join('overlays', entry.name))
    .sort();
  return ['default', ...overlays];
}

/** Runs `kubectl kustomize <deploy/dir>` and parses every document it prints. */
export async function renderKustomization(dir: string): Promise<KubeDoc[]> {
  // stdout alone (warnings go to stderr), whole: the output is larger than a log tail.
  const { stdout } = await promisify(execFile)('kubectl', ['kustomize', join(DEPLOY_DIR, dir)], {
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return parseAllDocuments(stdout)
    .map((doc) => doc.toJS() as KubeDoc | null)
    .filter((doc): doc is KubeDoc => doc !== null);
}

export function findDoc(docs: readonly KubeDoc[], kind: string, name: string): KubeDoc | undefined {
  return docs.find((doc) => doc.kind === kind && doc.metadata.name === name);
}

export function mustFind(docs: readonly KubeDoc[], kind: string, name: string): KubeDoc {
  const doc = findDoc(docs, kind, name);
  if (!doc) throw new Error(`no ${kind} ${name} in the rendered manifests`);
  return doc;
}

/** A label selector's `matchLabels`/`matchExpressions`, as the API defines them. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** Whether `labels` satisfy `selector` (In, NotIn, Exists, DoesNotExist). */
export function selects(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    switch (e.operator) {
      case 'In':
        return value !== undefined && (e.values ?? []).includes(value);
      case 'NotIn':
        return value === undefined || !(e.values ?? []).includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        throw new Error(`unknown selector operator ${e.operator}`);
    }
  });
  return byLabels && byExpressions;
}
