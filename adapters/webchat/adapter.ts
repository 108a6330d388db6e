import { createHash, timingSafeEqual, randomBytes } from 'node:crypto';
import type { AdapterRoute, ChannelAdapter, Deliver, OutboundMessage } from '../../src/domain/channel.js';
import type { WebchatBackend } from '../../src/domain/webchat.js';
import { bearer, error, json, readJson } from './http.js';
import { chatPageResponse } from './page.js';

export const MAX_TEXT_BYTES = 16 * 1024;
const MAX_CLIENT_ID = 200;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The built-in web chat. Messages live in the store; "sending" to the widget means recording the
 * delivery, after which the session's GET and event stream show it.
 */
export class WebchatAdapter implements ChannelAdapter {
  readonly channel = 'webchat' as const;
  readonly routes: AdapterRoute[];
  private deliver: Deliver | undefined;

  constructor(private readonly backend: WebchatBackend) {
    this.routes = [
      { method: 'GET', path: '/chat', handle: async () => chatPageResponse() },
      { method: 'POST', path: '/webchat/sessions', handle: () => this.createSession() },
      { method: 'POST', path: '/webchat/sessions/:id/messages', handle: (req, p) => this.postMessage(req, p.id!) },
      { method: 'GET', path: '/webchat/sessions/:id/messages', handle: (req, p) => this.listMessages(req, p.id!) },
      { method: 'GET', path: '/webchat/sessions/:id/events', handle: (req, p) => this.events(req, p.id!) },
    ];
  }

  async start(deliver: Deliver): Promise<void> {
    this.deliver = deliver;
  }

  async send(m: OutboundMessage): Promise<{ externalId: string }> {
    return { externalId: `webchat:${m.outboxId}` };
  }

  async stop(): Promise<void> {
    this.deliver = undefined;
  }

  private async createSession(): Promise<Response> {
    const secret = randomBytes(32).toString('base64url');
    const sessionId = await this.backend.createSession(sha256(secret));
    return json(201, { sessionId, secret });
  }

  /** The session's secret from `Authorization: Bearer`, or `?secret=` for EventSource, which cannot set headers. */
  private async authorize(req: Request, sessionId: string, allowQuery = false): Promise<Response | undefined> {
    const secret = bearer(req) ?? (allowQuery ? new URL(req.url).searchParams.get('secret') ?? undefined : undefined);
    const stored = await this.backend.sessionSecretHash(sessionId);
    if (!stored) return error(404, 'not_found', 'unknown session');
    if (!secret) return error(401, 'unauthorized', 'missing session secret');
    const given = Buffer.from(sha256(secret), 'hex');
    if (!timingSafeEqual(given, Buffer.from(stored, 'hex'))) return error(401, 'unauthorized', 'wrong session secret');
    return undefined;
  }

  private async postMessage(req: Request, sessionId: string): Promise<Response> {
    const denied = await this.authorize(req, sessionId);
    if (denied) return denied;
    const body = await readJson(req, MAX_TEXT_BYTES * 4 + 1024);
    if (!body.ok) return body.response;
    const { text, clientMessageId } = body.value;
    if (typeof text !== 'string') return error(400, 'validation_error', 'text: must be a string');
    const trimmed = text.normalize('NFC').trim();
    if (!trimmed) return error(400, 'validation_error', 'text: must not be empty');
    if (Buffer.byteLength(trimmed) > MAX_TEXT_BYTES) return error(413, 'validation_error', `text: longer than ${MAX_TEXT_BYTES} bytes`);
    if (typeof clientMessageId !== 'string' || !clientMessageId || clientMessageId.length > MAX_CLIENT_ID) {
      return error(400, 'validation_error', `clientMessageId: must be a non-empty string of at most ${MAX_CLIENT_ID} characters`);
    }
    if (!this.deliver) return error(503, 'unavailable', 'web chat is not running');
    const result = await this.deliver({
      channel: 'webchat',
      // Namespaced by session so one widget's ids can never collide with another's.
      externalMessageId: `${sessionId}:${clientMessageId}`,
      threadKey: sessionId,
      sender: { channelUserId: sessionId, locale: preferredLocale(req) },
      text: trimmed,
      attachments: [],
      receivedAt: new Date(),
    });
    return json(202, { messageId: result.messageId });
  }

  private async listMessages(req: Request, sessionId: string): Promise<Response> {
    const denied = await this.authorize(req, sessionId);
    if (denied) return denied;
    const after = new URL(req.url).searchParams.get('after');
    const cursor = after === null || after === '' ? 0 : Number(after);
    if (!Number.isSafeInteger(cursor) || cursor < 0) return error(400, 'validation_error', 'after: must be a cursor returned by this endpoint');
    const page = await this.backend.itemsAfter(sessionId, cursor, 500);
    return json(200, { items: page.items.map((i) => i.item), cursor: String(page.cursor) });
  }

  private async events(req: Request, sessionId: string): Promise<Response> {
    const denied = await this.authorize(req, sessionId, true);
    if (denied) return denied;
    const last = req.headers.get('last-event-id') ?? new URL(req.url).searchParams.get('after') ?? '0';
    const cursor = Number(last);
    if (!Number.isSafeInteger(cursor) || cursor < 0) return error(400, 'validation_error', 'Last-Event-ID: must be a cursor sent by this stream');
    return this.backend.stream(sessionId, cursor, req.signal);
  }
}

function preferredLocale(req: Request): string | undefined {
  const tag = req.headers.get('accept-language')?.split(',')[0]?.split(';')[0]?.trim();
  return tag && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag) ? tag : undefined;
}
