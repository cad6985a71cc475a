// The manifests are not dead text: the watcher and reconciler Deployments of the rendered
// deploy/default are started as local processes with their containers' command, arguments and
// environment (the image's workdir mapped to this checkout, as the pod's user when the runner is
// root), against a real Redis and the API emulator; only in-cluster addresses are replaced. The
// reconciler then provisions the seed Gateway's data plane in the emulator, and that Deployment
// is started the same way (with its Secret's Redis URL). The seed example must be served.
import { chmod, chown, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@portico/kube-emulator';
import { KubeRest, objectPath, RESOURCES, type KubeObject, type ResourceType } from '@portico/kube';
import { kubectlOk, SEED_DIR, writeEndpointSlice } from '@portico/local-stack';
import {
  freePorts,
  httpGet,
  makeTempDir,
  removeTempDir,
  spawnManaged,
  startEcho,
  startRedis,
  StopWaiting,
  waitFor,
  type ManagedProcess,
  type RunningEcho,
  type RunningRedis,
} from '@portico/testing';
import { mustFind, renderKustomization, type KubeDoc } from './support/manifests.ts';
import { planLocalRun, writableMountFor, type LocalPlan } from './support/local-run.ts';
import { resolvePort } from './support/pods.ts';

const DEPLOYMENTS = ['portico-watcher', 'portico-reconciler'] as const;
/** The data plane the reconciler provisions for the seed Gateway `default/my-gateway`. */
const DATA_PLANE = 'portico-my-gateway';

interface Seed {
  listenerPort: number;
  hostname: string;
  service: string;
  portName: string;
}

async function readSeed(): Promise<Seed> {
  const read = async <T>(file: string) => parse(await readFile(join(SEED_DIR, file), 'utf8')) as T;
  const gateway = await read<{ spec: { listeners: Array<{ port: number }> } }>('gateway.yaml');
  const route = await read<{ spec: { hostnames: string[] } }>('httproute.yaml');
  const service = await read<{
    metadata: { name: string };
    spec: { ports: Array<{ name: string }> };
  }>('service.yaml');
  return {
    listenerPort: gateway.spec.listeners[0]?.port ?? NaN,
    hostname: route.spec.hostnames[0] ?? '',
    service: service.metadata.name,
    portName: service.spec.ports[0]?.name ?? '',
  };
}

/** As root, run as the pod's user; otherwise as whoever runs the tests. */
const runAsPodUser = process.getuid?.() === 0;

describe('deploy/default, run locally from its rendered Deployments', () => {
  const cleanups: Array<() => Promise<void>> = [];
  const running = new Map<
    string,
    { plan: LocalPlan; process: ManagedProcess; env: Record<string, string> }
  >();
  let docs: KubeDoc[] = [];
  let seed: Seed;
  let tmp: string;
  let redis: RunningRedis;
  let emulator: Emulator;
  let rest: KubeRest;
  let echo: RunningEcho;
  let listenerUrl: string;
  let provisioned: KubeDoc;
  let provisionedService: KubeDoc;

  beforeAll(async () => {
    docs = await renderKustomization('default');
    seed = await readSeed();
    tmp = await makeTempDir('deploy-run');
    cleanups.push(() => removeTempDir(tmp));
    await chmod(tmp, 0o755);
    redis = await startRedis();
    cleanups.push(() => redis.stop());
    emulator = await startEmulator({ port: 0 });
    cleanups.push(() => emulator.close());
    const adminKubeconfig = join(tmp, 'admin.kubeconfig');
    await emulator.writeKubeconfig(adminKubeconfig);
    rest = KubeRest.fromPath(adminKubeconfig);
    // The install's own Namespace: the watcher's Lease lives there.
    const namespaceFile = join(tmp, 'namespace.yaml');
    await writeFile(namespaceFile, stringify(mustFind(docs, 'Namespace', 'portico-system')));
    await kubectlOk(adminKubeconfig, ['apply', '-f', namespaceFile]);

    const [listener, statusPort, dataPlaneOps, ...opsPorts] = await freePorts(
      3 + DEPLOYMENTS.length,
    );
    listenerUrl = `http://127.0.0.1:${listener}/`;
    /** Starts one Deployment's container as a local process, with local addresses. */
    const start = async (
      deployment: string,
      sources: readonly KubeDoc[],
      local: (plan: LocalPlan, dir: string) => Record<string, string>,
    ): Promise<void> => {
      const plan = await planLocalRun(sources, deployment);
      const owner = runAsPodUser ? plan.runAs : undefined;
      const dir = join(tmp, deployment);
      await mkdir(dir);
      const kubeconfig = join(dir, 'kubeconfig');
      await copyFile(adminKubeconfig, kubeconfig);
      // The pod's /tmp is an emptyDir of its own: so is this process's temp directory (on a
      // shared machine, /tmp holds other users' directories the pod user cannot write in).
      const podTmp = writableMountFor(plan, '/tmp') === '/tmp' ? join(dir, 'tmp') : undefined;
      if (podTmp) await mkdir(podTmp);
      for (const path of [dir, kubeconfig, ...(podTmp ? [podTmp] : [])])
        if (owner) await chown(path, owner.uid, owner.gid);
      const env: Record<string, string> = {
        ...plan.manifestEnv,
        ...local(plan, dir),
        ...(podTmp ? { TMPDIR: podTmp } : {}),
        KUBECONFIG: kubeconfig,
      };
      const process_ = spawnManaged(plan.command, plan.args, {
        name: deployment,
        cwd: plan.cwd,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
        uid: owner?.uid,
        gid: owner?.gid,
      });
      cleanups.push(
        async () => void (await process_.stop({ signal: 'SIGTERM', timeoutMs: 10_000 })),
      );
      running.set(deployment, { plan, process: process_, env });
      await waitFor(
        async () => {
          if (!process_.running())
            throw new StopWaiting(`${deployment} exited:\n${process_.output()}`);
          const url = `http://127.0.0.1:${env.PORTICO_OPS_PORT}${plan.readiness.path}`;
          return (await httpGet(url).catch(() => undefined))?.status === 200;
        },
        { description: `${deployment} to pass its readiness probe`, timeoutMs: 45_000 },
      );
    };
    // In-cluster addresses, replaced; every other variable is the manifest's.
    await Promise.all(
      DEPLOYMENTS.map((deployment, i) =>
        start(deployment, docs, () => ({
          REDIS_URL: redis.url,
          ...(deployment === 'portico-reconciler'
            ? { PORTICO_DATAPLANE_REDIS_URL: redis.url }
            : {}),
          PORTICO_OPS_PORT: String(opsPorts[i]),
        })),
      ),
    );

    echo = await startEcho({ namespace: 'default', pod: 'httpbin-local-1', service: seed.service });
    cleanups.push(() => echo.stop());
    await kubectlOk(adminKubeconfig, ['apply', '-f', SEED_DIR]);
    await writeEndpointSlice(rest, {
      namespace: 'default',
      service: seed.service,
      portName: seed.portName,
      endpoints: [{ address: '127.0.0.1', port: echo.port }],
    });

    // The cluster's part: run the Deployment the reconciler provisioned, with its Secret.
    const fromApi = async (type: ResourceType, name: string) =>
      rest.request<KubeDoc>('GET', objectPath(type, 'default', name));
    // The Service is written after the Deployment: wait for both.
    [provisioned, provisionedService] = await waitFor(
      () =>
        Promise.all([
          fromApi(RESOURCES.Deployment, DATA_PLANE),
          fromApi(RESOURCES.Service, DATA_PLANE),
        ]).catch(() => undefined),
      { description: `the reconciler to provision ${DATA_PLANE}`, timeoutMs: 30_000 },
    );
    const secret = await fromApi(RESOURCES.Secret, `${DATA_PLANE}-redis`);
    await start(DATA_PLANE, [provisioned, secret], (_plan, dir) => ({
      PORTICO_OPS_PORT: String(dataPlaneOps),
      PORTICO_DATA_DIR: join(dir, 'data'),
      PORTICO_NGINX_STATUS_PORT: String(statusPort),
      PORTICO_PORT_OFFSET: String((listener ?? 0) - seed.listenerPort),
    }));
  });

  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  it('the manifests agree with themselves: probes on the ops port, listener port + offset is the Service target, data dir on an emptyDir', () => {
    for (const { plan } of running.values())
      expect(Number(plan.manifestEnv.PORTICO_OPS_PORT), plan.template.id).toBe(plan.readiness.port);
    const dataplane = running.get(DATA_PLANE)?.plan;
    if (!dataplane) throw new Error('no data plane plan');
    const dataDir = dataplane.manifestEnv.PORTICO_DATA_DIR ?? '';
    expect(writableMountFor(dataplane, dataDir), dataDir).toBeDefined();
    const ports = (
      provisionedService.spec as { ports: Array<{ port: number; targetPort: number | string }> }
    ).ports;
    const servicePort = ports.find((p) => p.port === seed.listenerPort);
    expect(servicePort, `Service port ${seed.listenerPort}`).toBeDefined();
    const target = resolvePort(dataplane.container, servicePort?.targetPort ?? -1);
    expect(target).toBe(seed.listenerPort + Number(dataplane.manifestEnv.PORTICO_PORT_OFFSET));
    expect(dataplane.manifestEnv.PORTICO_GATEWAYS).toBe('gateway/default/my-gateway');
    expect(provisioned.metadata.labels?.['gateway.networking.k8s.io/gateway-name']).toBe(
      'my-gateway',
    );
  });

  it('serves the seed example through NGINX', async () => {
    const response = await waitFor(
      () => httpGet(listenerUrl, { headers: { Host: seed.hostname } }).catch(() => undefined),
      {
        description: `${seed.hostname} to be served through NGINX`,
        timeoutMs: 30_000,
        until: (r) => r?.status === 200,
      },
    );
    expect(JSON.parse(response?.body ?? '{}')).toMatchObject({
      service: seed.service,
      host: seed.hostname,
    });
    expect(echo.requests().some((r) => r.host === seed.hostname)).toBe(true);
  });

  it("the watcher leads through the Lease its manifest names, in its pod's namespace, under its pod's name", async () => {
    const watcher = running.get('portico-watcher');
    const env = watcher?.env ?? {};
    const lease = await rest.request<KubeObject & { spec: { holderIdentity?: string } }>(
      'GET',
      objectPath(RESOURCES.Lease, env.POD_NAMESPACE, env.PORTICO_LEASE_NAME ?? ''),
    );
    expect(env.POD_NAMESPACE).toBe('portico-system');
    expect(lease.spec.holderIdentity).toBe(env.POD_NAME);
  });

  it.runIf(runAsPodUser)(
    'NGINX runs as the data plane pod user, listening on the shifted port',
    async () => {
      const dataplane = running.get(DATA_PLANE);
      const pidFile = join(dataplane?.env.PORTICO_DATA_DIR ?? '', 'run', 'nginx.pid');
      const pid = (await readFile(pidFile, 'utf8')).trim();
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      expect(Number(uid)).toBe(dataplane?.plan.runAs?.uid);
    },
  );
});
