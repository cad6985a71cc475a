/**
 * Local mode has no endpoints controller: backends are local processes, and the stack writes
 * the EndpointSlice that says where a Service's "pods" listen (127.0.0.1 and the process's
 * port), as a cluster would for pod IPs.
 */
import {
  collectionPath,
  isNotFound,
  objectPath,
  RESOURCES,
  type KubeObject,
  type KubeRest,
} from '@portico/kube';

export interface LocalEndpoint {
  address: string;
  port: number;
  ready?: boolean;
}

export async function writeEndpointSlice(
  rest: KubeRest,
  options: {
    namespace: string;
    service: string;
    portName: string;
    name?: string;
    endpoints: LocalEndpoint[];
  },
): Promise<void> {
  const name = options.name ?? `${options.service}-local`;
  const type = RESOURCES.EndpointSlice;
  const ports = [...new Set(options.endpoints.map((e) => e.port))];
  if (ports.length > 1)
    throw new Error('one EndpointSlice carries one port per name; use one slice per port');
  const body: KubeObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      namespace: options.namespace,
      labels: { 'kubernetes.io/service-name': options.service },
    },
    addressType: 'IPv4',
    endpoints: options.endpoints.map((e) => ({
      addresses: [e.address],
      conditions: { ready: e.ready ?? true },
    })),
    ports: [{ name: options.portName, port: ports[0] ?? 0, protocol: 'TCP' }],
  };
  try {
    const current = await rest.request<KubeObject>(
      'GET',
      objectPath(type, options.namespace, name),
    );
    await rest.request('PUT', objectPath(type, options.namespace, name), {
      body: {
        ...body,
        metadata: { ...body.metadata, resourceVersion: current.metadata.resourceVersion },
      },
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await rest.request('POST', collectionPath(type, options.namespace), { body });
  }
}
