import type { Server } from 'node:http';

/**
 * Stops accepting connections and lets the requests in flight finish: idle keep-alive
 * connections are closed at once and again as each request completes, so no client sees a
 * reset mid-request. Connections still busy after `timeoutMs` are cut. Resolves with which
 * of the two happened.
 */
export async function closeServerGracefully(server: Server, timeoutMs: number): Promise<'drained' | 'cut'> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), 20);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'cut'>((resolve) => (timer = setTimeout(() => resolve('cut'), timeoutMs)));
  const outcome = await Promise.race([closed.then(() => 'drained' as const), deadline]);
  clearInterval(idle);
  clearTimeout(timer);
  if (outcome === 'cut') {
    server.closeAllConnections();
    await closed;
  }
  return outcome;
}
