/**
 * GatewayParameters (portico.dev/v1alpha1): Portico's settings for a Gateway's data plane,
 * referenced by a GatewayClass `spec.parametersRef` or a Gateway
 * `spec.infrastructure.parametersRef`. The same schema as the CRD in
 * `deploy/base/gatewayparameters-crd.yaml`; the controller validates the values again
 * (`@portico/provision`), so an object admitted by an older CRD cannot break a data plane.
 */
import type { ObjectSchema } from '../dsl.ts';
import { integer, object, pattern, string } from '../dsl.ts';
import type { KindSchemas } from './root.ts';
import { root } from './root.ts';

/** A Kubernetes resource quantity as the data plane accepts it (`100m`, `2`, `512Mi`). */
const QUANTITY = pattern(String.raw`^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$`);

function resourceList(): ObjectSchema {
  return object({
    cpu: string({ maxLength: 32, pattern: QUANTITY }),
    memory: string({ maxLength: 32, pattern: QUANTITY }),
  });
}

function spec(): ObjectSchema {
  return object({
    replicas: integer({ format: 'int32', minimum: 1, maximum: 100 }),
    resources: object({ requests: resourceList(), limits: resourceList() }),
    service: object({
      type: string({ enum: ['LoadBalancer', 'NodePort', 'ClusterIP'] }),
      externalTrafficPolicy: string({ enum: ['Cluster', 'Local'] }),
    }),
    nginx: object({
      workerProcesses: integer({ format: 'int32', minimum: 1, maximum: 64 }),
      workerConnections: integer({ format: 'int32', minimum: 64, maximum: 65536 }),
    }),
  });
}

const schema = root(spec());

export const gatewayParameters: KindSchemas = {
  group: 'portico.dev',
  kind: 'GatewayParameters',
  versions: { v1alpha1: schema },
};
