import { connect } from 'node:net';

/**
 * Streams a body of `total` bytes (one reused 64 KB chunk, so the test itself holds nothing) to
 * `url` over a raw HTTP/1.1 connection, chunked unless `declare` sends a Content-Length, and
 * resolves with the answer's status and body and how much had been written when it came. A raw
 * socket, because HTTP clients tend to drop an answer that arrives while they are still sending,
 * which is exactly what a limit does; the server then closes the connection, ending the upload.
 */
export function streamUpload(
  url: string,
  total: number,
  opts: { headers?: Record<string, string>; declare?: boolean; chunk?: Buffer } = {},
): Promise<{ status: number; sentWhenAnswered: number; body: string }> {
  const { hostname, port, pathname, search } = new URL(url);
  const chunk = opts.chunk ?? Buffer.alloc(64 * 1024, 0x20);
  const framed = opts.declare ? chunk : Buffer.concat([Buffer.from(`${chunk.byteLength.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  const headers = {
    host: `${hostname}:${port}`,
    'content-type': 'application/json',
    connection: 'close',
    ...opts.headers,
    ...(opts.declare ? { 'content-length': String(total) } : { 'transfer-encoding': 'chunked' }),
  };
  const head = `POST ${pathname}${search} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let sent = 0;
    let sentWhenAnswered: number | undefined;
    let received = '';
    const finish = () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (!m) return reject(new Error(`no HTTP answer (sent ${sent} bytes)`));
      const body = received.slice(received.indexOf('\r\n\r\n') + 4);
      resolve({ status: Number(m[1]), sentWhenAnswered: sentWhenAnswered ?? sent, body: dechunk(body, received) });
    };
    socket.on('data', (d: Buffer) => {
      sentWhenAnswered ??= sent;
      received += d.toString('utf8');
    });
    socket.on('error', () => undefined);
    socket.on('close', finish);
    const pump = () => {
      while (sent < total && sentWhenAnswered === undefined && !socket.destroyed) {
        sent += chunk.byteLength;
        if (!socket.write(framed)) return void socket.once('drain', pump);
      }
      if (!socket.destroyed && sentWhenAnswered === undefined && !opts.declare) socket.write('0\r\n\r\n');
    };
    socket.write(head);
    pump();
  });
}

/** The body of a chunked answer, joined; other answers as they are. */
function dechunk(body: string, whole: string): string {
  if (!/\r\ntransfer-encoding: chunked\r\n/i.test(whole.slice(0, whole.indexOf('\r\n\r\n') + 2))) return body;
  let out = '';
  let rest = body;
  for (;;) {
    const nl = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, nl), 16);
    if (!size) return out;
    out += rest.slice(nl + 2, nl + 2 + size);
    rest = rest.slice(nl + 2 + size + 2);
  }
}

/** POSTs `body` as it is, with its Content-Length, over a raw connection (see streamUpload). */
export function rawPost(url: string, body: Uint8Array, headers: Record<string, string> = {}) {
  return streamUpload(url, body.byteLength, { headers, declare: true, chunk: Buffer.from(body) });
}
