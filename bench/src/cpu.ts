/**
 * Where the CPU of a benchmark step goes, per part of the stack, read from `/proc` (Linux):
 * on a 2-core machine the processes compete, so the CPU a change costs matters as much as its
 * latency. A process's own time is `utime + stime`; time of children it has reaped
 * (`cutime + cstime`) is where `nginx -t` runs (children of the renderer) and where NGINX
 * workers replaced by reloads end up (children of the master).
 */
import { readFileSync } from 'node:fs';
import type { LocalStack } from '@portico/local-stack';
import { childPids } from '@portico/testing';

const TICK_MS = 10; // USER_HZ is 100 on Linux

interface Times {
  own: number;
  children: number;
}

function times(pid: number): Times {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3 (state).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const field = (n: number) => Number(fields[n - 3] ?? 0) * TICK_MS;
    return { own: field(14) + field(15), children: field(16) + field(17) };
  } catch {
    return { own: 0, children: 0 };
  }
}

/** CPU milliseconds used so far, by part. */
export type CpuSample = Record<string, number>;

export function sampleCpu(stack: LocalStack): CpuSample {
  const sample: CpuSample = {};
  const add = (part: string, ms: number) => (sample[part] = (sample[part] ?? 0) + ms);
  const addRenderer = (pid: number) => {
    const t = times(pid);
    add('renderer', t.own);
    add('nginxTest', t.children); // `nginx -t` runs reaped children of the renderer
    for (const master of childPids(pid)) {
      const m = times(master);
      add('nginx', m.own + m.children);
      for (const worker of childPids(master)) add('nginx', times(worker).own);
    }
  };
  for (const [id, service] of stack.services) {
    if (id === 'renderer') addRenderer(service.process.pid);
    else add(id.replace(/-\d+$/, 's'), times(service.process.pid).own);
  }
  // Data planes provisioned per Gateway run as renderers of the local kubelet.
  for (const plane of stack.kubelet.planes()) addRenderer(plane.process.pid);
  if (stack.redis) add('redis', times(stack.redis.pid()).own);
  const self = process.cpuUsage();
  add('benchAndApiServer', (self.user + self.system) / 1000);
  return sample;
}

/** CPU ms per part between two samples, divided by `per` (e.g. per change), rounded. */
export function cpuDelta(before: CpuSample, after: CpuSample, per = 1): CpuSample {
  const delta: CpuSample = {};
  for (const [part, ms] of Object.entries(after)) {
    delta[part] = Math.round((ms - (before[part] ?? 0)) / per);
  }
  return delta;
}
