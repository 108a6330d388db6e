import type { ServerResponse } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { takeSse, type SseSink } from '../kit/sse.js';

/**
 * Event streams written straight to Node's response instead of through a web stream: with
 * thousands of idle streams open, the web stream, its reader and their promises per stream were
 * most of the memory. Registered first, so it sees the response after every other middleware
 * (its headers are sent as they are). Outside Node's server (`app.request` in tests) the
 * response's own web-stream body is used.
 */
export const directSse: MiddlewareHandler = async (c, next) => {
  await next();
  const start = takeSse(c.res);
  const out = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!start || !out) return;
  out.writeHead(c.res.status, Object.fromEntries(c.res.headers));
  out.flushHeaders();
  const stop = start(new ResponseSink(out));
  if (out.destroyed) stop();
  else out.once('close', stop);
  // Tells @hono/node-server that the response is already being written.
  c.res = new Response(null, { headers: { 'x-hono-already-sent': '1' } });
};

/** The stream's text written to Node's response (a class: no closures kept per open stream). */
class ResponseSink implements SseSink {
  constructor(private readonly out: ServerResponse) {}
  write(text: string): number {
    this.out.write(text);
    return this.out.writableLength;
  }
  end(): void {
    this.out.end();
  }
}
