/** The pod templates of rendered workloads, typed just enough for the policy checks. */
import { selects, type KubeDoc, type LabelSelector } from './manifests.ts';

export interface Probe {
  httpGet?: { path?: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
}

export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type: string };
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
  };
}

export interface EnvFromSource {
  configMapRef?: { name: string };
  secretRef?: { name: string };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: {
    requests?: Record<string, string | number>;
    limits?: Record<string, string | number>;
  };
  securityContext?: SecurityContext;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: SecurityContext & { fsGroup?: number };
  containers: Container[];
  initContainers?: Container[];
  volumes?: Array<{ name: string; emptyDir?: object; hostPath?: object; [key: string]: unknown }>;
}

/** A workload's pod template with what owns it. */
export interface PodTemplate {
  owner: KubeDoc;
  /** `Deployment/portico-watcher` */
  id: string;
  labels: Record<string, string>;
  selector: LabelSelector;
  replicas: number | undefined;
  spec: PodSpec;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

interface WorkloadSpec {
  replicas?: number;
  selector: LabelSelector;
  template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
}

export function podTemplates(docs: readonly KubeDoc[]): PodTemplate[] {
  return docs
    .filter((doc) => WORKLOAD_KINDS.has(doc.kind))
    .map((doc) => {
      const spec = doc.spec as WorkloadSpec;
      return {
        owner: doc,
        id: `${doc.kind}/${doc.metadata.name}`,
        labels: spec.template.metadata?.labels ?? {},
        selector: spec.selector,
        replicas: spec.replicas,
        spec: spec.template.spec,
      };
    });
}

export function allContainers(pod: PodSpec): Container[] {
  return [...(pod.initContainers ?? []), ...pod.containers];
}

/** A probe's or Service's port: a number, or the name of one of the container's ports. */
export function resolvePort(container: Container, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** The pod templates that `selector` selects (what a Service, PDB or policy applies to). */
export function selectedPods(
  templates: readonly PodTemplate[],
  selector: LabelSelector,
): PodTemplate[] {
  return templates.filter((template) => selects(selector, template.labels));
}
