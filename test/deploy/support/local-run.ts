/**
 * Turns a rendered Deployment into a local process: its container's command, arguments and
 * environment exactly as the manifests say (envFrom ConfigMaps and Secrets, fieldRefs,
 * `$(VAR)` references), the image's working directory mapped to this checkout, and only the
 * in-cluster addresses replaced by the caller's local ones.
 */
import { join } from 'node:path';
import { REPO_ROOT } from '@portico/local-stack';
import type { KubeDoc } from './manifests.ts';
import { dockerfileNameFor, lastOf, readDockerfile } from './dockerfile.ts';
import { podTemplates, resolvePort, type Container, type PodTemplate } from './pods.ts';

export interface LocalPlan {
  template: PodTemplate;
  container: Container;
  /** The environment the manifests give the container (before local overrides). */
  manifestEnv: Record<string, string>;
  command: string;
  args: string[];
  /** The image's WORKDIR, mapped to this checkout. */
  cwd: string;
  /** The readiness probe's HTTP path and container port. */
  readiness: { path: string; port: number };
  /** The user the pod runs as (securityContext). */
  runAs: { uid: number; gid: number } | undefined;
}

function configData(docs: readonly KubeDoc[], kind: 'ConfigMap' | 'Secret', name: string) {
  const doc = docs.find((d) => d.kind === kind && d.metadata.name === name);
  if (!doc) throw new Error(`${kind}/${name} is not in the rendered manifests`);
  const plain = (kind === 'Secret' ? doc.stringData : doc.data) as Record<string, string>;
  const encoded = kind === 'Secret' ? ((doc.data as Record<string, string>) ?? {}) : {};
  const decoded = Object.fromEntries(
    Object.entries(encoded).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
  return { ...decoded, ...plain };
}

/** Kubernetes' `$(VAR)` expansion; `$$(VAR)` escapes; unknown references stay as written. */
export function expandReferences(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name?: string) =>
    match === '$$' ? '$' : name !== undefined && name in env ? (env[name] ?? '') : match,
  );
}

function fieldValue(owner: KubeDoc, podName: string, fieldPath: string): string {
  switch (fieldPath) {
    case 'metadata.name':
      return podName;
    case 'metadata.namespace':
      return owner.metadata.namespace ?? 'default';
    default:
      throw new Error(`fieldRef ${fieldPath} has no local equivalent yet`);
  }
}

/** The container's environment, resolved in the order Kubernetes applies it. */
export function resolveEnv(
  docs: readonly KubeDoc[],
  template: PodTemplate,
  container: Container,
  podName: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef)
      Object.assign(env, configData(docs, 'ConfigMap', source.configMapRef.name));
    if (source.secretRef) Object.assign(env, configData(docs, 'Secret', source.secretRef.name));
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (from?.fieldRef)
      env[variable.name] = fieldValue(template.owner, podName, from.fieldRef.fieldPath);
    else if (from?.configMapKeyRef)
      env[variable.name] =
        configData(docs, 'ConfigMap', from.configMapKeyRef.name)[from.configMapKeyRef.key] ?? '';
    else if (from?.secretKeyRef)
      env[variable.name] =
        configData(docs, 'Secret', from.secretKeyRef.name)[from.secretKeyRef.key] ?? '';
    else env[variable.name] = expandReferences(variable.value ?? '', env);
  }
  return env;
}

/** Builds the local plan of a Deployment's single container. */
export async function planLocalRun(
  docs: readonly KubeDoc[],
  deployment: string,
): Promise<LocalPlan> {
  const template = podTemplates(docs).find(
    (t) => t.owner.kind === 'Deployment' && t.owner.metadata.name === deployment,
  );
  if (!template) throw new Error(`no Deployment ${deployment}`);
  const [container, ...others] = template.spec.containers;
  if (!container || others.length > 0)
    throw new Error(
      `${deployment}: expected one container, found ${template.spec.containers.length}`,
    );
  const dockerfileName = dockerfileNameFor(container.image);
  if (!dockerfileName) throw new Error(`${deployment}: no Dockerfile for image ${container.image}`);
  const workdir = lastOf(await readDockerfile(dockerfileName), 'WORKDIR');
  if (!workdir) throw new Error(`${dockerfileName} sets no WORKDIR`);
  const manifestEnv = resolveEnv(docs, template, container, `${deployment}-local-0`);
  const mapPath = (arg: string) =>
    arg === workdir || arg.startsWith(`${workdir}/`)
      ? join(REPO_ROOT, arg.slice(workdir.length + 1))
      : arg;
  const argv = [...(container.command ?? []), ...(container.args ?? [])].map((arg) =>
    mapPath(expandReferences(arg, manifestEnv)),
  );
  const [command, ...args] = argv;
  if (!command) throw new Error(`${deployment}: the manifest sets no command`);
  const probe = container.readinessProbe?.httpGet;
  const port = probe ? resolvePort(container, probe.port) : undefined;
  if (!probe?.path || port === undefined) throw new Error(`${deployment}: no HTTP readiness probe`);
  const sc = { ...template.spec.securityContext, ...container.securityContext };
  return {
    template,
    container,
    manifestEnv,
    // The image's `node` is Node 24; so is the one running this test.
    command: command === 'node' ? process.execPath : command,
    args,
    cwd: REPO_ROOT,
    readiness: { path: probe.path, port },
    runAs:
      sc.runAsUser === undefined
        ? undefined
        : { uid: sc.runAsUser, gid: sc.runAsGroup ?? sc.runAsUser },
  };
}

/** The mount path of the emptyDir volume that holds `path`, if any. */
export function writableMountFor(plan: LocalPlan, path: string): string | undefined {
  const emptyDirs = new Set(
    (plan.template.spec.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name),
  );
  return (plan.container.volumeMounts ?? [])
    .filter((m) => emptyDirs.has(m.name) && !m.readOnly)
    .map((m) => m.mountPath)
    .find((mount) => path === mount || path.startsWith(`${mount}/`));
}
