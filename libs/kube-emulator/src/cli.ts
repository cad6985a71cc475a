/**
 * `npm run dev:apiserver -- --port PORT --kubeconfig FILE [--log-level debug]`: runs the
 * Kubernetes API emulator (a development and test tool, not a production API server) on
 * 127.0.0.1, writes a kubeconfig for it, and stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './server.ts';

const USAGE =
  'usage: cli.ts [--port PORT] [--kubeconfig FILE] [--log-level info|debug] [--history N]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      kubeconfig: { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      history: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid --port ${values.port}\n${USAGE}`);
  const debug = values['log-level'] === 'debug';
  const emulator = await startEmulator({
    port,
    ...(values.history ? { historyLimit: Number(values.history) } : {}),
    ...(debug ? { onRequest: (line: string) => process.stderr.write(`debug ${line}\n`) } : {}),
  });
  if (values.kubeconfig) await emulator.writeKubeconfig(values.kubeconfig);
  process.stderr.write(
    `Portico Kubernetes API emulator (development and test tool, NOT a production API server) listening on ${emulator.url}` +
      (values.kubeconfig ? `; kubeconfig written to ${values.kubeconfig}` : '') +
      '\n',
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`received ${signal}, stopping\n`);
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
