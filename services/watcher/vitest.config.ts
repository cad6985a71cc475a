// The integration tests start a real redis-server and wait on a real queue; on a loaded
// 2-core machine that can take seconds, so allow more than vitest's 5 s default.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { testTimeout: 20_000, hookTimeout: 20_000 },
});
