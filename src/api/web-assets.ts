import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The browser pages under web/ (the agent console and the customer chat), served as static
 * files: each page is an index.html, one stylesheet bundled from its `@import`s and one script
 * bundled from its TypeScript modules. From the sources, bundling happens in memory once per
 * process (tens of milliseconds), so nothing is written next to them; the production build
 * (scripts/build.mjs) writes each page's bundles into dist/web with `prebuildPages`, and the
 * compiled service reads those instead of loading esbuild.
 *
 * Everything the pages run comes from this origin, so the CSP allows scripts and styles from
 * 'self' only: no inline code, no nonces, no CDN.
 */

const WEB_DIR = join(import.meta.dirname, '..', '..', 'web');

interface PageSpec {
  /** Folder under web/ and the URL prefix of its assets: /NAME/main.js, /NAME/NAME.css. */
  name: 'console' | 'chat';
  path: string;
  csp: string;
  headers: Record<string, string>;
}

const PAGES: PageSpec[] = [
  {
    name: 'console',
    path: '/console',
    csp: "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    headers: { 'cache-control': 'no-store' },
  },
  {
    // No frame-ancestors here: security-headers.ts adds it, naming WIDGET_ORIGINS, the shops that may embed the chat.
    name: 'chat',
    path: '/chat',
    csp: "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src blob:; base-uri 'none'; form-action 'none'",
    headers: {},
  },
];

/**
 * Scripts other sites load with a plain `<script src>`: the widget (web/widget/main.ts) as
 * /widget.js and its stylesheet (web/widget/widget.css, linked into the widget's shadow root) as
 * /widget.css. An IIFE, since a classic script's top-level names would land in the shop's globals.
 * Both are served to any origin (Cross-Origin-Resource-Policy: cross-origin, security-headers.ts);
 * what refuses an unlisted shop is the CORS of /webchat/* and the chat page's frame-ancestors.
 */
const EMBEDS = [{ name: 'widget' }] as const;

export interface WebAsset {
  path: string;
  body: string;
  /** The body compressed once at start-up, for browsers that accept gzip (all of them). */
  gzipped: Uint8Array<ArrayBuffer>;
  headers: Record<string, string>;
}

let loaded: Promise<WebAsset[]> | undefined;

/** Every page and asset with its response headers; built on first call, then cached. */
export function loadWebAssets(): Promise<WebAsset[]> {
  loaded ??= Promise.all([...PAGES.map(pageAssets), ...EMBEDS.map(embedAssets)]).then(
    (lists) => lists.flat(),
    (err: unknown) => {
      // A failed build is not cached, so the next start tries again.
      loaded = undefined;
      throw err;
    },
  );
  return loaded;
}

async function pageAssets(page: PageSpec): Promise<WebAsset[]> {
  const dir = join(WEB_DIR, page.name);
  const [html, css, script] = await Promise.all([
    readFile(join(dir, 'index.html'), 'utf8'),
    // A prebuilt page (dist/web) has main.js beside its already-bundled stylesheet.
    existsSync(join(dir, 'main.js')) ? readFile(join(dir, `${page.name}.css`), 'utf8') : bundle(join(dir, `${page.name}.css`)),
    existsSync(join(dir, 'main.js')) ? readFile(join(dir, 'main.js'), 'utf8') : bundle(join(dir, 'main.ts')),
  ]);
  const common = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
  return [
    {
      path: page.path,
      body: html,
      gzipped: gzip(html),
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': page.csp,
        vary: 'accept-encoding',
        ...common,
        ...page.headers,
      },
    },
    asset(`${page.path}/${page.name}.css`, css, 'text/css; charset=utf-8', common),
    asset(`${page.path}/main.js`, script, 'text/javascript; charset=utf-8', common),
  ];
}

async function embedAssets(embed: (typeof EMBEDS)[number]): Promise<WebAsset[]> {
  const dir = join(WEB_DIR, embed.name);
  const prebuilt = existsSync(join(dir, `${embed.name}.js`));
  const [css, script] = await Promise.all([
    prebuilt ? readFile(join(dir, `${embed.name}.css`), 'utf8') : bundle(join(dir, `${embed.name}.css`), true),
    prebuilt ? readFile(join(dir, `${embed.name}.js`), 'utf8') : bundle(join(dir, 'main.ts'), true),
  ]);
  const common = { 'x-content-type-options': 'nosniff' };
  return [
    asset(`/${embed.name}.css`, css, 'text/css; charset=utf-8', common),
    asset(`/${embed.name}.js`, script, 'text/javascript; charset=utf-8', common),
  ];
}

/** Fixed URLs, so the browser revalidates (no-cache) and the ETag spares it the download. */
function asset(path: string, body: string, type: string, common: Record<string, string>): WebAsset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return {
    path,
    body,
    gzipped: gzip(body),
    headers: { 'content-type': type, 'cache-control': 'no-cache', etag, vary: 'accept-encoding', ...common },
  };
}

/** Writes every page (html, css, bundled main.js) from `fromDir` into `toDir`, for the compiled service. */
export async function prebuildPages(fromDir: string, toDir: string): Promise<void> {
  for (const { name } of PAGES) {
    await mkdir(join(toDir, name), { recursive: true });
    await copyFile(join(fromDir, name, 'index.html'), join(toDir, name, 'index.html'));
    await writeFile(join(toDir, name, `${name}.css`), await bundle(join(fromDir, name, `${name}.css`)));
    await writeFile(join(toDir, name, 'main.js'), await bundle(join(fromDir, name, 'main.ts')));
  }
  for (const { name } of EMBEDS) {
    await mkdir(join(toDir, name), { recursive: true });
    await writeFile(join(toDir, name, `${name}.css`), await bundle(join(fromDir, name, `${name}.css`), true));
    await writeFile(join(toDir, name, `${name}.js`), await bundle(join(fromDir, name, 'main.ts'), true));
  }
}

/** The widget's script and stylesheet as served (minified), for reporting their size. */
export async function widgetBundle(): Promise<{ script: string; css: string }> {
  const dir = join(WEB_DIR, 'widget');
  return { script: await bundle(join(dir, 'main.ts'), true), css: await bundle(join(dir, 'widget.css'), true) };
}

/** A page's script (main.ts and its imports) or stylesheet (NAME.css and its `@import`s) as one file. */
async function bundle(entry: string, embed = false): Promise<string> {
  // Loaded only when bundling, so the compiled service (prebuilt pages) never pays for esbuild.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    // An embed runs on someone else's page: an IIFE keeps its names out of their globals.
    format: embed ? 'iife' : 'esm',
    // Minified for the download (the console's script by a third); the pages keep function names for readable stack traces.
    minify: true,
    keepNames: !embed,
    platform: 'browser',
    target: 'es2022',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

function gzip(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(gzipSync(text, { level: 9 }));
}

/** The response for one asset; a matching If-None-Match gets a bodiless 304. */
export function assetResponse(asset: WebAsset, req: Request): Response {
  if (asset.headers.etag && req.headers.get('if-none-match') === asset.headers.etag) {
    return new Response(null, { status: 304, headers: asset.headers });
  }
  if (/\bgzip\b/.test(req.headers.get('accept-encoding') ?? '')) {
    return new Response(asset.gzipped, { headers: { ...asset.headers, 'content-encoding': 'gzip' } });
  }
  return new Response(asset.body, { headers: asset.headers });
}
