/**
 * Gateway `status.addresses` from the data plane's Service, as a cluster reports them: the
 * load balancer's ingress points for a LoadBalancer Service, the cluster IP for a ClusterIP one.
 * Empty until there is one (a load balancer takes time); the reconciler then falls back to the
 * configured addresses, if any.
 */
export interface ServiceAddressSource {
  spec?: { type?: string; clusterIP?: string };
  status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } };
}

export interface StatusAddress {
  type: 'IPAddress' | 'Hostname';
  value: string;
}

export function serviceAddresses(service: ServiceAddressSource | undefined): StatusAddress[] {
  if (!service) return [];
  const type = service.spec?.type ?? 'ClusterIP';
  if (type === 'LoadBalancer') {
    return (service.status?.loadBalancer?.ingress ?? []).flatMap((point): StatusAddress[] => {
      if (point.ip) return [{ type: 'IPAddress', value: point.ip }];
      if (point.hostname) return [{ type: 'Hostname', value: point.hostname }];
      return [];
    });
  }
  const clusterIP = service.spec?.clusterIP;
  if (type === 'ClusterIP' && clusterIP && clusterIP !== 'None')
    return [{ type: 'IPAddress', value: clusterIP }];
  return [];
}
