/**
 * The Applier against a real NGINX (its master started by `NginxProcess`, candidates checked
 * by the real `nginx -t`) in a temp data dir, routing to a real echo backend.
 */
import { appendFile, readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash, IR_SCHEMA_VERSION, type GatewayIR, type HttpRuleIR } from '@portico/ir';
import { createLogger } from '@portico/telemetry';
import {
  childPids,
  freePorts,
  httpGet,
  startEcho,
  waitFor,
  type RunningEcho,
} from '@portico/testing';
import { Applier, type Ack, type FollowedIR } from '../src/applier.ts';
import { activeVersion, type ConfigDir } from '../src/config-dir.ts';
import type { NginxProcess } from '../src/nginx-process.ts';
import { startRealNginx, type RealNginx } from './support/real-nginx.ts';

const GATEWAY_KEY = 'gateway/default/gw';

let real: RealNginx;
let dataDir: string;
let dir: ConfigDir;
let statusPort: number;
let listenPort: number;
let heldPort: number;
let echo: RunningEcho;
let nginx: NginxProcess;
let applier: Applier;
const exits: string[] = [];
const acks: Ack[][] = [];
const observed: string[] = [];
/** What `loadIRs` returns; each test sets it. */
let followed: FollowedIR[] = [];
/** Stands in for a renderer bug: the staged nginx.conf gets a directive NGINX does not know. */
let poison = false;

/** An IR for one catch-all virtual host on `port` with an Exact rule per path to the echo. */
function irWith(paths: string[], port = listenPort): FollowedIR {
  const rules: HttpRuleIR[] = paths.map((value, i) => ({
    id: `r${i}`,
    source: { kind: 'HTTPRoute', namespace: 'default', name: 'echo', ruleIndex: i, matchIndex: 0 },
    match: { path: { type: 'Exact', value } },
    backends: [{ upstream: 'default__echo__80', weight: 1 }],
  }));
  const ir: GatewayIR = {
    schemaVersion: IR_SCHEMA_VERSION,
    gateway: { namespace: 'default', name: 'gw' },
    httpServers: [{ port, protocol: 'HTTP', virtualHosts: [{ hostname: '*', rules }] }],
    upstreams: [
      {
        name: 'default__echo__80',
        service: { namespace: 'default', name: 'echo', port: 80 },
        endpoints: [{ address: '127.0.0.1', port: echo.port }],
      },
    ],
  };
  return { gatewayKey: GATEWAY_KEY, hash: contentHash(ir), ir };
}

async function servedVersion(): Promise<string> {
  return (await httpGet(`http://127.0.0.1:${statusPort}/portico/version`)).body.trim();
}

const status = async (path: string) =>
  (await httpGet(`http://127.0.0.1:${listenPort}${path}`)).status;
const workers = () => childPids(nginx.pid ?? -1);

/**
 * After a reload the old worker drains its connections and may still accept a new one for a
 * moment: "applied" means the new version answers, not that the old worker is gone. Tests
 * that compare later answers wait for the one configured worker to be the only one left.
 */
async function settled(): Promise<void> {
  await waitFor(() => workers().length === 1, {
    description: 'the old NGINX worker to exit',
    timeoutMs: 10_000,
  });
}
const versionDirs = async () => (await readdir(dataDir)).filter((e) => e.startsWith('conf-'));

beforeAll(async () => {
  real = await startRealNginx('renderer-applier', (code, signal) =>
    exits.push(`nginx exited: ${code} ${signal}`),
  );
  ({ dataDir, dir, statusPort, nginx } = real);
  [listenPort, heldPort] = (await freePorts(2)) as [number, number];
  echo = await startEcho({ service: 'echo' });
  const deps = real.applierDeps(3_000);
  applier = new Applier({
    ...deps,
    logger: createLogger('renderer-test', { level: 'silent' }),
    loadIRs: () => Promise.resolve(followed),
    testConfig: async (conf) => {
      if (poison) await appendFile(conf, '\nbogus_directive on;\n');
      return deps.testConfig(conf);
    },
    sendAcks: (sent) => {
      acks.push(sent);
      return Promise.resolve();
    },
    observe: (event) => observed.push(event),
  });
});

afterAll(async () => {
  await real?.stop();
  await echo?.stop();
});

describe('Applier with a real NGINX', () => {
  // The steps build on each other: one NGINX, one data dir, in order.
  const one = () => irWith(['/one']);
  const oneAndTwo = () => irWith(['/one', '/two']);

  it('applies an IR: NGINX serves its version and routes, the ack says ok', async () => {
    followed = [one()];
    expect(await applier.apply()).toBe('applied');
    await settled();
    const version = await activeVersion(dir);
    expect(await servedVersion()).toBe(version);
    expect(await status('/one')).toBe(200);
    expect(await status('/two')).toBe(404);
    expect(echo.requests().map((r) => r.path)).toContain('/one');
    expect(acks.at(-1)).toEqual([{ gatewayKey: GATEWAY_KEY, hash: one().hash, ok: true }]);
    expect(observed.at(-1)).toBe('reload');
    expect(await versionDirs()).toEqual([`conf-${version}`]);
  });

  it('does not reload for the same IR again (worker PIDs unchanged)', async () => {
    const before = workers();
    const version = await activeVersion(dir);
    expect(before.length).toBeGreaterThan(0);
    expect(await applier.apply()).toBe('unchanged');
    expect(observed.at(-1)).toBe('unchanged');
    expect(acks.at(-1)).toEqual([{ gatewayKey: GATEWAY_KEY, hash: one().hash, ok: true }]);
    expect(await activeVersion(dir)).toBe(version);
    expect(workers()).toEqual(before);
  });

  it('keeps the last good config serving when nginx -t refuses, and acks the error', async () => {
    const before = workers();
    const good = await activeVersion(dir);
    poison = true;
    followed = [oneAndTwo()];
    try {
      expect(await applier.apply()).toBe('invalid');
    } finally {
      poison = false;
    }
    expect(observed.at(-1)).toBe('config_invalid');
    const [ack] = acks.at(-1) ?? [];
    expect(ack).toMatchObject({ gatewayKey: GATEWAY_KEY, hash: oneAndTwo().hash, ok: false });
    expect(ack?.error).toContain('unknown directive "bogus_directive"');
    expect(await activeVersion(dir)).toBe(good);
    expect(await servedVersion()).toBe(good);
    expect(await status('/one')).toBe(200);
    expect(await status('/two')).toBe(404);
    expect(workers()).toEqual(before);
    expect(await versionDirs()).toEqual([`conf-${good}`]);
  });

  it('then applies a good IR (a reload: new workers)', async () => {
    const before = workers();
    followed = [oneAndTwo()];
    expect(await applier.apply()).toBe('applied');
    expect(workers()).not.toEqual(before);
    await settled();
    const version = await activeVersion(dir);
    expect(await servedVersion()).toBe(version);
    expect(await status('/two')).toBe(200);
    expect(acks.at(-1)).toEqual([{ gatewayKey: GATEWAY_KEY, hash: oneAndTwo().hash, ok: true }]);
  });

  it('overlaps the next read and render with a reload, and still reloads in order', async () => {
    const three = () => irWith(['/one', '/two', '/three']);
    followed = [one()];
    let second: Promise<string> | undefined;
    const first = applier.apply(() => {
      // NGINX was just told to load "one": the next apply starts while it does.
      followed = [three()];
      second = applier.apply();
    });
    expect(await first).toBe('applied');
    expect(second).toBeDefined();
    expect(await second).toBe('applied');
    expect(acks.slice(-2)).toEqual([
      [{ gatewayKey: GATEWAY_KEY, hash: one().hash, ok: true }],
      [{ gatewayKey: GATEWAY_KEY, hash: three().hash, ok: true }],
    ]);
    await settled();
    expect(await servedVersion()).toBe(await activeVersion(dir));
    expect(await status('/three')).toBe(200);
    followed = [oneAndTwo()];
    expect(await applier.apply()).toBe('applied');
    await settled();
  });

  it('rolls back and acks the bind error when the reload cannot take a port', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(heldPort, '0.0.0.0', resolve));
    try {
      const good = await activeVersion(dir);
      const blocked = irWith(['/one'], heldPort);
      followed = [blocked];
      expect(await applier.apply()).toBe('not-served');
      expect(observed.at(-1)).toBe('reload_failed');
      const [ack] = acks.at(-1) ?? [];
      expect(ack).toMatchObject({ hash: blocked.hash, ok: false });
      expect(ack?.error).toMatch(/bind\(\) to .*:\d+ failed/);
      expect(await activeVersion(dir)).toBe(good);
      await settled();
      expect(await servedVersion()).toBe(good);
      expect(await status('/two')).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(exits).toEqual([]);
  });
});
