/**
 * The HTTP ceiling of `npm run bench:ceilings`: Hono on @hono/node-server doing nothing but
 * parse the request and answer, as switchboard's own server does. Run as a script it listens
 * on the port given (for the memory figure, a process of its own like switchboard's).
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

export async function startHello(listBody: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Hono();
  app.post('/webchat/sessions/:id/messages', async (c) => {
    const body = await c.req.json<{ text?: string }>();
    return c.json({ messageId: `hello-${c.req.param('id')}-${body.text?.length ?? 0}` }, 202);
  });
  app.get('/api/conversations', (c) => c.body(listBody(), 200, { 'content-type': 'application/json' }));
  app.get('/healthz', (c) => c.json({ ok: true }));
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: Number(process.env.HELLO_PORT ?? 0), hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
}

if (process.argv[1]?.endsWith('ceilings-hello.ts')) await startHello(() => '{"items":[]}');
