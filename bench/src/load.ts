/**
 * Load generators of the dataplane bench, each a native tool so the client is never the
 * bottleneck it would be in Node: `wrk` (HTTP/1.1, cleartext or TLS; also through TCP and TLS
 * passthrough proxies, which carry the same requests) and `h2load` (nghttp2; gRPC calls over
 * h2c with prior knowledge). One connection per client slot, kept alive for the whole run.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runToCompletion } from '@portico/testing';
import type { WrkResult } from './wrk.ts';

export const CONNECTIONS = 50;

/** `wrk` against `url`: requests/s, p50 and p99, non-2xx answers. */
export async function wrk(
  url: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<WrkResult> {
  const flags = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', ...flags, url];
  const run = await runToCompletion('wrk', args, { name: 'wrk', timeoutMs: (seconds + 30) * 1000 });
  if (run.code !== 0) throw new Error(`wrk failed:\n${run.output}`);
  return parseWrk(run.output);
}

/** Requests/s, p50 and p99 (ms) and non-2xx answers from wrk's `--latency` output. */
export function parseWrk(output: string): WrkResult {
  const number = (re: RegExp) => {
    const m = re.exec(output);
    if (m === null) throw new Error(`wrk output without ${re}:\n${output}`);
    return m;
  };
  const p50 = number(/^\s+50%\s+([\d.]+)(us|ms|s)$/m);
  const p99 = number(/^\s+99%\s+([\d.]+)(us|ms|s)$/m);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  const socketErrors = /Socket errors: (.*)$/m.exec(output);
  if (socketErrors !== null && /(?:connect|read|write|timeout) [1-9]/.test(socketErrors[1] ?? ''))
    throw new Error(`wrk saw socket errors (${socketErrors[1]}):\n${output}`);
  return {
    rps: Number(number(/^Requests\/sec:\s+([\d.]+)/m)[1]),
    p50Ms: toMs(p50[1], p50[2]),
    p99Ms: toMs(p99[1], p99[2]),
    non2xx: errors === null ? 0 : Number(errors[1]),
  };
}

function toMs(value: string | undefined, unit: string | undefined): number {
  const scale: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };
  return Number(value ?? 0) * (scale[unit ?? 'ms'] ?? 1);
}

/**
 * Unary gRPC calls with `h2load`: POST of one empty message (the 5-byte gRPC frame header),
 * `content-type: application/grpc`, `te: trailers`, one stream at a time per connection (as
 * wrk does). h2load reports no percentiles: the mean request time stands in for p50, and p99 is
 * left out rather than guessed.
 */
export async function h2loadGrpc(url: string, seconds: number, dir: string): Promise<WrkResult> {
  const body = join(dir, 'grpc-empty-message.bin');
  await writeFile(body, Buffer.alloc(5));
  const args = [
    ...['-t1', `-c${CONNECTIONS}`, '-m1', `-D${seconds}`, '-d', body],
    ...['-H', 'content-type: application/grpc', '-H', 'te: trailers', url],
  ];
  const run = await runToCompletion('h2load', args, {
    name: 'h2load',
    timeoutMs: (seconds + 30) * 1000,
  });
  if (run.code !== 0) throw new Error(`h2load failed:\n${run.output}`);
  return parseH2load(run.output);
}

/** Requests/s, mean request time and non-2xx answers from h2load's summary. */
export function parseH2load(output: string): WrkResult {
  const rps = /finished in [\d.]+m?s, ([\d.]+) req\/s/.exec(output);
  const codes = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(output);
  const failed = /requests: \d+ total, \d+ started, \d+ done, \d+ succeeded, (\d+) failed/.exec(
    output,
  );
  const time = /time for request:\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)/.exec(output);
  if (!rps || !codes || !failed || !time) throw new Error(`unexpected h2load output:\n${output}`);
  if (Number(codes[1]) === 0) throw new Error(`h2load got no 2xx answer:\n${output}`);
  return {
    rps: Number(rps[1]),
    p50Ms: toMs(time[1], time[2]),
    non2xx: Number(codes[2]) + Number(codes[3]) + Number(codes[4]) + Number(failed[1]),
  };
}
