/**
 * A container's environment as a kubelet resolves it: plain values with `$(VAR)` expansion,
 * `fieldRef` (pod name and namespace), and `secretKeyRef`/`configMapKeyRef` read from the API
 * server. The local kubelet runs provisioned data planes with it.
 */
import { objectPath, RESOURCES, type KubeObject, type KubeRest } from '@portico/kube';

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}

/** Kubernetes' `$(VAR)` expansion; `$$` escapes; unknown references stay as written. */
function expand(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name?: string) =>
    match === '$$' ? '$' : name !== undefined && name in env ? (env[name] ?? '') : match,
  );
}

async function keyOf(
  rest: KubeRest,
  kind: 'Secret' | 'ConfigMap',
  namespace: string,
  ref: { name: string; key: string },
): Promise<string> {
  const type =
    kind === 'Secret' ? RESOURCES.Secret : { ...RESOURCES.Secret, kind, plural: 'configmaps' };
  const object = await rest.request<KubeObject>('GET', objectPath(type, namespace, ref.name));
  const data = (object.data ?? {}) as Record<string, string>;
  const raw = data[ref.key];
  if (raw === undefined) throw new Error(`${kind} ${namespace}/${ref.name} has no key ${ref.key}`);
  return kind === 'Secret' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}

export async function resolvePodEnv(
  rest: KubeRest,
  pod: { namespace: string; name: string },
  vars: readonly EnvVar[],
): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const v of vars) {
    const from = v.valueFrom;
    if (from?.fieldRef) {
      const path = from.fieldRef.fieldPath;
      if (path === 'metadata.name') env[v.name] = pod.name;
      else if (path === 'metadata.namespace') env[v.name] = pod.namespace;
      else throw new Error(`fieldRef ${path} is not supported by the local kubelet`);
    } else if (from?.secretKeyRef) {
      env[v.name] = await keyOf(rest, 'Secret', pod.namespace, from.secretKeyRef);
    } else if (from?.configMapKeyRef) {
      env[v.name] = await keyOf(rest, 'ConfigMap', pod.namespace, from.configMapKeyRef);
    } else env[v.name] = expand(v.value ?? '', env);
  }
  return env;
}
