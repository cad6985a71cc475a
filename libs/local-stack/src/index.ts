/** @portico/local-stack: Portico on one machine, for `npm start` and end-to-end tests. */
export { startLocalStack, type LocalStack, type LocalStackOptions } from './stack.ts';
export { writeEndpointSlice, type LocalEndpoint } from './endpoints.ts';
export { kubectl, kubectlOk, type KubectlResult } from './kubectl.ts';
export { REPO_ROOT, SEED_DIR } from './paths.ts';
export {
  LocalKubelet,
  SLOT_SPACING,
  type LocalDataPlane,
  type LocalKubeletOptions,
} from './kubelet.ts';
export { runScalingScenario, type ScalingOptions, type ScalingResult } from './scaling.ts';
