import type { Socket } from 'node:net';

/** How long, and how much, a closing connection keeps discarding what the client still sends. */
const LINGER_MS = 2_000;
const LINGER_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Closes HTTP connections the way nginx's `lingering_close` does. When the server answers before
 * reading the whole request (a 413 while an upload still streams), Node closes the socket with
 * unread bytes in its receive buffer, and the kernel answers that with a reset — which makes the
 * client's kernel throw away the answer it had not yet read. Here the socket is half-closed
 * instead (the answer, then FIN) and reads on, discarding, until the client closes its side, or
 * for at most LINGER_MS / LINGER_MAX_BYTES.
 */
export function lingerOnClose(socket: Socket): void {
  const destroySoon = socket.destroySoon.bind(socket);
  let lingering = false;
  socket.destroySoon = () => {
    if (lingering) return;
    if (socket.destroyed || socket.readableEnded) return destroySoon();
    lingering = true;
    socket.end();
    let discarded = 0;
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.on('data', (chunk: Buffer) => {
      discarded += chunk.byteLength;
      if (discarded > LINGER_MAX_BYTES) socket.destroy();
    });
    socket.once('end', () => socket.destroy());
    socket.once('close', () => clearTimeout(timer));
    socket.resume();
  };
}
