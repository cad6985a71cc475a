/** The real `kubectl`, pointed at the stack's kubeconfig: how users drive local mode. */
import { runToCompletion } from '@portico/testing';

export interface KubectlResult {
  code: number | null;
  output: string;
}

export async function kubectl(
  kubeconfig: string,
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<KubectlResult> {
  const result = await runToCompletion('kubectl', ['--kubeconfig', kubeconfig, ...args], {
    name: `kubectl ${args[0] ?? ''}`,
    timeoutMs,
  });
  return { code: result.code, output: result.output };
}

/** Like `kubectl`, but a non-zero exit is an error carrying kubectl's output. */
export async function kubectlOk(kubeconfig: string, args: readonly string[]): Promise<string> {
  const result = await kubectl(kubeconfig, args);
  if (result.code !== 0)
    throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.output}`);
  return result.output;
}
