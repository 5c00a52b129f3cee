// Bearer-token check for a server reachable from other machines. Both sides are hashed first so
// timingSafeEqual gets equal lengths and the comparison time says nothing about the token.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** True when `authorization` is exactly "Bearer <token>". */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer[ ]+(.+)$/i.exec(authorization ?? '');
  const given = m ? m[1].trim() : '';
  // Always compare, even when the header is missing, so a missing header costs the same time.
  const same = timingSafeEqual(digest(given), digest(token));
  return same && given.length > 0;
}

/** The token as Anthropic clients send it (x-api-key), else as a bearer token; the same rule for both. */
export function tokenMatches(headers: { authorization?: string; 'x-api-key'?: string | string[] }, token: string): boolean {
  const key = headers['x-api-key'];
  if (typeof key === 'string' && key) return bearerMatches(`Bearer ${key}`, token);
  return bearerMatches(headers.authorization, token);
}

/** Addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The host name of a Host header ("127.0.0.1:8787", "[::1]:8787", "localhost"). */
export function hostName(header: string | undefined): string {
  if (!header) return '';
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  const colon = header.lastIndexOf(':');
  return colon === -1 ? header : header.slice(0, colon);
}
