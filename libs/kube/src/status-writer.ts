/**
 * The thin status writer (style point 6): the pure core computes the desired status; this
 * reads the object fresh, lets the caller merge into the current status, writes only when the
 * status changed, and retries optimistic-concurrency conflicts with bounded backoff.
 */
import { isConflict, isNotFound, type KubeObject, type KubeRest } from './rest.ts';
import { objectPath, type ResourceType } from './resources.ts';

export type StatusWriteResult = 'written' | 'unchanged' | 'not-found';

/**
 * @param nextStatus given the object as the API server has it now, returns its new status, or
 *   `undefined` when nothing needs to change.
 */
export async function writeStatus(
  rest: KubeRest,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  nextStatus: (current: KubeObject) => unknown,
  options: { maxAttempts?: number; backoffMs?: number } = {},
): Promise<StatusWriteResult> {
  const maxAttempts = options.maxAttempts ?? 6;
  const backoffMs = options.backoffMs ?? 20;
  const path = objectPath(type, namespace, name);
  for (let attempt = 1; ; attempt++) {
    let current: KubeObject;
    try {
      current = await rest.request<KubeObject>('GET', path);
    } catch (error) {
      if (isNotFound(error)) return 'not-found';
      throw error;
    }
    const status = nextStatus(current);
    if (status === undefined) return 'unchanged';
    try {
      await rest.request('PUT', `${path}/status`, { body: { ...current, status } });
      return 'written';
    } catch (error) {
      if (isNotFound(error)) return 'not-found';
      if (!isConflict(error) || attempt >= maxAttempts) throw error;
      const jitter = Math.random() * backoffMs;
      await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1) + jitter));
    }
  }
}
