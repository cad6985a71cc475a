/**
 * Subject alternative name checks of the backend TLS bridge (backend-tls-bridge.ts): does the
 * backend's certificate carry at least one of a BackendTLSPolicy's `subjectAltNames`? Pure.
 *
 * - Hostname: the certificate's DNS names, with the wildcard rules of RFC 6125 as Node's own
 *   `tls.checkServerIdentity` applies them (it is given only the DNS entries, so the subject's
 *   CN never counts: the policy asks for a SAN).
 * - URI: exact string equality with a `URI:` entry (SPIFFE IDs are compared as strings).
 */
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { SubjectAltNameIR } from '@portico/ir';

/** One entry of a certificate's `subjectaltname`, e.g. `{ type: 'URI', value: 'spiffe://…' }`. */
export interface CertificateSan {
  type: string;
  value: string;
}

/** The outcome of a check: the policy entry that matched, or every SAN the certificate has. */
export type SanMatch = { ok: true; matched: string } | { ok: false; found: string[] };

/** A DNS name as certificates carry them (a leading `*` label allowed); others never match. */
const DNS_ENTRY = /^[A-Za-z0-9*]([A-Za-z0-9*-]*)(\.[A-Za-z0-9-]+)*\.?$/;

/**
 * Splits Node's `subjectaltname` string (`DNS:a.example.com, URI:spiffe://…`). Node writes a
 * value that holds a comma or a quote as a JSON string (`URI:"spiffe://a,b"`): those are
 * decoded, so such a value cannot pose as two entries.
 */
export function parseSubjectAltNames(text: string | undefined): CertificateSan[] {
  const out: CertificateSan[] = [];
  let at = 0;
  const source = text ?? '';
  while (at < source.length) {
    const colon = source.indexOf(':', at);
    if (colon < 0) break;
    const type = source.slice(at, colon);
    const { value, end } = readValue(source, colon + 1);
    out.push({ type, value });
    at = source.startsWith(', ', end) ? end + 2 : source.length;
  }
  return out;
}

function readValue(source: string, start: number): { value: string; end: number } {
  if (source[start] === '"') {
    let close = start + 1;
    while (close < source.length && source[close] !== '"') close += source[close] === '\\' ? 2 : 1;
    const raw = source.slice(start, close + 1);
    try {
      return { value: String(JSON.parse(raw)), end: close + 1 };
    } catch {
      return { value: raw, end: close + 1 };
    }
  }
  const comma = source.indexOf(', ', start);
  const end = comma < 0 ? source.length : comma;
  return { value: source.slice(start, end), end };
}

/** True when one of `dnsNames` covers `hostname` under Node's (RFC 6125) rules. */
export function dnsNameMatches(hostname: string, dnsNames: readonly string[]): boolean {
  const usable = dnsNames.filter((name) => DNS_ENTRY.test(name));
  if (usable.length === 0) return false;
  const subjectaltname = usable.map((name) => `DNS:${name}`).join(', ');
  const certificate = { subject: {}, subjectaltname } as unknown as PeerCertificate;
  return checkServerIdentity(hostname, certificate) === undefined;
}

/** Checks `wanted` (the policy's list, any entry suffices) against a certificate's SANs. */
export function matchSubjectAltNames(
  wanted: readonly SubjectAltNameIR[],
  subjectaltname: string | undefined,
): SanMatch {
  const found = parseSubjectAltNames(subjectaltname);
  const dns = found.filter((san) => san.type === 'DNS').map((san) => san.value);
  const uris = new Set(found.filter((san) => san.type === 'URI').map((san) => san.value));
  for (const san of wanted) {
    if (san.type === 'URI' && uris.has(san.uri)) return { ok: true, matched: `URI:${san.uri}` };
    if (san.type === 'Hostname' && dnsNameMatches(san.hostname, dns)) {
      return { ok: true, matched: `DNS:${san.hostname}` };
    }
  }
  return { ok: false, found: found.map((san) => `${san.type}:${san.value}`) };
}
