/**
 * A V8 CPU profile of one stretch of a benchmark (`node --cpu-prof` profiles the whole
 * process, setup included, which buries the part being measured).
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

export interface RunningProfile {
  /** Stops profiling and writes the `.cpuprofile` file. */
  stop(): Promise<void>;
}

/** Starts profiling when `BENCH_PROFILE` names a file to write; undefined otherwise. */
export async function startProfile(
  path = process.env.BENCH_PROFILE,
): Promise<RunningProfile | undefined> {
  if (!path) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(path, JSON.stringify(profile));
      session.disconnect();
      process.stderr.write(`profile written to ${path}\n`);
    },
  };
}
