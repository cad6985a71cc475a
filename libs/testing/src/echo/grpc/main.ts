/**
 * The gRPC echo program: `node libs/testing/src/echo/grpc/main.ts --port P [--namespace ns
 * --pod name --service svc]`. Logs `{"msg":"listening","protocol":"grpc","port":P}` once it
 * serves, then one JSON line per call; exits on SIGTERM/SIGINT and when stdin closes.
 */
import { parseArgs } from 'node:util';
import { serveGrpcEcho } from './server.ts';

function log(entry: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      port: { type: 'string', default: '0' },
      namespace: { type: 'string', default: process.env['NAMESPACE'] ?? '' },
      pod: { type: 'string', default: process.env['POD_NAME'] ?? '' },
      service: { type: 'string', default: process.env['SERVICE_NAME'] ?? '' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('invalid --port');
  const identity = { namespace: values.namespace, pod: values.pod, service: values.service };
  const server = await serveGrpcEcho(identity, port, (method, authority) =>
    log({ msg: 'call', method, authority }),
  );
  log({ msg: 'listening', protocol: 'grpc', port: server.port, ...identity });
  let stopping = false;
  const shutdown = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    log({ msg: 'stopping', reason });
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.stdin.on('close', () => shutdown('stdin closed'));
  process.stdin.resume();
}

main().catch((error: unknown) => {
  process.stderr.write(`grpc echo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
