/**
 * A loopback HTTP server speaking enough of the S3 REST protocol (path-style) for the AWS SDK's
 * PutObject, HeadObject, GetObject, DeleteObject and the multipart upload calls lib-storage makes.
 * Objects are kept in memory; requests are recorded so tests can see how a file went up.
 * Signatures are not checked, only that the request carries one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';

export interface S3Fake {
  url: string;
  bucket: string;
  objects: Map<string, { body: Buffer; contentType: string }>;
  /** Method and query of every request (`PUT ?partNumber&uploadId`), in order. */
  requests: { method: string; key: string; query: string }[];
  /** Multipart uploads started and not completed or aborted. */
  openUploads(): number;
  stop(): Promise<void>;
}

export async function startS3Fake(bucket = 'switchboard-test'): Promise<S3Fake> {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const uploads = new Map<string, { key: string; parts: Map<number, Buffer>; contentType: string }>();
  const requests: S3Fake['requests'] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) xmlError(res, 500, 'InternalError', String(err));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const [, b, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const q = url.searchParams;
    requests.push({ method: req.method ?? '', key, query: [...q.keys()].join('&') });
    if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256')) return xmlError(res, 403, 'AccessDenied', 'unsigned request');
    if (b !== bucket) return xmlError(res, 404, 'NoSuchBucket', `no bucket ${b}`);
    if (req.headers['content-encoding']?.includes('aws-chunked')) return xmlError(res, 501, 'NotImplemented', 'aws-chunked bodies');
    const body = req.method === 'PUT' || req.method === 'POST' ? await readAll(req) : Buffer.alloc(0);

    if (req.method === 'POST' && q.has('uploads')) {
      const id = randomUUID();
      uploads.set(id, { key, parts: new Map(), contentType: String(req.headers['content-type'] ?? 'application/octet-stream') });
      return xml(
        res,
        `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (req.method === 'PUT' && q.has('uploadId')) {
      const up = uploads.get(q.get('uploadId')!);
      if (!up) return xmlError(res, 404, 'NoSuchUpload', 'no such upload');
      up.parts.set(Number(q.get('partNumber')), body);
      res.writeHead(200, { etag: etag(body) }).end();
      return;
    }
    if (req.method === 'POST' && q.has('uploadId')) {
      const up = uploads.get(q.get('uploadId')!);
      if (!up) return xmlError(res, 404, 'NoSuchUpload', 'no such upload');
      const numbers = [...body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
      const whole = Buffer.concat(numbers.map((n) => up.parts.get(n) ?? Buffer.alloc(0)));
      objects.set(up.key, { body: whole, contentType: up.contentType });
      uploads.delete(q.get('uploadId')!);
      return xml(
        res,
        `<CompleteMultipartUploadResult><Location>/${bucket}/${key}</Location><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>${etag(whole)}</ETag></CompleteMultipartUploadResult>`,
      );
    }
    if (req.method === 'DELETE' && q.has('uploadId')) {
      uploads.delete(q.get('uploadId')!);
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'PUT') {
      objects.set(key, { body, contentType: String(req.headers['content-type'] ?? 'application/octet-stream') });
      res.writeHead(200, { etag: etag(body) }).end();
      return;
    }
    const obj = objects.get(key);
    if (req.method === 'HEAD') {
      if (!obj) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': obj.body.byteLength, 'content-type': obj.contentType, etag: etag(obj.body) }).end();
      return;
    }
    if (req.method === 'GET') {
      if (!obj) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      res.writeHead(200, {
        'content-length': obj.body.byteLength,
        'content-type': obj.contentType,
        etag: etag(obj.body),
        'last-modified': new Date().toUTCString(),
      });
      res.end(obj.body);
      return;
    }
    if (req.method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204).end();
      return;
    }
    xmlError(res, 405, 'MethodNotAllowed', `${req.method} not supported`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bucket,
    objects,
    requests,
    openUploads: () => uploads.size,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const etag = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;

function xml(res: ServerResponse, body: string) {
  res.writeHead(200, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
}

function xmlError(res: ServerResponse, status: number, code: string, message: string) {
  res
    .writeHead(status, { 'content-type': 'application/xml' })
    .end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}
