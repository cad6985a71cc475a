// End-to-end tests start the whole local stack (Redis, the API emulator, watcher, reconcilers,
// renderer, NGINX, echo backends): one stack per file, files one after another so that two
// stacks never compete for this machine's two cores, and timeouts that allow for a loaded host.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 90_000,
    teardownTimeout: 30_000,
  },
});
