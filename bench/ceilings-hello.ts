/**
 * The HTTP ceiling of `npm run bench:ceilings`: Hono on @hono/node-server doing nothing but
 * parse the request and answer, as switchboard's own server does. Run as a script it listens
 * on HELLO_PORT (for the memory figures, a process of its own like switchboard's; the bench runs
 * it compiled, see `compiledHello` in ceilings-memory.ts).
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
  // The idle-stream ceiling: the same client (bench/sse-streams.ts) creates sessions and opens
  // event streams; this holds each open with one event written and nothing else.
  let sessions = 0;
  app.post('/webchat/sessions', (c) => c.json({ sessionId: `s${++sessions}`, secret: 'x' }, 201));
  // A plain ReadableStream body, with no abort listener: the least Hono needs to hold a stream
  // (its streamSSE helper builds the full Request for its abort signal, and a TransformStream).
  const ready = new TextEncoder().encode('event: ready\ndata: {}\n\n');
  app.get('/webchat/sessions/:id/events', () => {
    const body = new ReadableStream<Uint8Array>({ start: (ctl) => ctl.enqueue(ready) });
    return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: Number(process.env.HELLO_PORT ?? 0), hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
}

if (/ceilings-hello\.(ts|js|mjs)$/.test(process.argv[1] ?? '')) await startHello(() => '{"items":[]}');
