/**
 * What a user sees: answers through NGINX (a real HTTP client, one connection per request) and
 * the conditions the controller wrote. Tests wait for an observable state, never for time.
 */
import { objectPath, RESOURCES, type KubeObject, type KubeRest } from '@portico/kube';
import { httpGet, waitFor, type HttpResponse } from '@portico/testing';

/** The fields of the echo answer the scenarios look at. */
export interface EchoAnswer {
  namespace: string;
  pod: string;
  service: string;
  path: string;
  host: string;
}

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
}

/** A response, or the connection error text (NGINX may be between reloads). */
export type Answer = { status: number; pod?: string; body: string } | { error: string };

/** `GET path` with `Host: host` at a listener URL; never throws. */
export async function ask(base: string, host: string, path = '/'): Promise<Answer> {
  let response: HttpResponse;
  try {
    response = await httpGet(`${base}${path}`, { headers: { host } });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  return { status: response.status, body: response.body, ...podOf(response) };
}

function podOf(response: HttpResponse): { pod?: string } {
  if (response.status !== 200) return {};
  try {
    return { pod: response.json<EchoAnswer>().pod };
  } catch {
    return {};
  }
}

/** A compact form of an answer for `expect` and timeout messages: `200 blue-1`, `404`. */
export function summary(answer: Answer): string {
  if ('error' in answer) return `error: ${answer.error}`;
  return answer.pod === undefined ? String(answer.status) : `${answer.status} ${answer.pod}`;
}

/** Waits until `GET path` with `Host: host` answers `expected` (as {@link summary} writes it). */
export function waitForAnswer(
  base: string,
  host: string,
  path: string,
  expected: string,
  timeoutMs = 30_000,
): Promise<string> {
  return waitFor(async () => summary(await ask(base, host, path)), {
    description: `GET ${path} (Host: ${host}) to answer "${expected}"`,
    until: (value) => value === expected,
    timeoutMs,
    intervalMs: 100,
  });
}

/** Sends `count` requests one after another and counts the answers by summary. */
export async function tally(
  base: string,
  host: string,
  path: string,
  count: number,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const key = summary(await ask(base, host, path));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The conditions of a Gateway. */
export async function gatewayConditions(
  rest: KubeRest,
  namespace: string,
  name: string,
): Promise<Condition[]> {
  const gateway = await rest.request<KubeObject>(
    'GET',
    objectPath(RESOURCES.Gateway, namespace, name),
  );
  return (gateway.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
}

/** The conditions of an HTTPRoute for the parent Gateway `gateway` (`<ns>/<name>`). */
export async function routeConditions(
  rest: KubeRest,
  namespace: string,
  name: string,
  gateway: string,
): Promise<Condition[]> {
  const route = await rest.request<KubeObject>(
    'GET',
    objectPath(RESOURCES.HTTPRoute, namespace, name),
  );
  const parents =
    (
      route.status as
        | {
            parents?: Array<{
              parentRef: { name: string; namespace?: string };
              conditions?: Condition[];
            }>;
          }
        | undefined
    )?.parents ?? [];
  const parent = parents.find(
    (p) => `${p.parentRef.namespace ?? namespace}/${p.parentRef.name}` === gateway,
  );
  return parent?.conditions ?? [];
}

/** `type=status/reason` of one condition, or `type missing`: one string to compare and print. */
export function conditionState(conditions: Condition[], type: string): string {
  const found = conditions.find((c) => c.type === type);
  return found ? `${type}=${found.status}/${found.reason}` : `${type} missing`;
}

/** Waits until `read()` has condition `type` in the state `expected` (`Type=Status/Reason`). */
export async function waitForCondition(
  read: () => Promise<Condition[]>,
  type: string,
  expected: string,
  timeoutMs = 30_000,
): Promise<Condition> {
  const conditions = await waitFor(read, {
    description: `condition ${expected}`,
    until: (value) => conditionState(value, type) === expected,
    timeoutMs,
    intervalMs: 200,
  });
  const found = conditions.find((c) => c.type === type);
  if (!found) throw new Error(`condition ${type} vanished`);
  return found;
}
