/**
 * Informers over raw JSON: `@kubernetes/client-node`'s ListWatch (list, then watch from the
 * list's resourceVersion, relist on 410 or error, reporting deletes found by the relist), fed by
 * our raw list call so listed and watched objects have the same plain-JSON shape.
 */
import {
  makeInformer,
  type Informer,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
} from '@kubernetes/client-node';
import type { KubeList, KubeObject, KubeRest } from './rest.ts';
import { collectionPath, type ResourceType } from './resources.ts';

type Callback = (object: KubeObject) => void;

/** The parts of client-node's informer Portico uses, typed with our plain-JSON objects. */
export interface KubeInformer {
  on(event: 'add' | 'update' | 'delete', callback: Callback): void;
  on(event: 'error' | 'connect', callback: (error?: unknown) => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  list(namespace?: string): readonly KubeObject[];
}

type ClientInformer = Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

export function createInformer(rest: KubeRest, type: ResourceType): KubeInformer {
  const path = collectionPath(type);
  const list = async () => {
    const result = await rest.request<KubeList<KubeObject>>('GET', path);
    return {
      ...result,
      items: result.items.map((item) => ({
        ...item,
        apiVersion: item.apiVersion,
        kind: type.kind,
      })),
    };
  };
  // client-node types metadata timestamps as Date; ours stay the API server's JSON strings.
  const informer = makeInformer<KubernetesObject>(
    rest.config,
    path,
    list as unknown as () => Promise<KubernetesListObject<KubernetesObject>>,
  );
  return informer satisfies ClientInformer as unknown as KubeInformer;
}
