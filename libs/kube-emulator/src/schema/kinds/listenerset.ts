/**
 * ListenerSet (v1): listeners attached to a Gateway from another object; the status defaults
 * to Accepted/Programmed "Pending" like a Gateway's.
 */
import { object } from '../dsl.ts';
import { group, kind, namespace, objectName } from '../types/common.ts';
import { listeners } from '../types/listener.ts';
import { conditions, listenerStatuses, pendingConditions } from '../types/status.ts';
import type { KindSchemas } from './root.ts';
import { root } from './root.ts';

function spec() {
  const parentRef = object(
    {
      group: group('gateway.networking.k8s.io'),
      kind: kind('Gateway'),
      name: objectName(),
      namespace: namespace(),
    },
    { required: ['name'] },
  );
  return object({ listeners: listeners(), parentRef }, { required: ['listeners', 'parentRef'] });
}

function status() {
  const pending = pendingConditions(['Accepted', 'Programmed']);
  return object(
    { conditions: conditions({ default: pending }), listeners: listenerStatuses() },
    { default: { conditions: pending } },
  );
}

export const listenerSet: KindSchemas = {
  group: 'gateway.networking.k8s.io',
  kind: 'ListenerSet',
  versions: { v1: root(spec(), status()) },
};
