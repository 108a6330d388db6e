/**
 * The agent console's weight and speed: `npm run bench:console`.
 *
 * 1. Bundle size: the script and stylesheet the app serves for /console (esbuild, minified),
 *    raw and gzip (the app sends the gzip to browsers that accept it).
 * 2. Time to first render of the inbox with 1,000 queued conversations in the database, in
 *    Chromium: from navigation start to the first page's rows (50) in #list, signed in (the token
 *    in sessionStorage), so it includes the console's own requests (/me, /agents, /teams, the list).
 * 3. The ceiling beside it, measured in the same run: a plain static page (bench/console-ceiling.ts)
 *    that fetches the same rows as JSON and renders them with the same DOM calls (renderRow) —
 *    the 50 of the first page, and all 1,000.
 *
 * ROUNDS rounds each (default 3), min / median / max in ms. Prints figures; asserts nothing.
 *
 *   npx tsx bench/console.ts [ROUNDS]
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { launchChromium } from '../test/browser/chromium.js';
import { api, startApp } from '../test/support/app.js';
import { seedConversation } from '../test/support/memory-store.js';

const ROUNDS = Number(process.argv[2] ?? 3);
const CONVERSATIONS = 1000;
const FIRST_PAGE = 50;
const root = join(import.meta.dirname, '..');

const app = await startApp({});
const browser = await launchChromium();
const kb = (n: number) => (n / 1024).toFixed(1) + ' KiB';
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0]!.toFixed(0)}  median ${s[Math.floor(s.length / 2)]!.toFixed(0)}  max ${s.at(-1)!.toFixed(0)} ms`;
};

try {
  // ---- seed (first: a keep-alive socket left idle during it would be reset by the server) 1,000 queued conversations, each with a customer message ----
  const agent = await app.createAgent('Bench');
  const t0 = Date.now() - 3 * 3_600_000;
  await app.store.tx(async (r) => {
    for (let i = 0; i < CONVERSATIONS; i++) {
      const c = await seedConversation(r, t0 + i * 1000, [{ type: 'handoff' }]);
      await r.messages.insert({
        id: c.id + '-m',
        conversationId: c.id,
        channel: 'webchat',
        direction: 'in',
        author: 'customer',
        agentId: null,
        text: `Customer ${i}: my order has not arrived yet, could someone check the tracking number?`,
        externalId: null,
        meta: null,
        createdAt: t0 + i * 1000,
      });
    }
  });
  // ---- 1. bundle size, as served ----
  const [js, css] = await Promise.all([
    fetch(`${app.url}/console/main.js`).then((r) => r.text()),
    fetch(`${app.url}/console/console.css`).then((r) => r.text()),
  ]);
  const row = (name: string, text: string) =>
    `  ${name.padEnd(26)} ${kb(Buffer.byteLength(text)).padStart(10)} raw ${kb(gzipSync(text).length).padStart(10)} gzip`;
  process.stdout.write(
    ['console bundle (as served, minified):', row('main.js', js), row('console.css', css), row('total', js + css), ''].join('\n'),
  );

  const items: unknown[] = [];
  for (let cursor: string | null = null, n = 0; n < 10; n++) {
    const res = await api(app, agent.token, 'GET', `/api/conversations?status=queued&limit=200${cursor ? '&cursor=' + cursor : ''}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) break;
  }

  // ---- 3. the ceiling page, on a plain static server ----
  const ceiling = await build({
    entryPoints: [join(root, 'bench/console-ceiling.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: true,
    logLevel: 'silent',
  });
  let data = '[]';
  const files: Record<string, [string, string]> = {
    '/': [
      'text/html',
      '<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="/console.css"><ul id="list" class="inbox-list"></ul><script type="module" src="/ceiling.js"></script>',
    ],
    '/console.css': ['text/css', css],
    '/ceiling.js': ['text/javascript', ceiling.outputFiles[0]!.text],
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const file = path === '/data.json' ? ['application/json', data] : files[path];
    res.writeHead(file ? 200 : 404, { 'content-type': file?.[0] ?? 'text/plain', 'cache-control': 'no-store' });
    res.end(file?.[1] ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const staticUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;

  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${app.url}/console`);
  await page.evaluate((token) => sessionStorage.setItem('switchboard.agentToken', token), agent.token);

  /** Navigates and returns performance.now() (ms since navigation start) at the first animation frame with `count` rows in #list (so within one frame, ~16 ms). */
  async function timeTo(url: string, count: number): Promise<number> {
    await page.goto(url, { waitUntil: 'commit' });
    const at = await page.waitForFunction((n) => document.querySelectorAll('#list li[data-id]').length >= n && performance.now(), count, {
      polling: 'raf',
      timeout: 30_000,
    });
    return (await at.jsonValue()) as number;
  }

  const consoleTimes: number[] = [];
  const ceiling50: number[] = [];
  const ceiling1000: number[] = [];
  // One warm-up of each, so the first round does not carry esbuild's first bundle or a cold cache.
  await timeTo(`${app.url}/console?warm#/inbox/unassigned`, FIRST_PAGE);
  for (let round = 0; round < ROUNDS; round++) {
    // A new query string each time, so the navigation loads the page afresh (a hash change would not).
    consoleTimes.push(await timeTo(`${app.url}/console?r=${round}#/inbox/unassigned`, FIRST_PAGE));
    data = JSON.stringify(items.slice(0, FIRST_PAGE));
    ceiling50.push(await timeTo(`${staticUrl}?a${round}`, FIRST_PAGE));
    data = JSON.stringify(items);
    ceiling1000.push(await timeTo(`${staticUrl}?b${round}`, CONVERSATIONS));
  }
  process.stdout.write(
    [
      `first render of the inbox, ${CONVERSATIONS} conversations queued, ${ROUNDS} rounds (navigation start → rows in #list):`,
      `  console, first page (${FIRST_PAGE} rows)          ${stats(consoleTimes)}`,
      `  ceiling: static page, same ${FIRST_PAGE} rows     ${stats(ceiling50)}`,
      `  ceiling: static page, all ${CONVERSATIONS} rows    ${stats(ceiling1000)}`,
      '',
    ].join('\n'),
  );
  await context.close();
  server.close();
} finally {
  await browser.close();
  await app.stop();
}
