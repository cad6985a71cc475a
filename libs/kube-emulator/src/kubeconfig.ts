/**
 * A kubeconfig for the emulator: plain HTTP to 127.0.0.1 with a dummy token, accepted by kubectl
 * and by `KubeConfig.loadFromFile` of `@kubernetes/client-node` (which refuses `http:` servers
 * unless the cluster says `insecure-skip-tls-verify: true`; kubectl ignores it for plain HTTP).
 */
import { stringify } from 'yaml';

export const CONTEXT_NAME = 'portico-emulator';

/** The kubeconfig YAML for a server URL. */
export function kubeconfigYaml(server: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: CONTEXT_NAME, cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: CONTEXT_NAME, user: { token: 'portico-emulator-not-a-secret' } }],
    contexts: [
      {
        name: CONTEXT_NAME,
        context: { cluster: CONTEXT_NAME, user: CONTEXT_NAME, namespace: 'default' },
      },
    ],
    'current-context': CONTEXT_NAME,
  });
}
