/** ReferenceGrant (v1, v1beta1): lets objects in other namespaces reference objects here. */
import { array, object } from '../dsl.ts';
import { group, kind, namespace, objectName } from '../types/common.ts';
import type { KindSchemas } from './root.ts';
import { root } from './root.ts';

function spec() {
  const from = object(
    { group: group(), kind: kind(), namespace: namespace() },
    { required: ['group', 'kind', 'namespace'] },
  );
  const to = object(
    { group: group(), kind: kind(), name: objectName() },
    { required: ['group', 'kind'] },
  );
  return object(
    {
      from: array(from, { minItems: 1, maxItems: 16, listType: 'atomic' }),
      to: array(to, { minItems: 1, maxItems: 16, listType: 'atomic' }),
    },
    { required: ['from', 'to'] },
  );
}

const schema = root(spec());

export const referenceGrant: KindSchemas = {
  group: 'gateway.networking.k8s.io',
  kind: 'ReferenceGrant',
  versions: { v1: schema, v1beta1: schema },
};
