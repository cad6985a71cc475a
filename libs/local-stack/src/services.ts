/** The three Portico services as local processes, with their logs in files and their readiness probed. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { httpGet, spawnManaged, StopWaiting, waitFor, type ManagedProcess } from '@portico/testing';
import { serviceMain, type ServiceName } from './paths.ts';

export interface ServiceProcess {
  readonly id: string;
  readonly service: ServiceName;
  readonly opsPort: number;
  readonly process: ManagedProcess;
}

export interface StartServiceOptions {
  id: string;
  service: ServiceName;
  opsPort: number;
  env: NodeJS.ProcessEnv;
  logDir: string;
}

const logs = new Map<string, WriteStream>();

function logStream(logDir: string, id: string): WriteStream {
  const existing = logs.get(id);
  if (existing && !existing.closed) return existing;
  const stream = createWriteStream(join(logDir, `${id}.log`), { flags: 'a' });
  logs.set(id, stream);
  return stream;
}

export function startService(options: StartServiceOptions): ServiceProcess {
  const log = logStream(options.logDir, options.id);
  const child = spawnManaged(process.execPath, [serviceMain(options.service)], {
    name: options.id,
    env: { ...process.env, ...options.env, PORTICO_OPS_PORT: String(options.opsPort) },
    onStdoutLine: (line) => log.write(`${line}\n`),
  });
  return { id: options.id, service: options.service, opsPort: options.opsPort, process: child };
}

/** Waits for `/readyz` to answer 200; fails early, with the service's output, if it exits. */
export async function waitReady(service: ServiceProcess, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    async () => {
      if (!service.process.running()) {
        throw new StopWaiting(`${service.id} exited during start-up:\n${service.process.output()}`);
      }
      const response = await httpGet(`http://127.0.0.1:${service.opsPort}/readyz`).catch(
        () => undefined,
      );
      return response?.status === 200;
    },
    { description: `${service.id} to become ready`, timeoutMs },
  );
}

export function closeLogs(): void {
  for (const stream of logs.values()) stream.end();
  logs.clear();
}
