/** GatewayClass (v1, v1beta1): which controller handles Gateways of this class. */
import { array, object, string, transitionRule } from '../dsl.ts';
import { controllerName, group, kind, namespace, objectName } from '../types/common.ts';
import { conditions, pendingConditions } from '../types/status.ts';
import type { KindSchemas } from './root.ts';
import { root } from './root.ts';

function spec() {
  return object(
    {
      controllerName: {
        ...controllerName(),
        rules: [transitionRule<string>('Value is immutable', (self, old) => self === old)],
      },
      description: string({ maxLength: 64 }),
      parametersRef: object(
        { group: group(), kind: kind(), name: objectName(), namespace: namespace() },
        { required: ['group', 'kind', 'name'] },
      ),
    },
    { required: ['controllerName'] },
  );
}

function status() {
  const pending = pendingConditions(['Accepted']);
  const feature = object({ name: string() }, { required: ['name'] });
  return object(
    {
      conditions: conditions({ default: pending }),
      supportedFeatures: array(feature, { maxItems: 64, listType: 'map', mapKeys: ['name'] }),
    },
    { default: { conditions: pending } },
  );
}

const schema = root(spec(), status());

export const gatewayClass: KindSchemas = {
  group: 'gateway.networking.k8s.io',
  kind: 'GatewayClass',
  versions: { v1: schema, v1beta1: schema },
};
