/**
 * Server-side printing: the `Table` (meta.k8s.io) that `kubectl get` asks for with
 * `Accept: application/json;as=Table;g=meta.k8s.io;v=v1`. Cells follow the CRD table convertor:
 * the first JSONPath result only, `date` columns as an age relative to `now`. Pure.
 */
import { evaluateJsonPath } from './jsonpath.ts';
import type { KindInfo, PrinterColumn } from './kinds.ts';
import { humanDuration, metaOf, metaString, type JsonObject } from './util.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  now: Date;
  /** `meta.k8s.io/v1` or `meta.k8s.io/v1beta1`, as the client asked. */
  apiVersion: string;
  includeObject: IncludeObject;
  resourceVersion: string;
  continueToken?: string;
}

const nameColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
};

/** The column definitions: Name first, then the kind's printer columns. */
export function columnDefinitions(info: KindInfo): JsonObject[] {
  return [
    nameColumn,
    ...info.printerColumns.map((c) => ({
      name: c.name,
      type: c.type === 'date' ? 'date' : c.type,
      format: '',
      description: c.description ?? c.name,
      priority: c.priority ?? 0,
    })),
  ];
}

function formatString(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One cell: the first value the column's JSONPath selects, typed like the CRD convertor does. */
export function cellFor(column: PrinterColumn, obj: JsonObject, now: Date): unknown {
  const values = evaluateJsonPath(column.jsonPath, obj);
  if (column.joinAll && values.length > 0) return values.map(formatString).join(',');
  const [value] = values;
  if (value === undefined || value === null) return null;
  switch (column.type) {
    case 'date': {
      const t = typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isNaN(t) ? formatString(value) : humanDuration(now.getTime() - t);
    }
    case 'integer':
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'string':
      return formatString(value);
  }
}

function rowObject(
  obj: JsonObject,
  include: IncludeObject,
  apiVersion: string,
): JsonObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion, metadata: metaOf(obj) };
}

/** One table row for an object. */
export function rowFor(info: KindInfo, obj: JsonObject, options: TableOptions): JsonObject {
  const object = rowObject(obj, options.includeObject, options.apiVersion);
  return {
    cells: [
      metaString(obj, 'name'),
      ...info.printerColumns.map((c) => cellFor(c, obj, options.now)),
    ],
    ...(object ? { object } : {}),
  };
}

/** A `Table` of the given objects. */
export function buildTable(
  info: KindInfo,
  objects: readonly JsonObject[],
  options: TableOptions,
): JsonObject {
  return {
    kind: 'Table',
    apiVersion: options.apiVersion,
    metadata: {
      resourceVersion: options.resourceVersion,
      ...(options.continueToken ? { continue: options.continueToken } : {}),
    },
    columnDefinitions: columnDefinitions(info),
    rows: objects.map((o) => rowFor(info, o, options)),
  };
}

/**
 * Whether an Accept header asks for a Table, and which meta.k8s.io version. kubectl lists Table
 * first with plain JSON as a fallback; the first acceptable entry wins.
 */
export function tableVersionFromAccept(accept: string | undefined): string | undefined {
  for (const entry of (accept ?? '').split(',')) {
    const params = new Map<string, string>();
    const [type = '', ...rest] = entry.split(';').map((p) => p.trim());
    for (const p of rest) {
      const [k = '', v = ''] = p.split('=');
      params.set(k.trim(), v.trim());
    }
    if (params.get('as') === 'Table' && params.get('g') === 'meta.k8s.io') {
      const v = params.get('v');
      if (v === 'v1' || v === 'v1beta1') return `meta.k8s.io/${v}`;
      continue;
    }
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return undefined;
  }
  return undefined;
}
