// The Applier tests run a real NGINX (start, nginx -t, reloads); on a loaded 2-core machine
// that takes seconds, so allow more than vitest's 5 s default.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { testTimeout: 20_000, hookTimeout: 20_000 },
});
