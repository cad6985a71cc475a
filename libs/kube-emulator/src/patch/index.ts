/**
 * Applies a PATCH body by its content type: JSON patch (RFC 6902), merge patch (RFC 7386), and
 * strategic merge patch for built-in kinds only (custom kinds answer 415, like kube-apiserver).
 */
import jsonPatch, { type Operation } from 'fast-json-patch';
import type { KindInfo } from '../kinds.ts';
import { ApiError, badRequest } from '../status.ts';
import { clone, isObject, type JsonObject } from '../util.ts';
import { mergePatch } from './merge.ts';
import { strategicMergePatch } from './strategic.ts';

export { mergePatch } from './merge.ts';
export { strategicMergePatch } from './strategic.ts';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

function unsupported(contentType: string, info: KindInfo): ApiError {
  const accepted = [JSON_PATCH, MERGE_PATCH, ...(info.patchMeta ? [STRATEGIC] : [])].join(', ');
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted}` +
      (contentType ? ` (got ${contentType})` : ''),
  );
}

/** The patched object; throws an `ApiError` for a bad body or an unsupported patch type. */
export function applyPatchBody(
  contentType: string,
  original: JsonObject,
  body: string,
  info: KindInfo,
): JsonObject {
  const type = contentType.split(';')[0]?.trim() ?? '';
  if (type === JSON_PATCH) {
    const ops = parse(body);
    if (!Array.isArray(ops))
      throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    try {
      return jsonPatch.applyPatch(clone(original), ops as Operation[], true, true).newDocument;
    } catch (err) {
      throw new ApiError(
        422,
        'Invalid',
        `the server rejected our request due to an error in our request: ${(err as Error).message.split('\n')[0] ?? ''}`,
      );
    }
  }
  if (type === MERGE_PATCH || (type === STRATEGIC && info.patchMeta)) {
    const patch = parse(body);
    if (!isObject(patch)) throw badRequest('error decoding patch: not a JSON object');
    if (type === MERGE_PATCH) return mergePatch(original, patch) as JsonObject;
    if (info.patchMeta) return strategicMergePatch(original, patch, info.patchMeta);
  }
  throw unsupported(contentType, info);
}
