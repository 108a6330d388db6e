import type { AdapterRoute, ChannelAdapter, Deliver, OutboundMessage } from '../../src/domain/channel.js';
import type { Clock } from '../../src/domain/clock.js';
import { ForbiddenError, UnavailableError, ValidationError } from '../../src/domain/errors.js';
import type { RateLimiter } from '../../src/domain/rate-limit.js';
import type {
  PublicInviteRule,
  WebchatFiles,
  WebchatInvitations,
  WebchatOffline,
  WebchatPolicy,
  WebchatStore,
  WidgetAvailability,
} from '../../src/domain/webchat.js';
import { jsonResponse } from '../../src/kit/http-errors.js';
import { enforce } from '../../src/kit/rate-limit.js';
import type { SessionSignals } from '../../src/kit/signals.js';
import type { Visitors } from '../../src/kit/visitors.js';
import { draftPreview, toVisitorReport, VISITOR_ID } from './presence.js';
import { parseCursor, type StreamPolicy } from '../../src/kit/sse.js';
import { sessionEvents } from './events.js';
import { readJsonObject, route } from './http.js';
import { MAX_BODY_BYTES, toInbound } from './inbound.js';
import { WebchatSessions } from './sessions.js';
import { offlineRoutes } from './offline.js';

export interface WebchatAdapterDeps {
  clock: Clock;
  webchat: WebchatStore;
  /** Caps and keep-alive of event streams, shared with the agents' stream. */
  streams: StreamPolicy;
  limiter: RateLimiter;
  webchatPolicy: WebchatPolicy;
  /** Agents' typing, pushed to the session's open streams (not stored). */
  signals?: SessionSignals;
  /** Who is on the shop's site now, from widget.js's page views (GET /api/visitors). */
  visitors?: Visitors;
  /** Business hours and agents online, for the widget's offline mode. */
  availability?: () => Promise<WidgetAvailability>;
  /** The visitor is typing (`text`: their draft, only with WIDGET_DRAFT_PREVIEW): passed on to the agents, never stored. */
  customerTyping?: (sessionId: string, text: string | undefined) => Promise<void>;
  /** Offline replies by email: the visitor saw the chat (no copies needed), or gives an email later. */
  offline?: WebchatOffline;
  /** Customers' uploads and the files of their conversation (absent: the web chat takes no files). */
  files?: WebchatFiles;
  invitations?: WebchatInvitations;
}

/**
 * The built-in web chat's HTTP API (the page itself is the static front-end in web/chat/).
 * Messages live in the store; "sending" to the widget means recording the delivery, after which
 * the session's GET and event stream show it.
 */
const NO_LIMIT = { max: 0, windowMs: 60_000 };
/** A page view, a heartbeat every 30 s, a leave: far below this for a person browsing. */
const PER_VISITOR = { max: 30, windowMs: 60_000 };

export function createWebchatAdapter(deps: WebchatAdapterDeps): ChannelAdapter {
  const policy = deps.webchatPolicy;
  const sessions = new WebchatSessions(deps.webchat, deps.clock, policy.sessionIdleMs);
  let deliver: Deliver | undefined;

  const look = policy.widget ?? { name: 'Support', color: '#2563eb', position: 'right', greeting: {} };
  // The file limits let the page refuse a file before uploading it.
  const fileLimits = deps.files?.limits ?? null;
  const lookBody = JSON.stringify({ ...look, files: fileLimits });

  // Every page view asks: read the settings store at most every 30 s per instance.
  let rulesCache: { at: number; rules: Promise<PublicInviteRule[]> } | undefined;
  const cachedRules = () => {
    const now = deps.clock.now().getTime();
    if (!rulesCache || now - rulesCache.at > 30_000) {
      const rules = deps.invitations!.rules();
      rulesCache = { at: now, rules };
      rules.catch(() => (rulesCache = undefined));
    }
    return rulesCache.rules;
  };

  const routes: AdapterRoute[] = [
    // Public and the same for everyone: branding only, nothing secret. Cached briefly, since
    // every page view of a shop's site asks for it.
    route('GET', '/webchat/config', async () => {
      return new Response(lookBody, {
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
      });
    }),
    // widget.js's page views and heartbeats. text/plain JSON, so no preflight per page view; a
    // page whose Origin is not in WIDGET_ORIGINS is refused (a simple request is sent anyway).
    // Asked when the chat opens: outside business hours or with nobody online it says so and asks for an email.
    route('GET', '/webchat/status', async () => {
      const value = deps.availability ? await deps.availability() : { open: true, agentsOnline: true, backAt: null };
      return jsonResponse(200, value, { 'cache-control': 'no-store' });
    }),
    route('POST', '/webchat/presence', async (req, _p, info) => {
      const origin = req.headers.get('origin');
      if (!origin || !(policy.widgetOrigins ?? []).includes(origin)) throw new ForbiddenError('this site is not in WIDGET_ORIGINS');
      await enforce(deps.limiter, `webchat-presence:${info.clientIp}`, policy.presence ?? NO_LIMIT, 'page views from this address');
      const body = await readJsonObject(req, 8192);
      const report = toVisitorReport(body);
      // Per visitor too: one tab in a loop cannot use up its whole office's allowance unnoticed.
      await enforce(deps.limiter, `webchat-presence-visitor:${report.visitorId}`, PER_VISITOR, 'page views from this visitor');
      const now = deps.clock.now().getTime();
      deps.visitors?.report(report, now);
      // The widget says the visitor closed an invitation; it carries an agent's invitation back (keeps it to one channel: this answer).
      if (body.dismissed === true) deps.invitations?.invites.dismiss(report.visitorId, now);
      const invite = report.kind === 'leave' ? undefined : deps.invitations?.invites.take(report.visitorId);
      return invite ? jsonResponse(200, { invite }, { 'cache-control': 'no-store' }) : new Response(null, { status: 204 });
    }),
    // The invitation rules widget.js evaluates on the page (public; enabled rules only). Cached briefly, like the config.
    route('GET', '/webchat/invite-rules', async (_req, _p, info) => {
      await enforce(
        deps.limiter,
        `webchat-invite-rules:${info.clientIp}`,
        policy.presence ?? NO_LIMIT,
        'invitation rule reads from this address',
      );
      const rules = deps.invitations ? await cachedRules() : [];
      return jsonResponse(200, { rules }, { 'cache-control': 'public, max-age=60' });
    }),
    route('POST', '/webchat/sessions', async (req, _p, info) => {
      await enforce(deps.limiter, `webchat-session-create:${info.clientIp}`, policy.sessionCreate, 'new sessions from this address');
      // A body names a verified user ({ userId, userHash }); without one the visitor is anonymous.
      const body = req.headers.get('content-type')?.includes('json') ? await readJsonObject(req, 2048) : {};
      if (body.userId !== undefined || body.userHash !== undefined) {
        if (typeof body.userId !== 'string' || typeof body.userHash !== 'string')
          throw new ValidationError('userId and userHash: must both be strings', 'userId');
        return jsonResponse(201, await sessions.verified(body.userId, body.userHash, policy.identitySecret));
      }
      return jsonResponse(201, await sessions.create());
    }),
    route('POST', '/webchat/sessions/:id/messages', async (req, p) => {
      const sessionId = p.id!;
      await sessions.authorize(req, sessionId);
      // Counted after the secret check, so nobody can use up another customer's allowance.
      await enforce(deps.limiter, `webchat-session:${sessionId}`, policy.sessionMessages, 'messages in this session');
      const message = toInbound(
        sessionId,
        await readJsonObject(req, MAX_BODY_BYTES),
        req,
        deps.clock.now(),
        deps.files?.limits.perMessage ?? 0,
      );
      if (!deliver) throw new UnavailableError('web chat is not running');
      const result = await deliver(message);
      return jsonResponse(202, { messageId: result.messageId });
    }),
    // The chat page says which visitor (widget.js's presence id) opened it, so agents see their trail beside the conversation.
    route('POST', '/webchat/sessions/:id/visitor', async (req, p) => {
      const sessionId = p.id!;
      await sessions.authorize(req, sessionId);
      const { visitorId } = await readJsonObject(req, 1024);
      if (typeof visitorId !== 'string' || !VISITOR_ID.test(visitorId))
        throw new ValidationError('visitorId: must be 16 to 64 letters, digits, - or _', 'visitorId');
      deps.visitors?.link(visitorId, sessionId, deps.clock.now().getTime());
      return new Response(null, { status: 204 });
    }),
    // The visitor is typing; with the draft preview, what. Nothing of it is stored.
    route('POST', '/webchat/sessions/:id/typing', async (req, p) => {
      const sessionId = p.id!;
      await sessions.authorize(req, sessionId);
      await enforce(deps.limiter, `webchat-typing:${sessionId}`, policy.typing ?? NO_LIMIT, 'typing signals in this session');
      const body = req.headers.get('content-type')?.includes('json') ? await readJsonObject(req, 8192) : {};
      if (body.text !== undefined && typeof body.text !== 'string') throw new ValidationError('text: must be a string', 'text');
      // Without WIDGET_DRAFT_PREVIEW a draft sent anyway goes no further than here.
      const text = look.draftPreview && typeof body.text === 'string' ? draftPreview(body.text) : undefined;
      await deps.customerTyping?.(sessionId, text);
      return new Response(null, { status: 204 });
    }),
    // The file is the body (`?name=` its name), streamed into the store; the message then names its `attachmentId`.
    route('POST', '/webchat/sessions/:id/attachments', async (req, p) => {
      const sessionId = p.id!;
      await sessions.authorize(req, sessionId);
      if (!deps.files) throw new ValidationError('this web chat takes no files');
      await enforce(deps.limiter, `webchat-upload:${sessionId}`, policy.sessionMessages, 'uploads in this session');
      return jsonResponse(201, { attachment: await deps.files.upload(req, sessionId) });
    }),
    route('GET', '/webchat/sessions/:id/attachments/:attachmentId', async (req, p) => {
      await sessions.authorize(req, p.id!);
      if (!deps.files) throw new ValidationError('this web chat takes no files');
      return deps.files.serve(p.id!, p.attachmentId!, new URL(req.url).searchParams.get('thumbnail') === '1');
    }),
    route('GET', '/webchat/sessions/:id/messages', async (req, p) => {
      const sessionId = p.id!;
      await sessions.authorize(req, sessionId);
      const cursor = parseCursor(new URL(req.url).searchParams.get('after'));
      if (cursor === undefined) throw new ValidationError('after: must be a cursor returned by this endpoint', 'after');
      const page = await deps.webchat.itemsAfter(sessionId, cursor, 500);
      return jsonResponse(200, { items: page.items.map((i) => i.item), cursor: String(page.cursor) });
    }),
    route('GET', '/webchat/sessions/:id/events', async (req, p, client) => {
      const sessionId = p.id!;
      await sessions.authorize(req, sessionId, true);
      const cursor = parseCursor(req.headers.get('last-event-id') ?? new URL(req.url).searchParams.get('after'));
      if (cursor === undefined) throw new ValidationError('Last-Event-ID: must be a cursor sent by this stream', 'after');
      return sessionEvents(deps.webchat, deps.streams, sessionId, client.clientIp, cursor, deps.signals);
    }),
    ...offlineRoutes(sessions, deps),
  ];

  return {
    channel: 'webchat',
    routes,
    // "Sending" is the delivery record itself: the outbox writes it as it leases the reply.
    sendsInStore: true,
    async start(d) {
      deliver = d;
    },
    async send(m: OutboundMessage) {
      return { externalId: `webchat:${m.outboxId}` };
    },
    async stop() {
      deliver = undefined;
    },
    // Files "sent" to the widget are the stored ones it fetches with its session.
    ...(deps.files ? { attachmentLimits: { maxBytes: deps.files.limits.maxBytes, maxCount: deps.files.limits.perMessage } } : {}),
  };
}
