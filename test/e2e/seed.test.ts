/**
 * Scenario 1 of issue 3: the seed example (`examples/seed/`, applied by the local stack with
 * the real kubectl) answers through NGINX, and kubectl shows the Gateway and route as a user
 * reads them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '@portico/testing';
import { startE2EStack, type E2EStack } from './support/stack.ts';
import type { EchoAnswer } from './support/observe.ts';

let e2e: E2EStack;

beforeAll(async () => {
  e2e = await startE2EStack();
  await e2e.stack.waitForGatewayProgrammed('default', 'my-gateway', 60_000);
});

afterAll(async () => {
  await e2e?.stop();
});

describe('the seed example', () => {
  it('answers 200 with the echo JSON of the httpbin backend for Host: www.example.local', async () => {
    const response = await httpGet(`${e2e.listenerUrl(80)}/anything?x=1`, {
      headers: { host: 'www.example.local' },
    });
    expect(response.status).toBe(200);
    const body = response.json<EchoAnswer>();
    expect(body).toMatchObject({
      namespace: 'default',
      pod: 'httpbin-local-1',
      service: 'httpbin',
      path: '/anything?x=1',
      host: 'www.example.local',
    });
  });

  it('answers 404 for a host no route names', async () => {
    const response = await httpGet(`${e2e.listenerUrl(80)}/`, {
      headers: { host: 'nobody.example.local' },
    });
    expect(response.status).toBe(404);
  });

  it('shows the Gateway PROGRAMMED True in `kubectl get gateways,httproutes -A`', async () => {
    const output = await e2e.stack.kubectl(['get', 'gateways,httproutes', '-A']);
    const lines = output.trim().split('\n');
    const header = lines.find((line) => /\bPROGRAMMED\b/.test(line));
    expect(header, output).toBeDefined();
    // With several kinds, kubectl names each row `<resource>.<group>/<name>`.
    const row = lines.find((line) => /^default\s+gateway\.[\w.]+\/my-gateway\s/.test(line));
    expect(row, output).toBeDefined();
    // The PROGRAMMED value sits in the header's PROGRAMMED column.
    const column = header?.indexOf('PROGRAMMED') ?? -1;
    expect(row?.slice(column).split(/\s+/)[0], output).toBe('True');
    expect(row, output).toMatch(/\bportico\b/);
    expect(output).toMatch(/^default\s+httproute\.[\w.]+\/httpbin\s+\["www\.example\.local"\]/m);
  });

  it('shows the route Accepted and ResolvedRefs for its parent, as kubectl reports them', async () => {
    const output = await e2e.stack.kubectl([
      'get',
      'httproute',
      'httpbin',
      '-n',
      'default',
      '-o',
      'jsonpath={range .status.parents[*].conditions[*]}{.type}={.status}/{.reason}{"\\n"}{end}',
    ]);
    expect(output.trim().split('\n').sort()).toEqual([
      'Accepted=True/Accepted',
      'ResolvedRefs=True/ResolvedRefs',
    ]);
  });

  it('lets `kubectl wait` see the Gateway Programmed', async () => {
    const output = await e2e.stack.kubectl([
      'wait',
      '--for=condition=Programmed',
      'gateway/my-gateway',
      '-n',
      'default',
      '--timeout=30s',
    ]);
    expect(output).toMatch(/gateway\.gateway\.networking\.k8s\.io\/my-gateway condition met/);
  });
});
