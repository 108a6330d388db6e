/**
 * The idle crowd of `npm run bench:sse`, in a process of its own so its sockets do not count in
 * the server's memory or event loop: creates SESSIONS web-chat sessions on BASE_URL and opens
 * STREAMS event streams spread over them with raw sockets, prints `open N` once every stream got
 * its first bytes, then holds them until stdin closes. Loopback only.
 */
import { connect, type Socket } from 'node:net';

const base = new URL(process.argv[2]!);
const streams = Number(process.argv[3]);
const sessionCount = Number(process.argv[4]);

async function createSessions(n: number): Promise<{ sessionId: string; secret: string }[]> {
  const out: { sessionId: string; secret: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < n) {
        next++;
        const res = await fetch(new URL('/webchat/sessions', base), { method: 'POST' });
        if (res.status !== 201) throw new Error(`session: ${res.status}`);
        out.push((await res.json()) as { sessionId: string; secret: string });
      }
    }),
  );
  return out;
}

function openStream(s: { sessionId: string; secret: string }): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: base.hostname, port: Number(base.port) }, () => {
      socket.write(
        `GET /webchat/sessions/${s.sessionId}/events HTTP/1.1\r\nHost: ${base.host}\r\nAuthorization: Bearer ${s.secret}\r\nAccept: text/event-stream\r\n\r\n`,
      );
    });
    socket.once('data', (chunk) => {
      if (!chunk.toString('latin1').startsWith('HTTP/1.1 200')) reject(new Error(chunk.toString('latin1').split('\r\n')[0]));
      else resolve(socket);
    });
    socket.on('error', reject);
  });
}

const sessions = await createSessions(sessionCount);
const sockets: Socket[] = [];
for (let i = 0; i < streams; i += 200) {
  const batch = Array.from({ length: Math.min(200, streams - i) }, (_, j) => openStream(sessions[(i + j) % sessions.length]!));
  sockets.push(...(await Promise.all(batch)));
}
for (const s of sockets) s.on('data', () => undefined);
process.stdout.write(`open ${sockets.length}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  for (const s of sockets) s.destroy();
  process.exit(0);
});
