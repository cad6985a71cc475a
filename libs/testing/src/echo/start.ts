/**
 * Starts the echo backend as a child process (a real separate program, like a pod behind a
 * Service) and waits until it serves. The child also exits if this process dies without
 * stopping it, because it watches its stdin pipe.
 */
import { fileURLToPath } from 'node:url';
import { spawnManaged } from '../process/children.ts';
import { StopWaiting, waitFor } from '../wait.ts';

/** Options of {@link startEcho}: the identity the echo reports, and its port. */
export interface StartEchoOptions {
  namespace?: string;
  pod?: string;
  service?: string;
  /** A fixed port; by default the echo binds port 0 and reports the port it got. */
  port?: number;
}

/** One line the echo logged for a request. */
export interface EchoRequestLog {
  msg: 'request';
  protocol: string;
  method: string;
  path: string;
  host: string;
  status: number;
}

/** A running echo backend. */
export interface RunningEcho {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  pid: number;
  /** Requests logged so far, oldest first (read them to see which backend got a request). */
  requests(): EchoRequestLog[];
  stop(): Promise<void>;
}

/** Path of the echo program, for starting it by hand. */
export const ECHO_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Starts the echo program with `process.execPath` (Node 24) and waits for its ready line. */
export async function startEcho(options: StartEchoOptions = {}): Promise<RunningEcho> {
  const args = [ECHO_MAIN, '--port', String(options.port ?? 0), '--exit-on-stdin-close'];
  for (const name of ['namespace', 'pod', 'service'] as const) {
    const value = options[name];
    if (value !== undefined) args.push(`--${name}`, value);
  }
  let port: number | undefined;
  const requests: EchoRequestLog[] = [];
  const onStdoutLine = (line: string): void => {
    const entry = parseLine(line);
    if (entry?.['msg'] === 'listening' && entry['protocol'] === 'http')
      port = Number(entry['port']);
    if (entry?.['msg'] === 'request') requests.push(entry as unknown as EchoRequestLog);
  };
  const proc = spawnManaged(process.execPath, args, {
    name: 'echo',
    stdinPipe: true,
    onStdoutLine,
  });
  try {
    const ready = await waitFor(
      () => {
        if (!proc.running()) throw new StopWaiting(`echo exited:\n${proc.output()}`);
        return port;
      },
      { description: 'the echo backend to listen', timeoutMs: 10_000 },
    );
    return {
      port: ready,
      url: `http://127.0.0.1:${ready}`,
      pid: proc.pid,
      requests: () => [...requests],
      stop: async () => {
        await proc.stop();
      },
    };
  } catch (error) {
    await proc.stop();
    throw error;
  }
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
