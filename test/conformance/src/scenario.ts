/**
 * What a conformance scenario is: one upstream test (by its ShortName), the objects it applies,
 * and the steps it runs against the local stack through a {@link ScenarioContext}.
 */
import type { KubeObject } from '@portico/kube';
import type { Cluster } from './cluster.ts';
import type { HttpExpect } from './http-expect.ts';
import type { Backends } from './backends.ts';

/** Conformance profiles of the upstream suite that this harness knows. */
export const PROFILES = [
  'GATEWAY-HTTP',
  'GATEWAY-TLS',
  'GATEWAY-GRPC',
  'GATEWAY-TCP',
  'GATEWAY-UDP',
] as const;
export type Profile = (typeof PROFILES)[number];

/** Whether a test counts as core or extended support in a profile. */
export type Support = 'core' | 'extended';

export interface Scenario {
  /** The upstream test's ShortName. */
  shortName: string;
  /** What upstream checks, in our words. (Profiles and features: see catalogue.ts.) */
  description: string;
  /** Applied (kubectl apply) before `run`, deleted after it. */
  manifests: KubeObject[];
  run(t: ScenarioContext): Promise<void>;
}

/** What a scenario's steps can do. */
export interface ScenarioContext {
  /** API reads, writes and status waits, as the upstream helpers do them. */
  readonly cluster: Cluster;
  /** Requests through NGINX with upstream's consistency rules. */
  readonly http: HttpExpect;
  /** The echo pods, and the endpoints controller's job for Services a scenario adds. */
  readonly backends: Backends;
  /** Names a step; a failure message starts with the innermost named step. */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
}
