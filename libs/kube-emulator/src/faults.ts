/**
 * Fault injection, so tests can prove that clients survive what real API servers do: watches
 * that end, `410 Gone`, failed writes, slow answers. Driven in process or over HTTP
 * (`POST /__emulator/faults`) for an emulator in another process.
 */
import { findKindByName, type KindInfo } from './kinds.ts';
import { ApiError, badRequest, reasonFor } from './status.ts';
import { isObject } from './util.ts';

export interface FailWritesOptions {
  /** How many writes fail. */
  count: number;
  /** The HTTP status answered, e.g. 500, 409, 503. */
  code: number;
  /** Only writes to this subresource (e.g. `status`) fail. */
  subresource?: 'status';
  message?: string;
}

/** What tests drive. Kinds are named by Kind, plural or singular (`Gateway`, `gateways`). */
export interface FaultInjector {
  /** Ends open watches, of one kind or all; `abrupt` cuts the connection instead. Returns how many. */
  dropWatches(kind?: string, options?: { abrupt?: boolean }): number;
  /** The next watch of the kind is answered with a `410 Gone` ERROR event. */
  goneOnNextWatch(kind: string): void;
  /** The next `count` writes of the kind fail with `code`. */
  failWrites(kind: string, options: FailWritesOptions): void;
  /** Delays every request by `ms`. */
  setLatency(ms: number): void;
  /** Clears every pending fault and the latency. */
  reset(): void;
}

/** The JSON body of `POST /__emulator/faults`. */
export type FaultCommand =
  | { action: 'dropWatches'; kind?: string; abrupt?: boolean }
  | { action: 'goneOnNextWatch'; kind: string }
  | ({ action: 'failWrites'; kind: string } & FailWritesOptions)
  | { action: 'setLatency'; ms: number }
  | { action: 'reset' };

interface PendingFailure extends FailWritesOptions {
  info: KindInfo;
}

function kindOrThrow(name: unknown): KindInfo {
  const info = typeof name === 'string' ? findKindByName(name) : undefined;
  if (!info) throw badRequest(`unknown kind ${JSON.stringify(name)}`);
  return info;
}

export class Faults implements FaultInjector {
  readonly #drop: (info: KindInfo | undefined, abrupt: boolean) => number;
  #gone = new Set<KindInfo>();
  #failures: PendingFailure[] = [];
  #latencyMs = 0;

  constructor(drop: (info: KindInfo | undefined, abrupt: boolean) => number) {
    this.#drop = drop;
  }

  get latencyMs(): number {
    return this.#latencyMs;
  }

  dropWatches(kind?: string, options: { abrupt?: boolean } = {}): number {
    return this.#drop(kind === undefined ? undefined : kindOrThrow(kind), options.abrupt ?? false);
  }

  goneOnNextWatch(kind: string): void {
    this.#gone.add(kindOrThrow(kind));
  }

  failWrites(kind: string, options: FailWritesOptions): void {
    if (!Number.isInteger(options.count) || options.count < 1)
      throw badRequest('count must be a positive integer');
    if (!Number.isInteger(options.code) || options.code < 400 || options.code > 599)
      throw badRequest('code must be an HTTP error status');
    this.#failures.push({ ...options, info: kindOrThrow(kind) });
  }

  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw badRequest('ms must be a non-negative number');
    this.#latencyMs = ms;
  }

  reset(): void {
    this.#gone.clear();
    this.#failures = [];
    this.#latencyMs = 0;
  }

  /** Consumes a pending forced `410` for the kind. */
  takeGone(info: KindInfo): boolean {
    return this.#gone.delete(info);
  }

  /** Consumes one pending write failure that matches, as the error to answer. */
  takeWriteFailure(info: KindInfo, subresource: string | undefined): ApiError | undefined {
    const failure = this.#failures.find(
      (f) => f.info === info && (f.subresource === undefined || f.subresource === subresource),
    );
    if (!failure) return undefined;
    failure.count -= 1;
    if (failure.count <= 0) this.#failures = this.#failures.filter((f) => f !== failure);
    return new ApiError(
      failure.code,
      reasonFor(failure.code),
      failure.message ?? `injected failure (${failure.code}) for ${info.plural}`,
    );
  }

  /** Runs a command received over HTTP. */
  run(command: unknown): Record<string, unknown> {
    if (!isObject(command)) throw badRequest('expected a JSON object with an "action"');
    const c = command as FaultCommand;
    switch (c.action) {
      case 'dropWatches':
        return { dropped: this.dropWatches(c.kind, { abrupt: c.abrupt === true }) };
      case 'goneOnNextWatch':
        this.goneOnNextWatch(c.kind);
        return {};
      case 'failWrites':
        this.failWrites(c.kind, {
          count: c.count,
          code: c.code,
          ...(c.subresource === 'status' ? { subresource: 'status' as const } : {}),
          ...(typeof c.message === 'string' ? { message: c.message } : {}),
        });
        return {};
      case 'setLatency':
        this.setLatency(c.ms);
        return {};
      case 'reset':
        this.reset();
        return {};
      default:
        throw badRequest(
          `unknown action ${JSON.stringify((command as { action?: unknown }).action)}`,
        );
    }
  }
}
