/**
 * Open watch streams: each replays what the client missed (from the store's history), then
 * follows the store. The hub keeps them so fault injection can drop them and `close()` can end
 * them. Events are newline-delimited `{"type","object"}` JSON, as kube-apiserver sends.
 */
import { presentAs, type KindInfo } from './kinds.ts';
import { gone } from './status.ts';
import type { ObjectStore, StoreEvent } from './store.ts';
import { buildTable, type IncludeObject } from './table.ts';
import { inScope, projectEvent, type WatchFilter } from './watch-filter.ts';
import type { JsonObject } from './util.ts';

/** Where a watch writes; the HTTP layer implements it over a chunked response. */
export interface WatchSink {
  send(chunk: string): void;
  /** Ends the stream cleanly (what kube-apiserver does on timeout). */
  end(): void;
  /** Cuts the connection. */
  destroy(): void;
  onClose(listener: () => void): void;
}

export interface WatchSpec {
  filter: WatchFilter;
  version: string;
  /** As sent by the client; unset or "0" starts with the current state as ADDED events. */
  resourceVersion: string | undefined;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
  table?: { apiVersion: string; includeObject: IncludeObject };
}

export interface WatchHubOptions {
  bookmarkIntervalMs: number;
  now: () => Date;
}

interface OpenWatch {
  info: KindInfo;
  sink: WatchSink;
  close(): void;
}

export class WatchHub {
  readonly #open = new Set<OpenWatch>();
  readonly #store: ObjectStore;
  readonly #options: WatchHubOptions;

  constructor(store: ObjectStore, options: WatchHubOptions) {
    this.#store = store;
    this.#options = options;
  }

  /** Starts a watch; with `forceGone` (fault injection) it answers `410 Gone` at once. */
  open(spec: WatchSpec, sink: WatchSink, forceGone = false): void {
    const encode = (type: string, object: JsonObject): string =>
      `${JSON.stringify({ type, object: this.#render(spec, object) })}\n`;
    const backlog = this.#backlog(spec);
    if (forceGone || backlog === undefined) {
      const status = gone(
        `too old resource version: ${spec.resourceVersion ?? ''} (${this.#store.compactedRevision + 1})`,
      ).status;
      sink.send(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
      sink.end();
      return;
    }
    for (const [type, object] of backlog) sink.send(encode(type, object));
    const unsubscribe = this.#store.subscribe((event) => {
      const type = projectEvent(spec.filter, event);
      if (type) sink.send(encode(type, event.object));
    });
    const timers = this.#timers(spec, sink);
    const entry: OpenWatch = {
      info: spec.filter.info,
      sink,
      close: () => {
        unsubscribe();
        for (const t of timers) clearTimeout(t);
        this.#open.delete(entry);
      },
    };
    this.#open.add(entry);
    sink.onClose(() => entry.close());
  }

  /** Ends open watches (of one kind, or all); returns how many. */
  drop(info?: KindInfo, abrupt = false): number {
    const targets = [...this.#open].filter((w) => info === undefined || w.info === info);
    for (const w of targets) {
      w.close();
      if (abrupt) w.sink.destroy();
      else w.sink.end();
    }
    return targets.length;
  }

  /** The events to send before following the store, or `undefined` for `410 Gone`. */
  #backlog(spec: WatchSpec): [string, JsonObject][] | undefined {
    const rv = spec.resourceVersion;
    if (rv === undefined || rv === '' || rv === '0') {
      const current = this.#store.list(spec.filter.info, spec.filter.namespace);
      return current.filter((o) => inScope(spec.filter, o)).map((o) => ['ADDED', o]);
    }
    const events = this.#store.eventsAfter(Number(rv));
    if (!events) return undefined;
    return events.flatMap((e: StoreEvent): [string, JsonObject][] => {
      const type = projectEvent(spec.filter, e);
      return type ? [[type, e.object]] : [];
    });
  }

  #timers(spec: WatchSpec, sink: WatchSink): NodeJS.Timeout[] {
    const timers: NodeJS.Timeout[] = [];
    if (spec.timeoutSeconds !== undefined && spec.timeoutSeconds > 0) {
      timers.push(setTimeout(() => this.#end(sink), spec.timeoutSeconds * 1000));
    }
    if (spec.allowBookmarks && this.#options.bookmarkIntervalMs > 0) {
      const info = spec.filter.info;
      const tick = (): void => {
        const bookmark = {
          kind: info.kind,
          metadata: { resourceVersion: String(this.#store.resourceVersion) },
        };
        sink.send(
          `${JSON.stringify({ type: 'BOOKMARK', object: this.#render(spec, bookmark, true) })}\n`,
        );
      };
      // Node's clearTimeout also clears intervals.
      timers.push(setInterval(tick, this.#options.bookmarkIntervalMs));
    }
    return timers;
  }

  #end(sink: WatchSink): void {
    const w = [...this.#open].find((o) => o.sink === sink);
    w?.close();
    sink.end();
  }

  #render(spec: WatchSpec, object: JsonObject, bookmark = false): JsonObject {
    const info = spec.filter.info;
    const versioned = presentAs(info, object, spec.version);
    if (!spec.table) return versioned;
    return buildTable(info, bookmark ? [] : [versioned], {
      now: this.#options.now(),
      apiVersion: spec.table.apiVersion,
      includeObject: spec.table.includeObject,
      resourceVersion: String(
        (versioned.metadata as JsonObject | undefined)?.resourceVersion ?? '',
      ),
    });
  }
}
