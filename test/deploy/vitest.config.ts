// The deploy/ tests: manifests rendered by kubectl, Dockerfiles read statically, and the rendered
// Deployments run as local processes. `npx vitest run --config deploy/vitest.config.ts` from
// test/. Files run one after another: the run test starts Redis, NGINX and the services.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 90_000,
    teardownTimeout: 30_000,
  },
});
