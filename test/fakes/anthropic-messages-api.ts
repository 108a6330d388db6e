/**
 * A loopback fake of the Anthropic Messages API (`POST /v1/messages`), speaking the real wire
 * format — JSON replies, Server-Sent Events when `stream: true`, Anthropic's error bodies — so
 * the real `@anthropic-ai/sdk` can be pointed at it through `baseURL`.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Anthropic from '@anthropic-ai/sdk';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Anthropic.MessageCreateParams;
}

/** One injected failure; consumed by the next request that passes authentication. */
export interface Fault {
  status: 400 | 429 | 500 | 503 | 529;
  /** Sent as `retry-after` (seconds), as the real API does on 429. */
  retryAfterSeconds?: number;
}

export type ReplyScript = (req: RecordedRequest) => string | Promise<string>;

export interface FakeAnthropic {
  /** Base URL for the SDK's `baseURL` (no trailing slash). */
  readonly url: string;
  readonly apiKey: string;
  /** Every request received, in order, including rejected ones. */
  readonly requests: RecordedRequest[];
  /** Reply text for a request; the default echoes a fixed sentence. */
  reply: ReplyScript;
  /** Failures answered before any reply, first in first out. */
  readonly faults: Fault[];
  /** Milliseconds to wait before answering each request (abandoned if the client hangs up). */
  delayMs: number;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'api_error',
  529: 'overloaded_error',
};

const ERROR_MESSAGES: Record<number, string> = {
  429: 'Number of request tokens has exceeded your per-minute rate limit',
  500: 'Internal server error',
  503: 'Service unavailable',
  529: 'Overloaded',
};

export async function startFakeAnthropic(opts: { apiKey?: string } = {}): Promise<FakeAnthropic> {
  const apiKey = opts.apiKey ?? 'sk-ant-test-key';
  let counter = 0;
  const nextId = (prefix: string) => `${prefix}_fake${String(++counter).padStart(8, '0')}`;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, err instanceof Error ? err.message : String(err));
      else res.destroy();
    });
  });

  const fake: FakeAnthropic = {
    url: '',
    apiKey,
    requests: [],
    reply: () => 'Thanks for reaching out — a colleague will look into this.',
    faults: [],
    delayMs: 0,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };

  function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
    const body = {
      type: 'error',
      error: { type: ERROR_TYPES[status] ?? 'api_error', message },
      request_id: nextId('req'),
    };
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': body.request_id, ...headers });
    res.end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0] ?? '/';

    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path,
      headers: req.headers,
      body: body as Anthropic.MessageCreateParams,
    };
    fake.requests.push(recorded);

    if (req.method !== 'POST' || path !== '/v1/messages') {
      return sendError(res, 404, `Not found: ${req.method} ${path}`);
    }
    if (!isAuthorized(req)) {
      return sendError(res, 401, 'invalid x-api-key');
    }
    const invalid = validate(req, body);
    if (invalid) return sendError(res, 400, invalid);

    if (fake.delayMs > 0 && !(await waitUnlessClosed(req, fake.delayMs))) return;

    const fault = fake.faults.shift();
    if (fault) {
      const headers: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      return sendError(res, fault.status, ERROR_MESSAGES[fault.status] ?? 'Invalid request', headers);
    }

    const text = await fake.reply(recorded);
    const params = recorded.body;
    if (params.stream) streamMessage(res, params, text);
    else sendMessage(res, params, text);
  }

  function isAuthorized(req: IncomingMessage): boolean {
    return req.headers['x-api-key'] === apiKey || req.headers['authorization'] === `Bearer ${apiKey}`;
  }

  function sendMessage(res: ServerResponse, params: Anthropic.MessageCreateParams, text: string) {
    const message = {
      id: nextId('msg'),
      type: 'message',
      role: 'assistant',
      model: params.model,
      content: text ? [{ type: 'text', text }] : [],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: countTokens(JSON.stringify(params)), output_tokens: countTokens(text) },
    };
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': nextId('req') });
    res.end(JSON.stringify(message));
  }

  function streamMessage(res: ServerResponse, params: Anthropic.MessageCreateParams, text: string) {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'request-id': nextId('req'),
    });
    const event = (type: string, data: Record<string, unknown>) =>
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);

    event('message_start', {
      message: {
        id: nextId('msg'),
        type: 'message',
        role: 'assistant',
        model: params.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: countTokens(JSON.stringify(params)), output_tokens: 1 },
      },
    });
    if (text) {
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      event('ping', {});
      for (const piece of splitIntoDeltas(text)) {
        event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } });
      }
      event('content_block_stop', { index: 0 });
    }
    event('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: countTokens(text) },
    });
    event('message_stop', {});
    res.end();
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, { url: `http://127.0.0.1:${port}` });
}

/** The checks the real API makes that a client bug would trip. */
function validate(req: IncomingMessage, body: unknown): string | null {
  if (!req.headers['anthropic-version']) return 'anthropic-version: header is required';
  if (typeof body !== 'object' || body === null) return 'Request body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) return 'model: Field required';
  if (typeof b.max_tokens !== 'number') return 'max_tokens: Field required';
  if (!Array.isArray(b.messages) || b.messages.length === 0) return 'messages: at least one message is required';
  return null;
}

/** Resolves false when the client disconnects first — the fake then stays silent, as a stalled upstream would. */
function waitUnlessClosed(req: IncomingMessage, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      req.socket.off('close', onClose);
      resolve(true);
    }, ms);
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    req.socket.once('close', onClose);
  });
}

function splitIntoDeltas(text: string): string[] {
  return text.match(/\S+\s*|\s+/gu) ?? [text];
}

/** The fake's token count (a quarter of the characters), exported so tests can check the usage a client reports. */
export function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
