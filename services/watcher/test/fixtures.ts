/** Objects as informers hand them to the watcher (plain JSON, kind set). */
import type { KubeObject } from '@portico/kube';

export const CONTROLLER = 'portico.dev/gateway-controller';

export function gatewayClass(name = 'portico', controllerName = CONTROLLER): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name, resourceVersion: '1', generation: 1 },
    spec: { controllerName },
  };
}

export function gateway(name = 'gw', resourceVersion = '2'): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: 'default', resourceVersion, generation: 1 },
    spec: {
      gatewayClassName: 'portico',
      listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }],
    },
  };
}

export function httpRoute(resourceVersion: string, hostname = 'www.example.local'): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'httpbin', namespace: 'default', resourceVersion, generation: 1 },
    spec: {
      parentRefs: [{ name: 'gw' }],
      hostnames: [hostname],
      rules: [{ backendRefs: [{ name: 'httpbin', port: 80 }] }],
    },
  };
}

export function service(name: string, resourceVersion = '3'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', resourceVersion },
    spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  };
}

export function endpointSlice(serviceName: string, resourceVersion = '4'): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${serviceName}-abc`,
      namespace: 'default',
      resourceVersion,
      labels: { 'kubernetes.io/service-name': serviceName },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}
