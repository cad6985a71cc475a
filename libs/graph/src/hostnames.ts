/**
 * Hostname matching between listeners and routes (Gateway API: a wildcard `*.` matches one
 * or more labels on the left, never the bare suffix; served names are the intersection).
 */

/** Whether `name` (exact) is matched by `pattern` (exact or `*.` wildcard). */
export function hostnameMatches(pattern: string, name: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === name;
  const suffix = pattern.slice(1); // ".example.com"
  return name.length > suffix.length && name.endsWith(suffix);
}

/**
 * The hostname served when a route hostname meets a listener hostname, or undefined when they
 * do not intersect. An absent listener hostname matches everything. Between two wildcards the
 * more specific one is the intersection (`*.a.example.com` ∩ `*.example.com`).
 */
export function intersectHostnames(
  listener: string | undefined,
  route: string,
): string | undefined {
  if (listener === undefined || listener === route) return route;
  const lw = listener.startsWith('*.');
  const rw = route.startsWith('*.');
  if (!lw && !rw) return undefined;
  if (lw && !rw) return hostnameMatches(listener, route) ? route : undefined;
  if (!lw && rw) return hostnameMatches(route, listener) ? listener : undefined;
  // Both wildcards: the longer one is the intersection if it sits under the shorter one.
  const [long, short] = listener.length >= route.length ? [listener, route] : [route, listener];
  return hostnameMatches(short, long.slice(2)) ? long : undefined;
}

/**
 * The names a route serves on a listener: `*` (any host) when neither side names one, the
 * listener's when the route has none, else each intersection, sorted and de-duplicated.
 */
export function servedHostnames(listener: string | undefined, route: readonly string[]): string[] {
  if (route.length === 0) return [listener ?? '*'];
  const served = route
    .map((name) => intersectHostnames(listener, name))
    .filter((name): name is string => name !== undefined);
  return [...new Set(served)].sort();
}
