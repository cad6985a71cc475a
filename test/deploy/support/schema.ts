/**
 * Validation of rendered objects against the Kubernetes JSON schemas of the built-in kinds,
 * through the `kubernetes-models` package (one generated validator per kind). These schemas
 * check types, required fields, formats and enums; they do not reject unknown fields, so the
 * policy checks (policy.ts) look for the fields that matter by name.
 */
import type { KubeDoc } from './manifests.ts';

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** `apps/v1` -> `kubernetes-models/apps/v1`; the core group `v1` -> `kubernetes-models/v1`. */
function modulePath(apiVersion: string): string {
  return `kubernetes-models/${apiVersion}`;
}

async function modelFor(doc: KubeDoc): Promise<ModelClass | undefined> {
  let module: Record<string, unknown>;
  try {
    module = (await import(modulePath(doc.apiVersion))) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const model = module[doc.kind];
  return typeof model === 'function' ? (model as ModelClass) : undefined;
}

/** Whether `kubernetes-models` has a schema for this object's apiVersion and kind. */
export async function isBuiltIn(doc: KubeDoc): Promise<boolean> {
  return (await modelFor(doc)) !== undefined;
}

/**
 * The schema errors of one built-in object (empty when valid). Throws for a kind without a
 * schema, so a custom resource is never reported valid by accident.
 */
export async function schemaErrors(doc: KubeDoc): Promise<string[]> {
  const Model = await modelFor(doc);
  if (!Model) throw new Error(`no Kubernetes schema for ${doc.apiVersion} ${doc.kind}`);
  try {
    new Model(doc).validate();
    return [];
  } catch (error) {
    return [`${doc.kind}/${doc.metadata.name}: ${(error as Error).message}`];
  }
}
