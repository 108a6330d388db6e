import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';

/** A fresh context signed in through the form; `locale` picks the browser's language. */
export async function signedIn(
  browser: Browser,
  url: string,
  token: string,
  name: string,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, ...options });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${url}/console`);
  await page.locator('#token').fill(token);
  await page.locator('#login button[type="submit"]').click();
  await page.locator('#who', { hasText: name }).waitFor();
  return page;
}

/**
 * A TCP proxy between the browser and the app, to drop the network: `cut()` destroys every open
 * connection (the event stream with them) and refuses new ones until `restore()`.
 */
export async function tcpProxy(targetPort: number): Promise<{ url: string; cut(): void; restore(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) return client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
