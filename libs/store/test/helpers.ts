import { randomUUID } from 'node:crypto';
import { IR_SCHEMA_VERSION, contentHash } from '@portico/ir';
import type { GatewayIR } from '@portico/ir';
import type { IRChange } from '../src/index.ts';

/** A fresh key prefix per test, so tests sharing one Redis never see each other's keys. */
export function freshPrefix(): string {
  return `test-${randomUUID().slice(0, 8)}`;
}

/** A small IR for `ns/name`; `variant` changes its content (and so its hash). */
export function sampleIR(ns: string, name: string, variant = 0): { ir: GatewayIR; hash: string } {
  const ir: GatewayIR = {
    schemaVersion: IR_SCHEMA_VERSION,
    gateway: { namespace: ns, name: `${name}${variant === 0 ? '' : `-v${variant}`}` },
    httpServers: [],
    upstreams: [],
  };
  return { ir, hash: contentHash(ir) };
}

/** Collects IR changes and lets a test wait for one that matches. */
export function changeRecorder() {
  const changes: IRChange[] = [];
  const waiters: { match: (c: IRChange) => boolean; resolve: () => void }[] = [];
  return {
    changes,
    onChange: (change: IRChange) => {
      changes.push(change);
      for (const w of waiters.filter((w) => w.match(change))) w.resolve();
    },
    /** Resolves when a change matching `match` arrives (or has arrived already). */
    waitFor: (match: (c: IRChange) => boolean, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        if (changes.some(match)) return resolve();
        const timer = setTimeout(
          () => reject(new Error('timed out waiting for IR change')),
          timeoutMs,
        );
        waiters.push({ match, resolve: () => (clearTimeout(timer), resolve()) });
      }),
  };
}
