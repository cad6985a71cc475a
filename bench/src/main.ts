/**
 * `npm run bench -- <name>`: runs one benchmark, which prints JSON lines on stdout. Benchmarks
 * are kept out of the test run: they start the whole local stack and take minutes.
 */
import { runDataplane } from './dataplane.ts';
import { runPropagation } from './propagation.ts';
import { runReconcileCpu } from './reconcile-cpu.ts';
import { runScaling } from './scaling.ts';

const BENCHES: Record<string, { describe: string; run: () => Promise<void> }> = {
  dataplane: {
    describe:
      'req/s and latency through rendered configs vs hand-written NGINX (HTTP, HTTPS, TLS passthrough, TCP, gRPC)',
    run: runDataplane,
  },
  propagation: {
    describe: 'API write of an HTTPRoute to its first 200 through NGINX (0/100/1000 present)',
    run: runPropagation,
  },
  reconcile: {
    describe:
      'CPU and phases of one Gateway reconcile after a single-route change, 1,000 routes present',
    run: runReconcileCpu,
  },
  scaling: {
    describe: '2,000 route changes over 200 Gateways: time to converge with 1, 2, 4 reconcilers',
    run: runScaling,
  },
};

function usage(): string {
  const lines = Object.entries(BENCHES).map(([name, bench]) => `  ${name}  ${bench.describe}`);
  return ['usage: npm run bench -- <name>', '', 'benchmarks:', ...lines].join('\n');
}

const name = process.argv[2];
const bench = name === undefined ? undefined : BENCHES[name];
if (!bench) {
  process.stderr.write(`${name ? `unknown benchmark "${name}"\n` : ''}${usage()}\n`);
  process.exit(2);
}
await bench.run();
