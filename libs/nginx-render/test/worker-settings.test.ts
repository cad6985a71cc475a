// NGINX worker settings from GatewayParameters (`spec.nginx`), through the provisioned
// Deployment's environment into RenderSettings.
import { describe, expect, it } from 'vitest';
import { renderNginx } from '@portico/nginx-render';
import { settingsUnder } from './support/nginx.ts';

const base = settingsUnder('/srv/portico');
const mainConf = (files: Array<{ path: string; contents: string }>) =>
  files.find((f) => f.path === 'nginx.conf')?.contents ?? '';

describe('worker settings', () => {
  it.each([
    [
      'defaults',
      { workerProcesses: 'auto' as const },
      ['worker_processes auto;', 'worker_connections 4096;'],
    ],
    [
      'set',
      { workerProcesses: 2, workerConnections: 512 },
      ['worker_processes 2;', 'worker_connections 512;'],
    ],
  ])('%s', (_name, overrides, expected) => {
    const conf = mainConf(renderNginx([], { ...base, ...overrides }).files);
    for (const line of expected) expect(conf).toContain(line);
  });

  it('refuses a worker_connections value NGINX cannot take', () => {
    expect(() => renderNginx([], { ...base, workerConnections: 1 })).toThrow(
      'settings.workerConnections',
    );
  });
});
