import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../support/app.js';
import type { Running } from '../../src/main.js';

/**
 * A client whose event loop is busy stops reading for a while but its kernel keeps sending. The
 * 413 the server sends meanwhile must still reach it: closed with a reset, the client's kernel
 * would drop the unread answer (src/kit/lingering-close.ts).
 */
describe('an answer before the upload ends', () => {
  let app: Running;
  beforeAll(async () => {
    app = await startApp({ MAX_BODY_KB: '64' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('reaches a client that reads only after the server has answered and closed', async () => {
    const { port } = new URL(app.url);
    const received = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      let text = '';
      socket.pause();
      socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
      socket.on('error', (e: NodeJS.ErrnoException) => (text += `[${e.code}]`));
      socket.on('close', () => resolve(text));
      socket.write(
        'POST /webchat/sessions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\r\n',
      );
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const framed = Buffer.concat([Buffer.from(`${chunk.byteLength.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
      let sent = 0;
      const pump = setInterval(() => {
        if (!socket.destroyed && sent++ < 40) socket.write(framed);
      }, 20);
      // Reads nothing until well after the answer and the server's close.
      setTimeout(() => {
        clearInterval(pump);
        socket.resume();
      }, 1500);
    });
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toContain('payload_too_large');
  });
});
