/**
 * @portico/kube-emulator: a Kubernetes API emulator for tests and local mode. It speaks the real
 * REST protocol over HTTP so that `kubectl` and `@kubernetes/client-node` work unchanged, keeps
 * state in memory, and lets tests inject faults. A development tool, not a production component.
 */
export { startEmulator, type Emulator, type EmulatorOptions } from './server.ts';
export type { FaultInjector, FailWritesOptions, FaultCommand } from './faults.ts';
export { KINDS, type KindInfo, type PrinterColumn } from './kinds.ts';
export { kubeconfigYaml } from './kubeconfig.ts';
