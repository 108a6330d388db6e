import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A shop's site on another origin for the widget's browser tests: every page carries the one-line
 * snippet under a CSP of its own that allows the support origin and nothing inline.
 */
export async function startShopSite(supportUrl: () => string): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const support = supportUrl();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const csp = `default-src 'self'; script-src 'self' ${support}; style-src 'self' ${support}; frame-src ${support}; connect-src ${support}; img-src 'self'`;
    const body =
      `<!doctype html><html><head><meta charset="utf-8"><title>Shop ${path}</title></head>` +
      `<body><h1>Welcome to the shop</h1><p>Products…</p>` +
      `<script src="${support}/widget.js" data-site="shop-1" async></script></body></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
