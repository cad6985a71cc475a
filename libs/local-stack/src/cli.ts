/**
 * `npm start`: runs Portico locally and keeps it running until Ctrl-C or SIGTERM, then stops
 * everything it started.
 */
import { join } from 'node:path';
import type { LocalDataPlane } from './kubelet.ts';
import { startLocalStack, type LocalStack } from './stack.ts';
import { REPO_ROOT } from './paths.ts';

function portOffset(): number {
  const raw = process.env.PORTICO_PORT_OFFSET ?? '0';
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 60_000) {
    throw new Error(`PORTICO_PORT_OFFSET must be an integer between 0 and 60000, got "${raw}"`);
  }
  return value;
}

/**
 * Where a Gateway is served. Every Gateway has its own NGINX; on one machine they share
 * 127.0.0.1, so each has its own port offset (the first, the seed's, the stack's own).
 */
function describePlane(plane: LocalDataPlane): string {
  const ports = plane.listenerPorts
    .map((port) => `port ${port} at 127.0.0.1:${port + plane.portOffset}`)
    .join(', ');
  return `portico: Gateway ${plane.gateway.namespace}/${plane.gateway.name} is served: ${ports}`;
}

async function main(): Promise<void> {
  const stateDir = join(REPO_ROOT, '.portico');
  const offset = portOffset();
  console.log(
    'portico: starting Redis, the Kubernetes API emulator (a development tool), NGINX and the services ...',
  );
  let stack: LocalStack | undefined = undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nportico: ${signal}: stopping everything ...`);
    await stack?.stop();
    console.log('portico: stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // `npm start` does not pass SIGTERM on to us: when npm goes away, we are re-parented. Treat
  // that as the signal, so stopping npm stops everything (nothing may outlive local mode).
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop('parent process exited');
  }, 250).unref();

  stack = await startLocalStack({
    stateDir,
    portOffset: offset,
    onDataPlaneReady: (plane) => console.log(describePlane(plane)),
    ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
  });
  await stack.waitForGatewayProgrammed('default', 'my-gateway', 60_000);
  const kubeconfig = '.portico/kubeconfig';
  console.log(`portico: ready: Gateway default/my-gateway is Programmed (logs in .portico/logs/)`);
  console.log('Try:');
  console.log(`    kubectl --kubeconfig ${kubeconfig} get gateways,httproutes -A`);
  console.log(`    curl -H 'Host: www.example.local' http://127.0.0.1:${80 + offset}/`);
  console.log('Press Ctrl-C to stop.');
}

main().catch((error: unknown) => {
  console.error(
    `portico: failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
