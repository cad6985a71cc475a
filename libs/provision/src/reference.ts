/**
 * Following a `parametersRef` to a GatewayParameters object. Only our kind is understood;
 * anything else, a missing object, or invalid content is `InvalidParameters` with a message
 * that says which (the spec asks for that reason in each of these cases).
 */
import { parseParameters, type ParametersResult } from './parameters.ts';

export const PARAMETERS_GROUP = 'portico.dev';
export const PARAMETERS_KIND = 'GatewayParameters';

/** The parts of a stored GatewayParameters object that are read. */
export interface GatewayParametersObject {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: unknown;
}

export interface ParametersRef {
  group: string;
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * Resolves a reference. `localNamespace` is the Gateway's namespace for a Gateway's
 * (namespace-local) reference, undefined for a GatewayClass's, which must name a namespace
 * because GatewayParameters are namespaced.
 */
export function resolveParametersRef(
  ref: ParametersRef,
  localNamespace: string | undefined,
  objects: readonly GatewayParametersObject[],
): ParametersResult {
  const what = `parametersRef ${ref.group}/${ref.kind} ${ref.name}`;
  if (ref.group !== PARAMETERS_GROUP || ref.kind !== PARAMETERS_KIND) {
    return {
      ok: false,
      message: `${what}: only ${PARAMETERS_GROUP}/${PARAMETERS_KIND} is supported`,
    };
  }
  const namespace = localNamespace ?? ref.namespace;
  if (namespace === undefined || namespace === '') {
    return {
      ok: false,
      message: `${what}: a namespace is required (${PARAMETERS_KIND} objects are namespaced)`,
    };
  }
  const found = objects.find(
    (o) => o.metadata.name === ref.name && (o.metadata.namespace ?? '') === namespace,
  );
  if (!found) return { ok: false, message: `${what} not found in namespace ${namespace}` };
  const parsed = parseParameters(found.spec);
  if (!parsed.ok) return { ok: false, message: `${what} is invalid: ${parsed.message}` };
  return parsed;
}
