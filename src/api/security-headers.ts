import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { isHttps } from './client.js';

/**
 * Headers every response carries: Hono's secure defaults (nosniff, no referrer, same-origin
 * opener and resources), `frame-ancestors 'none'` added to (or as) the CSP, so no page can be
 * framed — except the chat page by the widget origins configured — and HSTS when the request
 * came over HTTPS (directly, or through a trusted proxy that says so).
 */
export function securityHeaders(opts: {
  trustProxy: number;
  widgetOrigins: string[];
  chatPath: string;
  /** Loaded by other sites' pages (the widget's script and stylesheet), so not same-origin only. */
  embedPaths?: string[];
}): MiddlewareHandler {
  const embeds = new Set(opts.embedPaths ?? []);
  const defaults = secureHeaders({ xFrameOptions: false, strictTransportSecurity: false });
  const framers = opts.widgetOrigins.length ? opts.widgetOrigins.join(' ') : undefined;
  return async (c, next) => {
    await defaults(c, next);
    const ancestors = c.req.path === opts.chatPath && framers ? framers : "'none'";
    const headers = c.res.headers;
    if (embeds.has(c.req.path)) headers.set('cross-origin-resource-policy', 'cross-origin');
    const csp = headers.get('content-security-policy');
    if (!csp) headers.set('content-security-policy', `frame-ancestors ${ancestors}`);
    else if (!/(^|;)\s*frame-ancestors\s/.test(csp)) headers.set('content-security-policy', `${csp}; frame-ancestors ${ancestors}`);
    // For browsers without frame-ancestors; it cannot name origins, so the embeddable page goes without.
    if (ancestors === "'none'") headers.set('x-frame-options', 'DENY');
    if (isHttps(c, opts.trustProxy)) headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
  };
}
