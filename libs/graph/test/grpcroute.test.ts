import { describe, expect, it } from 'vitest';
import { grpcMatchAsHttp, type GRPCRouteMatch } from '../src/grpcroute.ts';
import { regexProblem } from '../src/regex.ts';

const SVC = 'pkg.v1.Echo';

/** Paths the regexes must (not) match; Exact and PathPrefix are NGINX's (live tests). */
describe('GRPCRoute matches as HTTP paths', () => {
  it.each<[string, GRPCRouteMatch, { type: string; value: string }, string[], string[]]>([
    ['no method match: every call', {}, { type: 'PathPrefix', value: '/' }, [], []],
    [
      'exact service and method',
      { method: { service: SVC, method: 'Get' } },
      { type: 'Exact', value: `/${SVC}/Get` },
      [],
      [],
    ],
    [
      'exact service only',
      { method: { service: SVC } },
      { type: 'PathPrefix', value: `/${SVC}` },
      [],
      [],
    ],
    [
      'exact method only (any service)',
      { method: { method: 'Get' } },
      { type: 'RegularExpression', value: '/[^/]+/Get' },
      [`/${SVC}/Get`, '/other.Svc/Get'],
      [`/${SVC}/GetAll`, `/${SVC}/XGet`],
    ],
    [
      'regex service and method',
      { method: { type: 'RegularExpression', service: 'pkg\\..*', method: 'Get(All)?' } },
      { type: 'RegularExpression', value: '/(?:pkg\\..*)/(?:Get(All)?)' },
      [`/${SVC}/Get`, `/${SVC}/GetAll`],
      ['/other.Svc/Get', `/${SVC}/Put`],
    ],
    [
      'regex method only',
      { method: { type: 'RegularExpression', method: 'Echo.*' } },
      { type: 'RegularExpression', value: '/(?:[^/]+)/(?:Echo.*)' },
      [`/${SVC}/EchoTwo`],
      [`/${SVC}/Get`],
    ],
  ])('%s', (_title, match, path, matching, notMatching) => {
    const http = grpcMatchAsHttp(match);
    expect(http.path).toEqual(path);
    if (path.type !== 'RegularExpression') return;
    expect(regexProblem(path.value)).toBeUndefined();
    const full = new RegExp(`^(?:${path.value})$`);
    for (const p of matching) expect(full.test(p), p).toBe(true);
    for (const p of notMatching) expect(full.test(p), p).toBe(false);
  });

  it('keeps header matches', () => {
    const headers = [{ name: 'version', value: 'two' }];
    expect(grpcMatchAsHttp({ method: { service: SVC }, headers }).headers).toEqual(headers);
  });
});
