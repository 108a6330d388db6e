import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as signed. */
  raw: string;
  body: { id: string; type: string; createdAt: string; conversationId: string | null; data: unknown };
}

/**
 * A webhook receiver on loopback (node:http). `respond` decides each answer from the request and
 * the requests received before it with the same event id; the default is 204. Answering `'drop'`
 * destroys the connection without a response.
 */
export async function webhookReceiver(
  respond: (r: Received, earlier: Received[], res: ServerResponse) => number | 'drop' | 'handled' = () => 204,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const r: Received = { path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) as Received['body'] };
      const earlier = received.filter((x) => x.body.id === r.body.id);
      received.push(r);
      const answer = respond(r, earlier, res);
      if (answer === 'handled') return;
      if (answer === 'drop') req.socket.destroy();
      else res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A receiver's check, exactly as the README documents it. */
export function verify(secret: string, rawBody: string, header: string, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
