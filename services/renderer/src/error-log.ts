/**
 * Why a reload failed. `nginx -t` cannot catch everything: a listen port that another process
 * holds fails only when the master binds it during the reload, and then NGINX keeps the old
 * configuration and says why in its error log alone. The renderer marks the log before the
 * reload and reads NGINX's own words from there, so the Gateway's `Programmed=False` message
 * carries them (invariant 4).
 */
import { open, stat } from 'node:fs/promises';

/** At most this much of the log after the mark is read (the end of it, where the errors are). */
const READ_LIMIT = 64 * 1024;
/** At most this many distinct error lines go into a message. */
const MAX_LINES = 5;
const SEVERE = /\[(emerg|alert|crit)\]\s+\d+#\d+:\s+(.*)$/;

/** The size of the error log now (0 when it does not exist yet). */
export async function errorLogMark(path: string): Promise<number> {
  return (await stat(path).catch(() => undefined))?.size ?? 0;
}

/**
 * The severe lines (`emerg`, `alert`, `crit`) NGINX wrote after `mark`, without timestamp and
 * pid, in order, each once. A log shorter than the mark was rotated: it is read from the start.
 */
export async function errorsSince(path: string, mark: number): Promise<string[]> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return [];
  try {
    const { size } = await handle.stat();
    const start = Math.max(size < mark ? 0 : mark, size - READ_LIMIT);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    return severeLines(buffer.toString('utf8'));
  } finally {
    await handle.close();
  }
}

/** Pure: the messages of the severe lines of an error log excerpt, deduplicated, at most five. */
export function severeLines(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split('\n')) {
    const match = SEVERE.exec(line.trim());
    if (!match) continue;
    const message = `[${match[1]}] ${match[2]}`;
    if (!found.includes(message)) found.push(message);
    if (found.length === MAX_LINES) break;
  }
  return found;
}
