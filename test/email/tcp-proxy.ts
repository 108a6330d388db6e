/** A loopback TCP relay the tests can switch off and on, to make a real server unreachable and back. */
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  /** While down, every connection is closed at once (existing ones included), like a server that went away. */
  setUp(up: boolean): void;
  /**
   * `up` relays; `reset` resets every connection (existing ones included) with a TCP RST;
   * `hang` accepts connections and never relays a byte, so the client's timeouts must fire.
   */
  setMode(mode: 'up' | 'reset' | 'hang'): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let up = true;
  let mode: 'up' | 'reset' | 'hang' = 'up';
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    if (mode !== 'up') {
      client.on('error', () => undefined);
      if (mode === 'reset') client.resetAndDestroy();
      else {
        open.add(client);
        client.on('close', () => open.delete(client));
      }
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    setMode(value) {
      mode = value;
      if (mode === 'reset') for (const s of open) s.resetAndDestroy();
      if (mode === 'hang') for (const s of open) s.destroy();
    },
    setUp(value) {
      up = value;
      if (!up) for (const s of open) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
