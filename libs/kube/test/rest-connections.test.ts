import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeRest } from '../src/index.ts';

// A plain HTTP server that records the client port of every request: few ports mean kept-alive
// connections.
let server: Server;
const clientPorts: number[] = [];

function kubeconfig(port: number, skipTlsVerify: boolean): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'c',
        cluster: {
          server: `http://127.0.0.1:${port}`,
          'insecure-skip-tls-verify': skipTlsVerify,
        },
      },
    ],
    users: [{ name: 'u', user: { token: 'abc' } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    clientPorts.push(req.socket.remotePort ?? 0);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('KubeRest connections', () => {
  it('reuses one connection for sequential requests and still sends the token each time', async () => {
    const config = new KubeConfig();
    config.loadFromString(kubeconfig((server.address() as AddressInfo).port, true));
    const rest = new KubeRest(config);
    clientPorts.length = 0;
    const answers: Array<{ authorization: string | null }> = [];
    for (let i = 0; i < 20; i++) answers.push(await rest.request('GET', '/api/v1/namespaces'));
    expect(clientPorts).toHaveLength(20);
    // undici may open a second socket while the first is being handed back; not one per request.
    expect(new Set(clientPorts).size).toBeLessThanOrEqual(2);
    expect(new Set(answers.map((a) => a.authorization))).toEqual(new Set(['Bearer abc']));
  });
});
