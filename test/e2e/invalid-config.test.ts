/**
 * Scenario 7 of issue 3 (invariant 4): a configuration NGINX cannot load leaves the last good
 * one serving, and the Gateway says so. The trigger is realistic for local mode and for hosts:
 * a new listener on a port another process already holds. The graph accepts it, `nginx -t`
 * passes (it does not bind), and the reload fails in NGINX's master ("Address already in
 * use"). Once the port is free again, the data plane converges on its own (periodic resync).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEcho, type RunningEcho } from '@portico/testing';
import {
  ask,
  conditionState,
  gatewayConditions,
  summary,
  waitForAnswer,
  waitForCondition,
} from './support/observe.ts';
import { startE2EStack, type E2EStack } from './support/stack.ts';

let e2e: E2EStack;
let squatter: RunningEcho | undefined;
const SEED_HOST = 'www.example.local';

beforeAll(async () => {
  e2e = await startE2EStack({
    listenerPorts: [80, 82],
    // A short resync, so that recovery after the port is freed is quick to observe.
    serviceEnv: { PORTICO_RESYNC_MS: '3000' },
  });
  await e2e.stack.waitForGatewayProgrammed('default', 'my-gateway', 60_000);
});

afterAll(async () => {
  await squatter?.stop();
  await e2e?.stop();
});

const gateway = () => gatewayConditions(e2e.stack.rest, 'default', 'my-gateway');

describe('a listener on a port another process holds', () => {
  it('keeps the last good config serving and sets Programmed=False (Invalid) with NGINX’s error', async () => {
    const port = 82 + (Number(new URL(e2e.listenerUrl(80)).port) - 80);
    squatter = await startEcho({ port, pod: 'squatter' });
    await waitForAnswer(e2e.listenerUrl(80), SEED_HOST, '/', '200 httpbin-local-1');

    await e2e.applyFixture('gateway-second-listener.yaml');
    const programmed = await waitForCondition(
      gateway,
      'Programmed',
      'Programmed=False/Invalid',
      60_000,
    );
    expect(programmed.message).toMatch(/Address already in use/);
    expect(conditionState(await gateway(), 'Accepted')).toBe('Accepted=True/Accepted');

    // The last good configuration still serves port 80; port 82 is still the other process's.
    expect(summary(await ask(e2e.listenerUrl(80), SEED_HOST, '/'))).toBe('200 httpbin-local-1');
    expect(summary(await ask(e2e.listenerUrl(82), SEED_HOST, '/'))).toBe('200 squatter');
    const printed = await e2e.stack.kubectl(['get', 'gateway', 'my-gateway', '-n', 'default']);
    expect(printed).toMatch(/^my-gateway\s+portico\s+\S+\s+False\s/m);
  });

  it('converges once the port is free: NGINX serves the new listener and Programmed=True', async () => {
    await squatter?.stop();
    squatter = undefined;
    await waitForCondition(gateway, 'Programmed', 'Programmed=True/Programmed', 60_000);
    await waitForAnswer(e2e.listenerUrl(82), SEED_HOST, '/', '200 httpbin-local-1');
    expect(summary(await ask(e2e.listenerUrl(80), SEED_HOST, '/'))).toBe('200 httpbin-local-1');
  });
});
