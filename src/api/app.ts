import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { AdapterRoute } from '../domain/channel.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../log.js';
import type { QueueActions } from '../queue/actions.js';
import type { Store } from '../store/store.js';
import { requireAgent, type ApiEnv } from './auth.js';
import { agentRoutes } from './agents.js';
import { auditRoutes } from './audit.js';
import { privacyRoutes } from './privacy.js';
import { customerRoutes } from './customers.js';
import { searchRoutes } from './search.js';
import { webhookRoutes } from './webhooks.js';
import type { TokenPolicy } from '../access/tokens.js';
import { conversationRoutes } from './conversations.js';
import { cannedRoutes } from './canned.js';
import { ConversationTools } from '../queue/tools.js';
import { CannedResponses } from '../queue/canned.js';
import { faqRoutes } from './faq.js';
import { faqEntryRoutes } from './faq-entries.js';
import { settingsRoutes } from './settings.js';
import { aiAgentSettingsRoutes } from './ai-agent-settings.js';
import type { SlaSettings } from '../sla/settings.js';
import type { FaqMatcher } from '../faq/matcher.js';
import { FaqWriter } from '../faq-learning/write-back.js';
import type { EngineOptions } from '../faq/faq-index.js';
import { errorHandler } from './errors.js';
import { errorBody } from '../kit/http-errors.js';
import type { StreamPolicy } from '../kit/sse.js';
import type { EventHub } from '../store/event-hub.js';
import { agentEvents } from './events.js';
import { reportRoutes } from './reports.js';
import { draftRoutes, type DraftingApi } from './drafts.js';
import { llmReportRoutes } from './llm-report.js';
import { translationRoutes } from './translations.js';
import { directSse } from './sse-direct.js';
import { assetResponse, type WebAsset } from './web-assets.js';
import { PayloadTooLargeError } from '../domain/errors.js';
import { opsRoutes, type OpsDeps } from '../ops/routes.js';
import type { RateLimit, RateLimiter } from '../domain/rate-limit.js';
import { clientIp } from './client.js';
import { limitPerAgent, limitPerIp } from './rate-limits.js';
import { securityHeaders } from './security-headers.js';
import { z } from 'zod';
import { AGENT_STATUSES } from '../domain/presence.js';
import type { Presence } from '../routing/presence.js';
import type { AutoAssigner } from '../routing/assigner.js';
import { routingRuleRoutes, teamRoutes } from './teams.js';
import { typingRoutes, type ChannelTyping } from './typing.js';
import { conversationVisitorRoutes, visitorRoutes } from './visitors.js';
import { inviteRuleRoutes } from './invite-rules.js';
import type { Invites } from '../kit/invites.js';
import { Visitors } from '../kit/visitors.js';
import { SessionSignals } from '../kit/signals.js';
import type { AgentSignals } from '../kit/agent-signals.js';
import { parseBody } from './body.js';
import { ROUTING_DEFAULTS } from '../routing/presence.js';
import { attachmentRoutes, type AttachmentsApi } from './attachments.js';
import type { AttachmentLimits } from '../domain/channel.js';

/** Limits applied to every request before any work is done for it (settings in src/config.ts). */
export interface RequestGuard {
  /** Reverse proxies in front of the service whose X-Forwarded-For / X-Forwarded-Proto are believed. */
  trustProxy: number;
  /** No request body may be larger (each route may allow less). */
  maxBodyBytes: number;
  /** Longer URLs are refused with 414. */
  maxUrlBytes: number;
  perIp: RateLimit;
  perAgent: RateLimit;
  /** Origins that may frame the chat page and call the web chat API (CORS). */
  widgetOrigins: string[];
  /** WEBHOOK_ALLOW_PRIVATE: a webhook URL may name a loopback or private address. */
  allowPrivateWebhooks?: boolean;
}

export interface ApiDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  actions: QueueActions;
  /** HTTP surfaces of channel adapters (web chat, Telegram webhook). */
  adapterRoutes: AdapterRoute[];
  /** The console and chat pages with their scripts and styles (see web-assets.ts). */
  webAssets: WebAsset[];
  /** The SLA settings of the environment; an admin's saved ones (PUT /api/settings/sla) win over them. */
  sla: SlaSettings;
  /** How long new agent tokens live (AGENT_TOKEN_TTL_DAYS). */
  tokens: TokenPolicy;
  /** The FAQ the bot answers from, where its files are, and how to hand it a reloaded index. */
  faq: { current: () => FaqMatcher; dir: string; engine: Partial<EngineOptions>; reload: (matcher: FaqMatcher) => void };
  /** The one event read per batch that every event stream follows. */
  hub: EventHub;
  /** Caps and keep-alive of event streams, shared with the web chat's. */
  streams: StreamPolicy;
  /** Request metrics, `/readyz` and `/metrics` (src/ops/). */
  ops: OpsDeps;
  limiter: RateLimiter;
  guard: RequestGuard;
  /** Agents' availability (AGENT_AWAY_AFTER_SECONDS) and the auto-assigner it wakes. */
  presence: Presence;
  assigner: AutoAssigner;
  /** Background drafts (streams, cancel, on-demand), and the prices their estimated cost is read at. */
  drafting: DraftingApi;
  /** Agents' typing to web chat visitors' open streams (src/kit/signals.ts). */
  signals?: SessionSignals;
  /** Who is on the shop's site now (widget.js page views). */
  visitors?: Visitors;
  /** Manual chat invitations waiting for a visitor's heartbeat. */
  invites?: Invites;
  /** Signals to agents' event streams: the visitors list changed, a customer is typing (src/kit/agent-signals.ts). */
  agentSignals?: AgentSignals;
  /** The channels that show the customer an agent is typing (ChannelAdapter.typing: Telegram, Discord). */
  channelTyping?: ChannelTyping;
  /** The file store and its limits, with what each channel can send (absent: no files). */
  attachments?: AttachmentsApi & { limits: (channel: string) => AttachmentLimits | undefined };
}

/** File uploads stream into the file store under their own limit (ATTACHMENT_MAX_MB), not the request body cap. */
const UPLOAD_PATH = /^\/(api\/attachments|webchat\/sessions\/[^/]+\/attachments)\/?$/;

const statusBody = z.object({ status: z.enum(AGENT_STATUSES) });

export function createApi(d: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use('*', directSse);
  app.use('*', d.ops.metrics.middleware);
  app.onError(errorHandler(d.log));
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));

  const g = d.guard;
  app.use(
    '*',
    securityHeaders({
      trustProxy: g.trustProxy,
      widgetOrigins: g.widgetOrigins,
      chatPath: '/chat',
      embedPaths: ['/widget.js', '/widget.css'],
    }),
  );
  // Only the widget's own API is offered cross-origin, and only to the origins configured.
  if (g.widgetOrigins.length)
    app.use('/webchat/*', cors({ origin: g.widgetOrigins, allowHeaders: ['authorization', 'content-type', 'last-event-id'] }));
  app.use('*', async (c, next) => {
    if (c.req.url.length > g.maxUrlBytes) return c.json(errorBody('uri_too_long', `URL longer than ${g.maxUrlBytes} bytes`), 414);
    await next();
  });
  const unmetered = new Set(d.adapterRoutes.filter((r) => r.unmetered).map((r) => r.path));
  app.use('*', limitPerIp(d.limiter, g.perIp, g.trustProxy, unmetered));
  // The backstop for every body, webhooks included: refused by Content-Length, or while streaming.
  const limitBody = bodyLimit({
    maxSize: g.maxBodyBytes,
    onError: () => {
      throw new PayloadTooLargeError(`body exceeds ${g.maxBodyBytes} bytes`);
    },
  });
  // A GET or HEAD request has no body to limit. Asking for one made the Node server build the full
  // Request (headers, abort signal) that an open event stream then kept for its whole life.
  const limitBodies: MiddlewareHandler = (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' || (d.attachments && UPLOAD_PATH.test(c.req.path)) ? next() : limitBody(c, next);
  app.use('*', limitBodies);

  app.get('/', (c) => c.redirect('/chat'));
  for (const asset of d.webAssets) app.get(asset.path, (c) => assetResponse(asset, c.req.raw));
  app.get('/healthz', async (c) => {
    await d.store.tx((r) => r.agents.get('healthz'));
    return c.json({ ok: true });
  });
  app.route('/', opsRoutes(d.ops));

  for (const route of d.adapterRoutes) {
    const handler = (c: Context<ApiEnv>) => route.handle(c.req.raw, c.req.param(), { clientIp: clientIp(c, g.trustProxy) });
    if (route.method === 'GET') app.get(route.path, handler);
    else app.post(route.path, handler);
  }

  const api = new Hono<ApiEnv>();
  api.use('*', requireAgent(d.store, d.clock));
  api.use('*', limitPerAgent(d.limiter, g.perAgent));
  // Any request is a sign of life: presence stays fresh while the console or a script is in use.
  api.use('*', async (c, next) => {
    await d.presence.seen(c.get('agent').id);
    await next();
  });
  api.get('/me', (c) => {
    const { id, name, role } = c.get('agent');
    return c.json({ id, name, role });
  });
  api.post('/me/status', async (c) => {
    const { status } = await parseBody(c, statusBody);
    const row = await d.presence.setStatus(c.get('agent').id, status);
    return c.json({ status: d.presence.status(row), capacity: row.capacity ?? ROUTING_DEFAULTS.capacity });
  });
  api.route('/agents', agentRoutes({ store: d.store, clock: d.clock, tokens: d.tokens, presence: d.presence, assigner: d.assigner }));
  api.route('/teams', teamRoutes({ store: d.store, clock: d.clock, assigner: d.assigner }));
  api.route('/routing-rules', routingRuleRoutes({ store: d.store, clock: d.clock }));
  api.route('/audit', auditRoutes(d.store));
  api.route('/customers', privacyRoutes({ store: d.store, clock: d.clock, files: d.attachments?.files }));
  api.route('/customers', customerRoutes({ store: d.store, clock: d.clock }));
  api.route('/search', searchRoutes(d.store));
  api.route('/webhooks', webhookRoutes({ store: d.store, clock: d.clock, allowPrivate: g.allowPrivateWebhooks ?? false }));
  api.route('/reports', reportRoutes({ store: d.store, clock: d.clock, sla: d.sla }));
  api.route('/reports', llmReportRoutes({ store: d.store, clock: d.clock, drafting: d.drafting }));
  api.route('/conversations', draftRoutes({ store: d.store, drafting: d.drafting, heartbeatMs: d.streams.heartbeatMs }));
  const visitorDeps = { visitors: d.visitors ?? new Visitors(0), clock: d.clock, store: d.store, invites: d.invites };
  api.route('/visitors', visitorRoutes(visitorDeps));
  api.route('/conversations', conversationVisitorRoutes(visitorDeps));
  const translations = d.drafting.translations;
  if (translations) api.route('/conversations', translationRoutes({ store: d.store, actions: d.actions, translations }));
  api.route('/conversations', typingRoutes({ store: d.store, signals: d.signals ?? new SessionSignals(), channels: d.channelTyping }));
  api.route('/invite-rules', inviteRuleRoutes({ store: d.store, clock: d.clock }));
  api.route(
    '/conversations',
    conversationRoutes(d.store, d.actions, new ConversationTools(d.store, d.clock), {
      settings: d.sla,
      clock: d.clock,
      drafting: d.drafting,
      faq: d.faq.current,
      files: d.attachments && { perMessage: d.attachments.policy.perMessage, limits: d.attachments.limits },
    }),
  );
  if (d.attachments) api.route('/attachments', attachmentRoutes({ store: d.store, clock: d.clock, ...d.attachments }));
  api.route('/canned', cannedRoutes(d.store, new CannedResponses(d.store, d.clock)));
  api.route('/settings', settingsRoutes({ store: d.store, clock: d.clock, sla: d.sla }));
  api.route('/settings', aiAgentSettingsRoutes({ store: d.store, clock: d.clock, modelAvailable: d.drafting.model !== null }));
  const learning = { store: d.store, clock: d.clock, writer: new FaqWriter(d.faq.dir, d.faq.engine), reload: d.faq.reload };
  api.route('/faq', faqEntryRoutes(d.faq.current));
  api.route('/faq', faqRoutes({ store: d.store, clock: d.clock, faq: d.faq.current, learning }));
  // Every change this agent may see (messages, status, drafts, deliveries, notes) as SSE; ids are event sequence numbers.
  // An open stream keeps its agent present (src/routing/presence.ts).
  api.get('/events', (c) => agentEvents(c, d.hub, d.streams, clientIp(c, g.trustProxy), d.presence, d.agentSignals));
  app.route('/api', api);
  return app;
}
