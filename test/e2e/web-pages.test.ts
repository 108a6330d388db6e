import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../support/app.js';
import type { Running } from '../../src/main.js';

describe('the console and chat pages are static files with a strict CSP', () => {
  let app: Running;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app?.stop());

  for (const name of ['console', 'chat'] as const) {
    it(`/${name}: html with only same-origin script and stylesheet, a bundled script that never parses strings as HTML`, async () => {
      const res = await fetch(`${app.url}/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|'nonce-/);

      const html = await res.text();
      expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([`<script type="module" src="/${name}/main.js">`]);
      expect(html).not.toMatch(/<script\b[^>]*>[^<]/);
      expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
      expect(html).toMatch(new RegExp(`<link rel="stylesheet" href="/${name}/${name}\\.css" ?/?>`));

      const script = await fetch(`${app.url}/${name}/main.js`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(script.headers.get('x-content-type-options')).toBe('nosniff');
      const js = await script.text();
      expect(js).toContain('getElementById');
      // Bundled: no module imports left for the browser to resolve.
      expect(js).not.toMatch(/^\s*import\s/m);
      expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|srcdoc/);

      const css = await fetch(`${app.url}/${name}/${name}.css`);
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
      const stylesheet = await css.text();
      expect(stylesheet).toMatch(/\.[a-z-]*msg\b/);
      // Bundled: the parts' @imports are inlined, none left for the browser to fetch.
      expect(stylesheet).not.toMatch(/@import/);
    });
  }

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const first = await fetch(`${app.url}/chat/main.js`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${app.url}/chat/main.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await fetch(`${app.url}/chat/main.js`, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });

  it('sends the bundles minified, gzipped to a browser that accepts it and plain to one that does not', async () => {
    const raw = (acceptEncoding?: string) =>
      new Promise<{ encoding?: string; vary?: string; body: Buffer }>((resolve, reject) => {
        get(`${app.url}/console/main.js`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], vary: res.headers.vary, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    const plain = await raw();
    const zipped = await raw('gzip, deflate, br');
    expect(plain.encoding).toBeUndefined();
    expect(zipped.encoding).toBe('gzip');
    expect(zipped.vary).toMatch(/accept-encoding/i);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
    // Minified: far fewer line breaks than source lines (the unminified bundle has one statement per line).
    expect(plain.body.toString().split('\n').length).toBeLessThan(plain.body.length / 500);
  });
});
