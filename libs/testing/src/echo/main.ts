/**
 * The echo backend program: `node libs/testing/src/echo/main.ts --port P [--namespace ns
 * --pod name --service svc]`. Logs `{"msg":"listening","protocol":"http","port":P}` once it
 * serves, then one JSON line per request; exits on SIGTERM/SIGINT (and when stdin closes, with
 * `--exit-on-stdin-close`).
 */
import { parseEchoConfig } from './config.ts';
import { startHttpListener } from './http.ts';
import { stdoutLog } from './listener.ts';
import type { EchoListener } from './listener.ts';

async function main(): Promise<void> {
  const config = parseEchoConfig(process.argv.slice(2), process.env);
  const listeners: EchoListener[] = [await startHttpListener(config, stdoutLog)];
  for (const listener of listeners) {
    stdoutLog({
      msg: 'listening',
      protocol: listener.protocol,
      port: listener.port,
      ...config.context,
    });
  }
  let stopping = false;
  const shutdown = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    stdoutLog({ msg: 'stopping', reason });
    void Promise.all(listeners.map((listener) => listener.close())).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  if (config.exitOnStdinClose) {
    process.stdin.on('close', () => shutdown('stdin closed'));
    process.stdin.resume();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`echo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
