import { describe, expect, it } from 'vitest';
import { DEFAULT_NGINX_MODULES, nginxPaths, renderBaseNginxConf } from '../src/index.ts';

const paths = nginxPaths('/tmp/portico-nginx-abc');

describe('renderBaseNginxConf', () => {
  it('loads the stream and njs modules first', () => {
    const lines = renderBaseNginxConf({ paths }).split('\n');
    expect(lines.slice(1, 4)).toEqual(DEFAULT_NGINX_MODULES.map((m) => `load_module ${m};`));
  });

  it.each([
    { name: 'pid', line: 'pid /tmp/portico-nginx-abc/logs/nginx.pid;' },
    { name: 'lock file', line: 'lock_file /tmp/portico-nginx-abc/logs/nginx.lock;' },
    { name: 'error log', line: 'error_log /tmp/portico-nginx-abc/logs/error.log notice;' },
    { name: 'foreground', line: 'daemon off;' },
    { name: 'master process', line: 'master_process on;' },
    { name: 'access log', line: '    access_log /tmp/portico-nginx-abc/logs/access.log;' },
    { name: 'proxy temp', line: '    proxy_temp_path /tmp/portico-nginx-abc/temp/proxy;' },
    {
      name: 'client body temp',
      line: '    client_body_temp_path /tmp/portico-nginx-abc/temp/client_body;',
    },
  ])('keeps the $name inside the prefix', ({ line }) => {
    expect(renderBaseNginxConf({ paths, http: '' }).split('\n')).toContain(line);
  });

  it.each([
    { name: 'as root', user: 'root', expected: ['user root;'] },
    { name: 'as a normal user', user: undefined, expected: [] },
  ])('writes a user directive only when asked ($name)', ({ user, expected }) => {
    const lines = renderBaseNginxConf({ paths, user }).split('\n');
    expect(lines.filter((line) => line.startsWith('user '))).toEqual(expected);
  });

  it.each([
    { name: 'no bodies', bodies: {}, http: false, stream: false },
    { name: 'http only', bodies: { http: 'server {}' }, http: true, stream: false },
    { name: 'stream only', bodies: { stream: 'server {}' }, http: false, stream: true },
    { name: 'include dir', bodies: { includeDir: '/etc/portico' }, http: true, stream: true },
  ])('renders blocks for $name', ({ bodies, http, stream }) => {
    const text = renderBaseNginxConf({ paths, ...bodies });
    expect(text.includes('\nhttp {\n')).toBe(http);
    expect(text.includes('\nstream {\n')).toBe(stream);
  });

  it('includes the http/ and stream/ files of an include directory', () => {
    const text = renderBaseNginxConf({ paths, includeDir: '/etc/portico' });
    expect(text).toContain('    include /etc/portico/http/*.conf;');
    expect(text).toContain('    include /etc/portico/stream/*.conf;');
  });

  it('indents the given body inside its block', () => {
    const text = renderBaseNginxConf({ paths, stream: 'server {\n    listen 1;\n}\n' });
    expect(text).toMatch(/stream \{\n {4}server \{\n {8}listen 1;\n {4}\}\n\}\n$/);
  });

  it.each([
    { name: 'a prefix with a space', options: { paths: nginxPaths('/tmp/a b') } },
    { name: 'a prefix with a semicolon', options: { paths: nginxPaths('/tmp/a;b') } },
    { name: 'a user with a brace', options: { paths, user: 'root}' } },
  ])('refuses $name', ({ options }) => {
    expect(() => renderBaseNginxConf(options)).toThrow(/unsafe/);
  });

  it('is deterministic', () => {
    const options = { paths, http: 'server {}', stream: 'server {}', user: 'root' };
    expect(renderBaseNginxConf(options)).toBe(renderBaseNginxConf(options));
  });
});
