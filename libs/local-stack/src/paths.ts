/** Where the repository and its service entry points are, seen from this package. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type ServiceName = 'watcher' | 'reconciler' | 'renderer';

export function serviceMain(service: ServiceName): string {
  return join(REPO_ROOT, 'services', service, 'src', 'main.ts');
}

export const SEED_DIR = join(REPO_ROOT, 'examples', 'seed');
