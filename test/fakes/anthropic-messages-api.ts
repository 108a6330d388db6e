/**
 * A loopback fake of the Anthropic Messages API (`POST /v1/messages`), speaking the real wire
 * format — JSON replies, Server-Sent Events when `stream: true`, Anthropic's error bodies — so
 * the real `@anthropic-ai/sdk` can be pointed at it through `baseURL`.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ConnectionFaults } from './connection-faults.js';
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

/**
 * A scripted reply beyond plain text: a tool call's input (sent when the request forces that
 * tool), and a failure part-way through the stream.
 */
export interface ScriptedReply {
  text?: string;
  toolInput?: Record<string, unknown>;
  /**
   * After this many content deltas: `error` sends the API's mid-stream `error` event
   * (overloaded), `drop` resets the connection, `stall` goes silent without closing.
   */
  midStream?: { afterDeltas: number; action: 'error' | 'drop' | 'stall' };
}

export type ReplyScript = (req: RecordedRequest) => string | ScriptedReply | Promise<string | ScriptedReply>;

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
  /** Resets and never-answered requests (see connection-faults.ts). */
  readonly connectionFaults: ConnectionFaults;
  /** Milliseconds between streamed deltas, so a test can watch them arrive one by one. */
  deltaDelayMs: number;
  /**
   * Prompt caching as the API does it: the prefix up to each `cache_control` breakpoint (tools,
   * then system, then messages) is cached on first use and read on the next request with the
   * same prefix; the usage reports cache writes and reads. The real API only caches prefixes
   * of at least 1,024 tokens (more for some models); the fake caches any length.
   */
  readonly cache: Set<string>;
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
    deltaDelayMs: 0,
    cache: new Set(),
    connectionFaults: new ConnectionFaults(),
    close: async () => {
      fake.connectionFaults.clear();
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
    if (await fake.connectionFaults.take(req, res)) return;
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

    const scripted = await fake.reply(recorded);
    const reply: ScriptedReply = typeof scripted === 'string' ? { text: scripted } : scripted;
    const params = recorded.body;
    const content = contentFor(params, reply);
    const usage = usageFor(params, content);
    if (params.stream) await streamMessage(req, res, params, content, usage, reply.midStream);
    else sendMessage(res, params, content, usage);
  }

  function isAuthorized(req: IncomingMessage): boolean {
    return req.headers['x-api-key'] === apiKey || req.headers['authorization'] === `Bearer ${apiKey}`;
  }

  type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

  /** A forced tool gets a tool call (the script's input, else the text in the tool's first string field); otherwise text. */
  function contentFor(params: Anthropic.MessageCreateParams, reply: ScriptedReply): Block[] {
    const choice = params.tool_choice;
    const forced = choice?.type === 'tool' ? params.tools?.find((t) => 'name' in t && t.name === choice.name) : undefined;
    if (forced && 'input_schema' in forced) {
      return [
        { type: 'tool_use', id: nextId('toolu'), name: forced.name, input: reply.toolInput ?? inputFromSchema(forced, reply.text ?? '') },
      ];
    }
    return reply.text ? [{ type: 'text', text: reply.text }] : [];
  }

  function usageFor(params: Anthropic.MessageCreateParams, content: Block[]) {
    const total = countTokens(JSON.stringify(params));
    const prefixes = cachePrefixes(params);
    let read = 0;
    let write = 0;
    const longestCached = [...prefixes].reverse().find((p) => fake.cache.has(p));
    if (longestCached !== undefined) read = countTokens(longestCached);
    const last = prefixes.at(-1);
    if (last !== undefined && last !== longestCached) write = countTokens(last) - read;
    for (const p of prefixes) fake.cache.add(p);
    return {
      input_tokens: Math.max(1, total - read - write),
      cache_creation_input_tokens: write,
      cache_read_input_tokens: read,
      output_tokens: countTokens(content.map((b) => (b.type === 'text' ? b.text : JSON.stringify(b.input))).join('')),
    };
  }

  function sendMessage(res: ServerResponse, params: Anthropic.MessageCreateParams, content: Block[], usage: Usage) {
    const message = {
      id: nextId('msg'),
      type: 'message',
      role: 'assistant',
      model: params.model,
      content,
      stop_reason: content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage,
    };
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': nextId('req') });
    res.end(JSON.stringify(message));
  }

  async function streamMessage(
    req: IncomingMessage,
    res: ServerResponse,
    params: Anthropic.MessageCreateParams,
    content: Block[],
    usage: Usage,
    midStream: ScriptedReply['midStream'],
  ) {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'request-id': nextId('req'),
    });
    const event = (type: string, data: Record<string, unknown>) =>
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    const { output_tokens, ...inputUsage } = usage;

    event('message_start', {
      message: {
        id: nextId('msg'),
        type: 'message',
        role: 'assistant',
        model: params.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...inputUsage, output_tokens: 1 },
      },
    });
    let deltas = 0;
    for (const [index, block] of content.entries()) {
      const start = block.type === 'text' ? { type: 'text', text: '' } : { ...block, input: {} };
      event('content_block_start', { index, content_block: start });
      event('ping', {});
      const pieces = block.type === 'text' ? splitIntoDeltas(block.text) : splitIntoDeltas(JSON.stringify(block.input));
      for (const piece of pieces) {
        if (midStream && deltas === midStream.afterDeltas) {
          if (midStream.action === 'error') {
            event('error', { error: { type: 'overloaded_error', message: 'Overloaded' } });
            res.end();
          } else if (midStream.action === 'drop') res.destroy();
          // 'stall': leave the response open and silent until the client gives up.
          return;
        }
        if (fake.deltaDelayMs > 0 && !(await waitUnlessClosed(req, fake.deltaDelayMs))) return;
        const delta = block.type === 'text' ? { type: 'text_delta', text: piece } : { type: 'input_json_delta', partial_json: piece };
        event('content_block_delta', { index, delta });
        deltas++;
      }
      event('content_block_stop', { index });
    }
    event('message_delta', {
      delta: { stop_reason: content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn', stop_sequence: null },
      // Cumulative totals, as the API sends them.
      usage: { ...inputUsage, output_tokens },
    });
    event('message_stop', {});
    res.end();
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, { url: `http://127.0.0.1:${port}` });
}

type Usage = { input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number };

/** The serialized prompt up to each `cache_control` breakpoint, shortest first, in the API's order: tools, system, messages. */
function cachePrefixes(params: Anthropic.MessageCreateParams): string[] {
  const parts: { text: string; breakpoint: boolean }[] = [];
  const marked = (b: unknown) => typeof b === 'object' && b !== null && 'cache_control' in b && Boolean(b.cache_control);
  for (const tool of params.tools ?? []) parts.push({ text: JSON.stringify(tool), breakpoint: marked(tool) });
  const system = typeof params.system === 'string' ? [{ type: 'text', text: params.system }] : (params.system ?? []);
  for (const block of system) parts.push({ text: JSON.stringify(block), breakpoint: marked(block) });
  for (const m of params.messages) {
    const blocks = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
    for (const block of blocks) parts.push({ text: m.role + JSON.stringify(block), breakpoint: marked(block) });
  }
  const prefixes: string[] = [];
  let prefix = '';
  for (const part of parts) {
    prefix += part.text;
    if (part.breakpoint) prefixes.push(prefix);
  }
  return prefixes;
}

/** A tool input that satisfies the schema's required fields, with `text` in the first string field. */
function inputFromSchema(tool: Anthropic.Tool, text: string): Record<string, unknown> {
  const props = (tool.input_schema.properties ?? {}) as Record<string, { type?: string }>;
  const required = new Set(tool.input_schema.required ?? Object.keys(props));
  const input: Record<string, unknown> = {};
  let textPlaced = false;
  for (const [name, schema] of Object.entries(props)) {
    if (!required.has(name)) continue;
    if (schema.type === 'string') {
      input[name] = textPlaced ? '' : text;
      textPlaced = true;
    } else if (schema.type === 'array') input[name] = [];
    else if (schema.type === 'boolean') input[name] = false;
    else if (schema.type === 'number' || schema.type === 'integer') input[name] = 0;
    else input[name] = null;
  }
  return input;
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
