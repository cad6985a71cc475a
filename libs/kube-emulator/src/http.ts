/** HTTP plumbing shared by the handlers: bodies, JSON answers, query parameters. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { FieldValidation } from './admission.ts';
import {
  decodeProtobufObject,
  PROTOBUF_MEDIA_TYPE,
  UnsupportedProtobufKind,
  WireError,
} from './protobuf/index.ts';
import { ApiError, badRequest } from './status.ts';
import { isObject, type JsonObject } from './util.ts';

const MAX_BODY = 16 * 1024 * 1024;

/** Reads a request body as bytes (at most 16 MiB, like kube-apiserver's limit order). */
export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY)
      throw new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Reads a request body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

/**
 * Decodes an object body: JSON, YAML, or Kubernetes protobuf (what kubectl's typed clients
 * send, e.g. `kubectl create secret`), for the kinds `protobuf/schemas.ts` describes.
 */
export function decodeObject(body: Buffer | string, contentType: string | undefined): JsonObject {
  const mediaType = (contentType ?? '').split(';')[0]?.trim() ?? '';
  if (mediaType === PROTOBUF_MEDIA_TYPE) return decodeProtobuf(body);
  const text = typeof body === 'string' ? body : body.toString('utf8');
  let value: unknown;
  try {
    value = /yaml/.test(mediaType) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw badRequest(`the object provided is unrecognized: ${(err as Error).message}`);
  }
  if (!isObject(value))
    throw badRequest('the object provided is unrecognized: expected a JSON object');
  return value;
}

function decodeProtobuf(body: Buffer | string): JsonObject {
  try {
    return decodeProtobufObject(typeof body === 'string' ? Buffer.from(body) : body);
  } catch (err) {
    if (err instanceof UnsupportedProtobufKind)
      throw new ApiError(415, 'UnsupportedMediaType', err.message);
    if (err instanceof WireError)
      throw badRequest(`the object provided is unrecognized: ${err.message}`);
    throw err;
  }
}

/** Answers JSON. */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  warnings: readonly string[] = [],
): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings.length > 0) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

/** `dryRun=All` means a dry run; any other value is refused like kube-apiserver does. */
export function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  if (values.length === 0) return false;
  if (values.every((v) => v === 'All')) return true;
  throw badRequest(`Invalid dry run value: ${values.join(',')} (only "All" is supported)`);
}

/** `fieldValidation`: `Strict`, `Warn` (the default) or `Ignore`. */
export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation') ?? 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  if (value === '') return 'Warn';
  throw badRequest(
    `fieldValidation "${value}" is not a valid value: must be one of Ignore, Warn or Strict`,
  );
}

/** A non-negative integer query parameter, or `undefined`. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid value for ${name}: ${raw}`);
  return n;
}

/** `true`, `1` (and the empty value of a bare flag) count as set. */
export function boolParam(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  return raw !== null && raw !== 'false' && raw !== '0';
}
