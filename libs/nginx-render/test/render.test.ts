import { describe, expect, it } from 'vitest';
import type { GatewayIR, HttpRuleIR } from '@portico/ir';
import { RenderError, renderNginx, type RenderSettings } from '@portico/nginx-render';
import { splitBasisPoints } from '../src/backends.ts';
import { settingsUnder } from './support/nginx.ts';

const settings = settingsUnder('/srv/portico');

function rule(overrides: Partial<HttpRuleIR> = {}): HttpRuleIR {
  return {
    id: 'r0',
    source: { kind: 'HTTPRoute', namespace: 'default', name: 'route', ruleIndex: 0, matchIndex: 0 },
    match: { path: { type: 'PathPrefix', value: '/app' } },
    backends: [{ upstream: 'default__svc__80', weight: 1 }],
    ...overrides,
  };
}

function gateway(mutate: (ir: GatewayIR) => void = () => {}): GatewayIR {
  const ir: GatewayIR = {
    schemaVersion: 2,
    gateway: { namespace: 'default', name: 'gw' },
    httpServers: [
      {
        port: 80,
        protocol: 'HTTP',
        virtualHosts: [{ hostname: 'app.example.com', rules: [rule()] }],
      },
    ],
    upstreams: [
      {
        name: 'default__svc__80',
        service: { namespace: 'default', name: 'svc', port: 80 },
        endpoints: [{ address: '10.0.0.1', port: 8080 }],
      },
    ],
  };
  mutate(ir);
  return ir;
}

const vhost = (ir: GatewayIR) => ir.httpServers[0]?.virtualHosts[0] ?? { hostname: '', rules: [] };
const firstRule = (ir: GatewayIR) => vhost(ir).rules[0] ?? rule();
const VH = 'gateways[0].httpServers[0].virtualHosts[0]';

function renderError(irs: GatewayIR[], s: RenderSettings = settings): RenderError {
  try {
    renderNginx(irs, s);
  } catch (error) {
    if (error instanceof RenderError) return error;
    throw error;
  }
  throw new Error('expected a RenderError');
}

describe('renderNginx refuses values it cannot write safely', () => {
  it.each<[string, (ir: GatewayIR) => void, string]>([
    [
      'an injected hostname',
      (ir) => (vhost(ir).hostname = 'a.com"; include /etc/passwd; "'),
      `${VH}.hostname`,
    ],
    ['a hostname with a variable', (ir) => (vhost(ir).hostname = '$host'), `${VH}.hostname`],
    ['a hostname with a newline', (ir) => (vhost(ir).hostname = 'a.com\nb.com'), `${VH}.hostname`],
    [
      'a path with a newline',
      (ir) => (firstRule(ir).match.path.value = '/a\nreturn 200;'),
      `${VH}.rules[0].match.path.value`,
    ],
    [
      'a path with braces',
      (ir) => (firstRule(ir).match.path.value = '/a { }'),
      `${VH}.rules[0].match.path.value`,
    ],
    [
      'a path with #',
      (ir) => (firstRule(ir).match.path.value = '/a#b'),
      `${VH}.rules[0].match.path.value`,
    ],
    [
      'a path with a backslash',
      (ir) => (firstRule(ir).match.path.value = '/a\\b'),
      `${VH}.rules[0].match.path.value`,
    ],
    [
      'a path decoding to a newline',
      (ir) => (firstRule(ir).match.path.value = '/a%0Ab'),
      `${VH}.rules[0].match.path.value`,
    ],
    [
      'a path with bad UTF-8',
      (ir) => (firstRule(ir).match.path.value = '/a%FF'),
      `${VH}.rules[0].match.path.value`,
    ],
    ['a rule id with a quote', (ir) => (firstRule(ir).id = 'r";'), `${VH}.rules[0].id`],
    [
      'a route name with a newline',
      (ir) => (firstRule(ir).source.name = 'r\n# x'),
      `${VH}.rules[0].source.name`,
    ],
    [
      'an unknown upstream',
      (ir) => (firstRule(ir).backends = [{ upstream: 'nope', weight: 1 }]),
      `${VH}.rules[0].backends[0].upstream`,
    ],
    [
      'a negative weight',
      (ir) => (firstRule(ir).backends = [{ upstream: null, weight: -1 }]),
      `${VH}.rules[0].backends[0].weight`,
    ],
    [
      'an upstream name with a space',
      (ir) => ir.upstreams[0] && (ir.upstreams[0].name = 'a b'),
      'gateways[0].upstreams[0].name',
    ],
    [
      'an endpoint that is a hostname',
      (ir) => ir.upstreams[0]?.endpoints[0] && (ir.upstreams[0].endpoints[0].address = 'evil;'),
      'gateways[0].upstreams[0].endpoints[0].address',
    ],
    [
      'an endpoint port out of range',
      (ir) => ir.upstreams[0]?.endpoints[0] && (ir.upstreams[0].endpoints[0].port = 70000),
      'gateways[0].upstreams[0].endpoints[0].port',
    ],
    [
      'a gateway name with a slash',
      (ir) => (ir.gateway.name = '../../etc'),
      'gateways[0].gateway.name',
    ],
    [
      'a listener port out of range',
      (ir) => ir.httpServers[0] && (ir.httpServers[0].port = 0),
      'gateways[0].httpServers[0].port',
    ],
  ])('%s', (_title, mutate, field) => {
    expect(renderError([gateway(mutate)]).field).toBe(field);
  });

  const R0 = `${VH}.rules[0]`;
  const headers = { set: [], add: [], remove: [] };
  it.each<[string, Partial<HttpRuleIR>, string]>([
    [
      'a header name with a space',
      { filters: { requestHeaders: { ...headers, set: [{ name: 'X a', value: 'v' }] } } },
      `${R0}.requestHeaders[0].set`,
    ],
    [
      'a header value with a newline',
      {
        filters: {
          requestHeaders: { ...headers, set: [{ name: 'X-A', value: 'a\nreturn 200;' }] },
        },
      },
      R0,
    ],
    [
      'a response header value with a control character',
      { filters: { responseHeaders: { ...headers, add: [{ name: 'X-A', value: 'a\u0000' }] } } },
      `${R0}.responseHeaders[0].add`,
    ],
    [
      'an added request header NGINX cannot read',
      { filters: { requestHeaders: { ...headers, add: [{ name: 'X.A', value: 'v' }] } } },
      `${R0}.requestHeaders[0].add`,
    ],
    [
      'a header match name that is not a variable name',
      {
        match: {
          path: { type: 'PathPrefix', value: '/' },
          headers: [{ name: 'a;b', type: 'Exact', value: 'v' }],
        },
      },
      `${R0}.match.headers[0].name`,
    ],
    [
      'a regex with a named capture (it would define an NGINX variable)',
      { match: { path: { type: 'RegularExpression', value: '/(?<host>.*)' } } },
      `${R0}.match.path.value`,
    ],
    [
      'a regex that does not compile',
      {
        match: {
          path: { type: 'PathPrefix', value: '/' },
          headers: [{ name: 'x', type: 'RegularExpression', value: '(a' }],
        },
      },
      `${R0}.match.headers[0].value`,
    ],
    [
      'a redirect hostname with a directive',
      {
        filters: {
          redirect: { scheme: 'http', hostname: 'a.com; return 200', port: null, statusCode: 302 },
        },
      },
      `${R0}.filters.redirect.hostname`,
    ],
    [
      'a redirect status that is not a redirect',
      {
        filters: {
          redirect: { scheme: 'http', hostname: null, port: null, statusCode: 200 as 302 },
        },
      },
      `${R0}.filters.redirect.statusCode`,
    ],
    [
      'a rewrite path decoding to a query',
      { filters: { rewrite: { path: { type: 'ReplaceFullPath', value: '/a%3Fb' } } } },
      `${R0}.filters.rewrite.path`,
    ],
    [
      'a CORS origin with a quote',
      {
        filters: {
          cors: {
            allowOrigins: ['https://a.com"; add_header x y'],
            allowMethods: [],
            allowHeaders: [],
            exposeHeaders: [],
            allowCredentials: false,
            maxAge: 5,
          },
        },
      },
      `${R0}.filters.cors.allowOrigins[0]`,
    ],
    [
      'a path in the internal location namespace',
      { match: { path: { type: 'Exact', value: '//portico/404' } } },
      `${R0}.match.path.value`,
    ],
    [
      'a retry code NGINX cannot retry on',
      { retry: { attempts: 1, codes: [418] } },
      `${R0}.retry.codes`,
    ],
  ])('route value: %s', (_title, patch, field) => {
    const error = renderError([gateway((ir) => Object.assign(firstRule(ir), patch))]);
    expect(error.field.startsWith(field)).toBe(true);
  });

  it.each<[string, Partial<RenderSettings>, string]>([
    [
      'a status address with a directive',
      { statusListen: '127.0.0.1:9901; include x' },
      'settings.statusListen',
    ],
    [
      'a relative pid path',
      { paths: { ...settings.paths, pidFile: 'nginx.pid' } },
      'settings.paths.pidFile',
    ],
    [
      'an error log with a variable',
      { paths: { ...settings.paths, errorLog: '/var/$host.log' } },
      'settings.paths.errorLog',
    ],
    [
      'a temp dir with a newline',
      { paths: { ...settings.paths, tempDir: '/tmp/a\nb' } },
      'settings.paths.tempDir',
    ],
    ['a relative module path', { modules: ['modules/x.so'] }, 'settings.modules[0]'],
    ['a module path with a variable', { modules: ['/m/$x.so'] }, 'settings.modules[0]'],
    ['a user with a space', { user: 'www data' }, 'settings.user'],
    ['zero workers', { workerProcesses: 0 }, 'settings.workerProcesses'],
  ])('%s', (_title, overrides, field) => {
    const error = renderError([gateway()], { ...settings, ...overrides });
    expect(error.field).toBe(field);
  });

  it('refuses the same Gateway twice', () => {
    expect(renderError([gateway(), gateway()]).field).toMatch(/^gateways\[\d\]\.gateway$/);
  });

  it('refuses an IR schema it does not know', () => {
    const ir = { ...gateway(), schemaVersion: 999 } as unknown as GatewayIR;
    expect(renderError([ir]).field).toBe('gateways[0].schemaVersion');
  });
});

describe('renderNginx output', () => {
  it('is byte-equal for equal input and changes version with the config', () => {
    const a = renderNginx([gateway()], settings);
    expect(renderNginx([gateway()], settings)).toEqual(a);
    const b = renderNginx([gateway((ir) => (vhost(ir).hostname = 'b.example.com'))], settings);
    expect(b.version).not.toBe(a.version);
  });

  it('keeps the version out of the files it hashes, and serves it from status.conf', () => {
    const result = renderNginx([gateway()], settings);
    const status = result.files.find((f) => f.path === 'status.conf');
    expect(status?.contents).toContain(`return 200 "${result.version}";`);
    const others = result.files.filter((f) => f.path !== 'status.conf');
    expect(others.some((f) => f.contents.includes(result.version))).toBe(false);
  });

  it('only changes the status file when only the status address changes', () => {
    const a = renderNginx([gateway()], settings);
    const b = renderNginx([gateway()], { ...settings, statusListen: '127.0.0.1:9999' });
    expect(b.version).toBe(a.version);
  });

  it.each([
    [
      [1, 1],
      [5000, 5000],
    ],
    [
      [3, 1],
      [7500, 2500],
    ],
    [
      [1, 1, 1],
      [3333, 3334, 3333],
    ],
    [
      [1, 99999],
      [0, 10000],
    ],
  ])('splits weights %j into basis points %j', (weights, expected) => {
    expect(splitBasisPoints(weights)).toEqual(expected);
  });
});
