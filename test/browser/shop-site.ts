import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FrameLocator, Page } from 'playwright-core';

/**
 * A shop's site on another origin: its pages carry the one-line snippet under a CSP of their own
 * that allows the support origin (script, style, frame, connect) and nothing inline.
 */
export async function shopSite(supportUrl: () => string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const support = supportUrl();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const csp = `default-src 'self'; script-src 'self' ${support}; style-src 'self' ${support}; frame-src ${support}; connect-src ${support}; img-src 'self'`;
    const body =
      path === '/framed'
        ? `<!doctype html><title>Framed</title><iframe title="chat" src="${support}/chat"></iframe>`
        : // `/plain` says no language, so the browser's decides.
          `<!doctype html><html${path === '/plain' ? '' : ' lang="en"'}><head><meta charset="utf-8"><title>Shop ${path}</title></head>` +
          `<body><h1>Welcome to the shop</h1><p>Products…</p>` +
          `<script src="${support}/widget.js" data-site="shop-1"${userAttrs(req.url)} async></script></body></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** `?user=ID&hash=HEX` on a shop page: the logged-in user's attributes, as a shop's template would write them. */
function userAttrs(url: string | undefined): string {
  const q = new URL(url ?? '/', 'http://x').searchParams;
  const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const user = q.get('user');
  return user ? ` data-user-id="${attr(user)}" data-user-hash="${attr(q.get('hash') ?? '')}"` : '';
}

/** The widget's bubble and its chat frame on a shop page. */
export const bubble = (page: Page) => page.locator('[data-switchboard-widget] button.bubble');
export const chat = (page: Page): FrameLocator => page.frameLocator('[data-switchboard-widget] iframe');
