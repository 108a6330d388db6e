import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/**
 * Who is asking, as far as it can be believed. `trustProxy` is the number of reverse proxies in
 * front of the service: each appends the address it received from to X-Forwarded-For, so the
 * client is the entry that many places from the right. With 0 the header is ignored (anyone can
 * write it), and the peer's address is the client.
 */
export function clientIp(c: Context, trustProxy: number): string {
  const peer = peerAddress(c);
  if (trustProxy <= 0) return peer;
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - trustProxy] ?? hops[0] ?? peer;
}

/** Served over HTTPS: the request's own scheme, or the proxy's X-Forwarded-Proto when proxies are trusted. */
export function isHttps(c: Context, trustProxy: number): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return trustProxy > 0 && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}

function peerAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Not behind @hono/node-server (app.fetch called directly): no socket to ask.
    return 'unknown';
  }
}
