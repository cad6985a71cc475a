/** Reads a snapshot written as YAML documents (one Kubernetes object each, `kind` set). */
import { parseAllDocuments } from 'yaml';
import type { Snapshot, SnapshotObject } from '../src/index.ts';
import { snapshotFromObjects } from '../src/index.ts';

export function loadSnapshot(text: string): Snapshot {
  const objects = parseAllDocuments(text)
    .map((doc) => doc.toJS() as SnapshotObject | null)
    .filter((o): o is SnapshotObject => o !== null);
  return snapshotFromObjects(objects);
}
