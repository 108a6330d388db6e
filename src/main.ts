import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { ChannelAdapter, ChannelId, DeliverResult, InboundMessage } from './domain/channel.js';
import { systemClock, type Clock } from './domain/clock.js';
import { UnavailableError, ValidationError } from './domain/errors.js';
import { errorResponse } from './kit/http-errors.js';
import { buildChannelAdapters } from './channels.js';
import { loadConfig, slaSettingsOf } from './config.js';
import { createLogger, type Logger } from './log.js';
import { openStore, type Store } from './store/store.js';
import { webchatStore } from './store/webchat-store.js';
import { postgresLeadership, soleLeadership, type Leadership } from './store/leadership.js';
import { EventHub } from './store/event-hub.js';
import { StreamLimits, type StreamPolicy } from './kit/sse.js';
import { StoreRateLimiter } from './store/rate-limiter.js';
import { MemoryRateLimiter } from './kit/rate-limit.js';
import type { RateLimiter } from './domain/rate-limit.js';
import { loadFaqInWorker } from './faq/load-in-worker.js';
import { watchFaq } from './faq/watch-faq.js';
import type { FaqMatcher } from './faq/matcher.js';
import { createDrafter } from './llm/create-drafter.js';
import { ingest } from './pipeline/ingest.js';
import { DraftJobs } from './pipeline/drafting.js';
import { createAiAgentDeps } from './ai-agent/create.js';
import { Summaries } from './pipeline/summaries.js';
import { createAnthropicSummarizer } from './llm/summarizer.js';
import { createAnthropicTranslator } from './llm/translator.js';
import { Translations } from './pipeline/translations.js';
import { OutboxWorker } from './outbox/worker.js';
import { emailCopies, webchatOffline } from './outbox/email-copies-setup.js';
import { attachmentPolicyOf, createFileStore } from './attachments/create.js';
import { webchatFiles } from './attachments/webchat-files.js';
import { sweepUnsent } from './attachments/sweep.js';
import { runEvery } from './kit/run-every.js';
import { WebhookWorker } from './webhooks/worker.js';
import { scheduleDeliveryLogPrune } from './webhooks/prune.js';
import { QueueActions } from './queue/actions.js';
import { createAgent, type AgentRole } from './queue/agents.js';
import { scheduleCloseResolved } from './queue/close-resolved.js';
import { scheduleSnoozeWake } from './queue/snooze.js';
import { createApi } from './api/app.js';
import { sleep } from './kit/sleep.js';
import { loadWebAssets } from './api/web-assets.js';
import { SessionSignals } from './kit/signals.js';
import { Visitors } from './kit/visitors.js';
import { Invites } from './kit/invites.js';
import { publicRules } from './invitations/rules.js';
import { AgentSignals, signalVisitorChanges } from './kit/agent-signals.js';
import { customerTypingRelay } from './api/typing.js';
import { relayPresence } from '../adapters/webchat/presence-relay.js';
import { teamAvailability } from './routing/availability.js';
import { Metrics } from './ops/metrics.js';
import { Readiness } from './ops/readiness.js';
import { metricsOnlyApp } from './ops/routes.js';
import { scheduleRetention } from './privacy/retention.js';
import { scheduleBreaches } from './sla/breaches.js';
import { postgresLiveness, soleLiveness } from './store/liveness.js';
import { reclaimDeadLeases, scheduleReclaim } from './outbox/reclaim.js';
import { closeAllSseStreams } from './kit/sse.js';
import { lingerOnClose } from './kit/lingering-close.js';
import { closeServerGracefully } from './kit/close-server.js';
import { ShutdownSteps } from './kit/shutdown-steps.js';
import type { Server } from 'node:http';
import { AutoAssigner } from './routing/assigner.js';
import { Presence } from './routing/presence.js';

export interface Running {
  url: string;
  port: number;
  /** Where METRICS_PORT serves `/metrics`, when set. */
  metricsPort?: number;
  store: Store;
  /** The event fan-out (tests and benchmarks count its reads). */
  hub: EventHub;
  /** The pipeline every channel delivers into (tests feed it messages a channel would have normalized). */
  deliver(m: InboundMessage): Promise<DeliverResult>;
  /**
   * Graceful shutdown: stops accepting, ends SSE streams with a reconnect hint, lets requests
   * and outbox sends in flight finish within SHUTDOWN_TIMEOUT_MS, releases this process's
   * leases, then closes channels and the store. Every step is bounded (STEP_TIMEOUT_MS past
   * that deadline for the first ones): a stuck one is logged and left behind, so this resolves.
   */
  stop(): Promise<void>;
  /** The shutdown steps started and not finished (what a forced exit names). */
  stopping(): string[];
  createAgent(name: string, role?: AgentRole): Promise<{ id: string; token: string; tokenId: string }>;
  /** Resolves when background drafts have finished (tests, graceful shutdown). */
  draftsIdle(): Promise<void>;
  /** Resolves when no auto-assignment is running (tests). */
  assignIdle(): Promise<void>;
}

export interface Overrides {
  clock?: Clock;
  log?: Logger;
}

/** Composition root: config → store → FAQ → adapters → pipeline → outbox → API. */
export async function startSwitchboard(env: Record<string, string | undefined>, overrides: Overrides = {}): Promise<Running> {
  const config = loadConfig(env);
  const sla = slaSettingsOf(config);
  const clock = overrides.clock ?? systemClock;
  const log = overrides.log ?? createLogger(config.LOG_LEVEL);
  const faqOpts = {
    ...(config.FAQ_MIN_CONFIDENCE === undefined ? {} : { minConfidence: config.FAQ_MIN_CONFIDENCE }),
    ...(config.FAQ_MIN_SUGGEST_CONFIDENCE === undefined ? {} : { minSuggest: config.FAQ_MIN_SUGGEST_CONFIDENCE }),
  };

  // The FAQ index (calibration included) is built in a worker thread while the rest starts and the
  // server already listens: /healthz answers at once, /readyz says 503 `faq: building` until it is
  // in. Inbound messages wait for it (deliver below), so none is decided without the real index.
  const faqBuild = loadFaqInWorker(config.FAQ_DIR, faqOpts);
  faqBuild.catch(() => undefined); // awaited below; a rejection before then is not unhandled
  let matcher: FaqMatcher | undefined;
  const faq = (): FaqMatcher => {
    if (!matcher) throw new UnavailableError('faq: building (the service is starting); retry shortly');
    return matcher;
  };
  const tokens = { ttlMs: config.AGENT_TOKEN_TTL_DAYS === undefined ? undefined : config.AGENT_TOKEN_TTL_DAYS * 86_400_000 };

  const held: { leadership?: Leadership; store?: Store } = {};
  const lockOf = (channel: ChannelId) => `switchboard:inbound:${channel}`;
  let adapters: ChannelAdapter[] = [];
  const readiness = new Readiness({
    dialect: config.DATABASE_URL ? 'pg' : 'sqlite',
    store: () => held.store,
    faqReady: () => matcher !== undefined,
    adapters: () => adapters,
    leadership: () => held.leadership,
    lockOf,
  });
  // Until the API is assembled the server answers liveness and readiness only; then it hands over.
  let handle: Fetch = bootApp(readiness).fetch;
  const server = (await listen((req, env) => handle(req, env), config.PORT, config.HOST)) as Server;
  // Run in reverse order of registration at stop, each one bounded (src/kit/shutdown-steps.ts).
  const cleanups: [name: string, run: () => unknown][] = [['http server', () => closeServerGracefully(server, 0)]];
  const onStop = (name: string, run: () => unknown) => void cleanups.unshift([name, run]);
  const steps = new ShutdownSteps((msg, fields) => log.warn(msg, fields), STEP_TIMEOUT_MS);
  try {
    const store = await openStore({ databaseUrl: config.DATABASE_URL, sqliteFile: config.sqliteFile });
    onStop('store', () => store.close());
    held.store = store;
    const metrics = new Metrics(store, clock, () => held.leadership);

    const drafter = metrics.countTokens(
      createDrafter(
        { apiKey: config.ANTHROPIC_API_KEY, model: config.ANTHROPIC_MODEL, baseURL: config.ANTHROPIC_BASE_URL },
        log.child({ part: 'llm' }),
      ),
    );
    const drafts = new DraftJobs({
      store,
      clock,
      faq,
      drafter,
      log: log.child({ part: 'drafts' }),
      timeoutMs: config.DRAFT_TIMEOUT_MS,
      prices: config.LLM_PRICES,
      ...(config.LLM_MONTHLY_BUDGET === undefined ? {} : { monthlyBudget: config.LLM_MONTHLY_BUDGET }),
      maxConcurrent: config.LLM_MAX_CONCURRENT,
      breaker: { failures: config.LLM_BREAKER_FAILURES, cooldownMs: config.LLM_BREAKER_COOLDOWN_SECONDS * 1000 },
    });
    onStop('drafts', () => drafts.stop());
    const summaries = new Summaries({
      store,
      clock,
      drafting: drafts,
      log: log.child({ part: 'summaries' }),
      timeoutMs: config.DRAFT_TIMEOUT_MS,
      on: new Set(config.LLM_SUMMARY_ON),
      ...(config.ANTHROPIC_API_KEY
        ? {
            summarizer: createAnthropicSummarizer({
              apiKey: config.ANTHROPIC_API_KEY,
              model: config.ANTHROPIC_MODEL,
              baseURL: config.ANTHROPIC_BASE_URL,
            }),
          }
        : {}),
    });
    onStop('summaries', () => summaries.stop());
    const translations = new Translations({
      store,
      clock,
      drafting: drafts,
      log: log.child({ part: 'translations' }),
      timeoutMs: config.DRAFT_TIMEOUT_MS,
      ...(config.ANTHROPIC_API_KEY
        ? {
            translator: createAnthropicTranslator({
              apiKey: config.ANTHROPIC_API_KEY,
              model: config.ANTHROPIC_MODEL,
              baseURL: config.ANTHROPIC_BASE_URL,
            }),
          }
        : {}),
    });

    // One event read per batch of commits, fanned out to every open event stream.
    const hub = new EventHub(store, (err) => log.warn('event hub read failed', { err: String(err) }));
    await hub.start();
    onStop('event hub', () => hub.stop());
    // Other instances on the same PostgreSQL wake this one's hub, outbox and webhook worker, and relay their signals.
    if (config.DATABASE_URL) onStop('instance channel', await store.joinInstances(config.DATABASE_URL, log.child({ part: 'instances' })));
    const streams: StreamPolicy = {
      heartbeatMs: config.SSE_HEARTBEAT_SECONDS * 1000,
      idleMs: config.SSE_IDLE_TIMEOUT_SECONDS * 1000,
      perSession: config.SSE_MAX_STREAMS_PER_SESSION,
      perClient: config.SSE_MAX_STREAMS_PER_IP,
      limits: new StreamLimits(),
    };
    // One process on SQLite counts in memory; instances sharing a PostgreSQL share counter rows.
    const limiter: RateLimiter = config.DATABASE_URL ? new StoreRateLimiter(store, clock) : new MemoryRateLimiter(clock);
    onStop('rate limiter', () => limiter.close());
    const minute = (max: number) => ({ max, windowMs: 60_000, refusalDelayMs: config.RATE_LIMIT_DELAY_MS });

    // Files customers and agents send (DATA_DIR/attachments or ATTACHMENT_S3_BUCKET).
    const fileStore = createFileStore(config);
    const attachmentPolicy = attachmentPolicyOf(config);
    const signals = new SessionSignals();
    const visitors = new Visitors(config.WIDGET_VISITOR_RETENTION_MINUTES * 60_000);
    const invites = new Invites(config.WIDGET_VISITOR_RETENTION_MINUTES * 60_000);
    const agentSignals = new AgentSignals();
    onStop(
      'visitor signals',
      signalVisitorChanges(visitors, agentSignals, () => clock.now().getTime()),
    );
    if (config.DATABASE_URL) {
      // Typing reaches the streams held by the other instances too, and every instance holds the same visitors and invitations.
      signals.relay = (sessionId, s) => store.relaySignal({ to: 'session', sessionId, event: s.event, data: s.data });
      agentSignals.relay = (s) =>
        void store.relaySignal({ to: 'agents', event: s.event, data: s.data, ...(s.holder ? { holder: s.holder } : {}) });
      onStop(
        'presence relay',
        relayPresence({
          visitors,
          invites,
          relay: (s) => store.relaySignal(s),
          onRelayed: (l) => store.onRelayedSignal(l),
          onJoined: (l) => store.onInstancesJoined(l),
          now: () => clock.now().getTime(),
        }),
      );
      onStop(
        'relayed signals',
        store.onRelayedSignal((s) => {
          if (s.to === 'session' && typeof s.sessionId === 'string' && s.event === 'typing')
            signals.deliver(s.sessionId, { event: s.event, data: s.data });
          else if (s.to === 'agents' && s.event === 'typing')
            agentSignals.deliver({ event: s.event, data: s.data, ...(s.holder ? { holder: s.holder } : {}) });
        }),
      );
    }
    adapters = await buildChannelAdapters(env, {
      signals,
      visitors,
      customerTyping: customerTypingRelay(store, agentSignals),
      availability: teamAvailability(store, clock, sla, config.AGENT_AWAY_AFTER_SECONDS * 1000),
      offline: webchatOffline(store, clock),
      webchatFiles: webchatFiles({ store, files: fileStore, policy: attachmentPolicy, clock }),
      invitations: { rules: () => publicRules(store), invites },
      clock,
      log,
      state: {
        get: (key) => store.tx((r) => r.state.get(key)),
        set: (key, value) => store.tx((r) => r.state.set(key, value, clock.now().getTime())),
      },
      webchat: webchatStore(store, hub),
      streams,
      limiter,
      webchatPolicy: {
        sessionIdleMs: config.WEBCHAT_SESSION_IDLE_DAYS * 86_400_000,
        sessionCreate: minute(config.RATE_LIMIT_SESSION_CREATE_PER_MINUTE),
        sessionMessages: minute(config.RATE_LIMIT_SESSION_MESSAGES_PER_MINUTE),
        widget: {
          name: config.WIDGET_NAME,
          color: config.WIDGET_COLOR,
          position: config.WIDGET_POSITION,
          greeting: { en: config.WIDGET_GREETING_EN, zh: config.WIDGET_GREETING_ZH },
          prechat: config.WIDGET_PRECHAT,
          draftPreview: config.WIDGET_DRAFT_PREVIEW,
        },
        identitySecret: config.WIDGET_IDENTITY_SECRET,
        widgetOrigins: config.WIDGET_ORIGINS,
        presence: minute(config.RATE_LIMIT_PRESENCE_PER_MINUTE),
        typing: minute(config.RATE_LIMIT_TYPING_PER_MINUTE),
      },
    });
    const byChannel: Partial<Record<ChannelId, ChannelAdapter>> = Object.fromEntries(adapters.map((a) => [a.channel, a]));

    const liveness = config.DATABASE_URL ? await postgresLiveness(config.DATABASE_URL) : soleLiveness();
    onStop('liveness lock', () => liveness.close());
    const outboxLog = log.child({ part: 'outbox' });
    const copies = await emailCopies({
      store,
      clock,
      log,
      liveness,
      email: byChannel.email,
      emailFrom: env.EMAIL_FROM,
      afterMs: config.WIDGET_EMAIL_AFTER,
      shopName: config.WIDGET_NAME,
    });
    const outbox = new OutboxWorker({
      afterSent: copies?.afterSent,
      store,
      adapters: metrics.countSends(byChannel),
      clock,
      log: outboxLog,
      owner: liveness.owner,
      giveUpAfterMs: config.OUTBOX_GIVE_UP_AFTER,
      sendTimeoutMs: config.OUTBOX_SEND_TIMEOUT_MS,
      files: fileStore,
    });
    const webhookLog = log.child({ part: 'webhooks' });
    // Every instance runs one, like the outbox worker: leases keep them from sending a delivery twice.
    const webhooks = new WebhookWorker({
      store,
      clock,
      log: webhookLog,
      owner: liveness.owner,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
      giveUpAfterMs: config.WEBHOOK_GIVE_UP_AFTER,
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
      onAttempt: metrics.webhookAttempt,
    });
    const reclaim = () => reclaimDeadLeases(store, liveness, clock, outboxLog);
    const reclaimWebhooks = () => reclaimDeadLeases(store, liveness, clock, webhookLog, (r) => r.webhookDeliveries, 'webhook delivery');
    // A killed worker's replies are due again now, not when their 60 s lease runs out.
    await reclaim();
    await reclaimWebhooks();
    const stopReclaim = config.DATABASE_URL ? scheduleReclaim(reclaim, 2_000, () => outbox.kick(), outboxLog) : () => {};
    const stopReclaimWebhooks = config.DATABASE_URL ? scheduleReclaim(reclaimWebhooks, 2_000, () => webhooks.kick(), webhookLog) : () => {};
    // Only commits that added outbox rows wake it (its own commits record deliveries and add none).
    const stopKick = store.onOutbox(() => outbox.kick());
    const stopKickWebhooks = store.onWebhookDeliveries(() => webhooks.kick());
    // PostgreSQL: the slow net under the other instances' notifications (Store.checkForeignEvents).
    const stopWatching = config.DATABASE_URL
      ? runEvery(() => store.checkForeignEvents(), {
          everyMs: config.INSTANCE_POLL_SECONDS * 1000,
          onError: (err) => log.warn("looking for other instances' commits failed", { part: 'instances', err: String(err) }),
        })
      : () => {};
    const stopClosing = scheduleCloseResolved(store, clock, config.CLOSE_AFTER_HOURS * 3_600_000, log.child({ part: 'queue' }));
    // Uploads never sent go after a day (idempotent, so every instance may run it).
    const stopSweep = runEvery(() => sweepUnsent(store, fileStore, clock), {
      everyMs: 3_600_000,
      firstAfterMs: 60_000,
      onError: (err) => log.warn('sweeping unsent uploads failed', { err }),
    });
    onStop('upload sweep', stopSweep);
    onStop('schedules', () =>
      [stopReclaim, stopReclaimWebhooks, stopKick, stopKickWebhooks, stopWatching, stopClosing].forEach((f) => f()),
    );
    // Before the channels stop, since sends go through them; bounded by the shutdown deadline.
    const stopOutbox = async (deadline: number) => {
      const timeUp = new AbortController();
      const [finished, webhooksFinished] = await Promise.race([
        Promise.all([outbox.stop().then(() => true), webhooks.stop().then(() => true)]),
        sleep(Math.max(0, deadline - Date.now()), timeUp.signal).then(() => [false, false] as const),
      ]);
      timeUp.abort();
      if (finished) await store.tx((r) => r.outbox.releaseLeases([liveness.owner]));
      else log.warn('outbox sends still in flight at the shutdown deadline; their leases are reclaimed at the next start');
      if (webhooksFinished) await store.tx((r) => r.webhookDeliveries.releaseLeases([liveness.owner]));
    };

    // Auto-assignment: woken by hand-offs, agents coming online and freed slots, and a periodic sweep.
    const assignLog = log.child({ part: 'assign' });
    const awayMs = config.AGENT_AWAY_AFTER_SECONDS * 1000;
    const assigner = new AutoAssigner(store, clock, awayMs, (err) => assignLog.warn('auto-assignment failed', { err: String(err) }));
    const presence = new Presence(store, clock, awayMs, (agentId) => assigner.kickAgent(agentId));
    const sweep = setInterval(() => void assigner.kickAll().catch(() => undefined), config.ASSIGN_SWEEP_SECONDS * 1000);
    sweep.unref();
    onStop('auto-assignment', async () => {
      clearInterval(sweep);
      presence.stop();
      await assigner.idle();
    });
    const kickConversation = (conversationId: string) =>
      void store
        .read((r) => r.conversations.get(conversationId))
        .then((c) => assigner.kick(c?.team))
        .catch(() => undefined);

    const pipeline = {
      store,
      clock,
      faq,
      reopenWindowMs: config.REOPEN_WINDOW_HOURS * 3_600_000,
      defaultTeams: config.DEFAULT_TEAMS,
      sla,
      onHandoff: (conversationId: string, messageId: string) => {
        drafts.request(conversationId, messageId);
        summaries.request(conversationId, 'handoff');
        kickConversation(conversationId);
      },
      onDecided: metrics.decided,
      ai: createAiAgentDeps(
        {
          apiKey: config.ANTHROPIC_API_KEY,
          model: config.ANTHROPIC_MODEL,
          baseURL: config.ANTHROPIC_BASE_URL,
          timeoutMs: config.DRAFT_TIMEOUT_MS,
        },
        drafter,
        drafts,
        log.child({ part: 'ai-agent' }),
      ),
      files: { store: fileStore, policy: attachmentPolicy },
    };
    const api = createApi({
      store,
      clock,
      log,
      actions: new QueueActions(store, clock, {
        freed: ({ team, agentIds }) => {
          assigner.kick(team);
          for (const id of agentIds) assigner.kickAgent(id);
        },
        transferred: (conversationId) => summaries.request(conversationId, 'transfer'),
      }),
      presence,
      assigner,
      drafting: { jobs: drafts, prices: config.LLM_PRICES, model: drafter.model ?? null, summaries, translations },
      signals,
      visitors,
      invites,
      agentSignals,
      channelTyping: Object.fromEntries(adapters.flatMap((a) => (a.typing ? [[a.channel, a.typing.bind(a)]] : []))),
      attachments: { files: fileStore, policy: attachmentPolicy, limits: (channel) => byChannel[channel as ChannelId]?.attachmentLimits },
      adapterRoutes: adapters.flatMap((a) => a.routes ?? []),
      webAssets: await loadWebAssets(),
      sla,
      tokens,
      faq: { current: faq, dir: config.FAQ_DIR, engine: faqOpts, reload: (m) => (matcher = m) },
      hub,
      streams,
      ops: { metrics, readiness, metricsToken: config.METRICS_TOKEN },
      limiter,
      guard: {
        trustProxy: config.TRUST_PROXY,
        maxBodyBytes: config.MAX_BODY_KB * 1024,
        maxUrlBytes: MAX_URL_BYTES,
        perIp: minute(config.RATE_LIMIT_IP_PER_MINUTE),
        perAgent: minute(config.RATE_LIMIT_AGENT_PER_MINUTE),
        widgetOrigins: config.WIDGET_ORIGINS,
        allowPrivateWebhooks: config.WEBHOOK_ALLOW_PRIVATE,
      },
    });

    handle = api.fetch;
    const port = (server.address() as AddressInfo).port;
    const metricsServer =
      config.METRICS_PORT === undefined ? undefined : await listen(metricsOnlyApp(metrics).fetch, config.METRICS_PORT, config.HOST);
    if (metricsServer) onStop('metrics server', () => new Promise<void>((res) => metricsServer.close(() => res())));

    const leadership = config.DATABASE_URL ? postgresLeadership(config.DATABASE_URL, log.child({ part: 'leader' })) : soleLeadership();
    held.leadership = leadership;
    onStop('leadership', () => leadership.close());
    // Ingest waits for the FAQ index: a message arriving while it is built is taken in (stored and
    // decided) once the index is there, never handed off for want of it. Until then nothing is
    // stored, so a channel that gives up waiting delivers it again, and its external id keeps it single.
    const faqIn = faqBuild.then(({ matcher: built, errors }) => {
      if (errors.length || !built) throw new ValidationError(`the FAQ in ${config.FAQ_DIR} has errors:\n${errors.join('\n')}`);
      return built;
    });
    faqIn.catch(() => undefined);
    const deliver = async (m: InboundMessage) => {
      if (!matcher) await faqIn;
      return ingest(pipeline, m);
    };
    for (const adapter of adapters) {
      if (adapter.singleConsumer) {
        await leadership.hold(
          lockOf(adapter.channel),
          () => adapter.start(deliver),
          () => adapter.stop(),
        );
      } else {
        await adapter.start(deliver);
        onStop(`channel ${adapter.channel}`, () => adapter.stop());
      }
    }
    if (config.RETENTION_DAYS !== undefined) {
      const retentionMs = config.RETENTION_DAYS * 86_400_000;
      let stopRetention = () => {};
      await leadership.hold(
        'switchboard:retention',
        async () =>
          void (stopRetention = scheduleRetention(store, clock, retentionMs, log.child({ part: 'retention' }), undefined, fileStore)),
        async () => stopRetention(),
      );
    }
    // One instance wakes snoozed conversations, so each comes back with one event.
    let stopSnooze = () => {};
    await leadership.hold(
      'switchboard:snooze',
      async () => void (stopSnooze = scheduleSnoozeWake(store, clock, log.child({ part: 'snooze' }), config.SNOOZE_CHECK_SECONDS * 1000)),
      async () => stopSnooze(),
    );
    // One instance looks for breached SLA targets; the mark on the row keeps each event single anyway.
    let stopBreaches = () => {};
    await leadership.hold(
      'switchboard:sla',
      async () => void (stopBreaches = scheduleBreaches(store, clock, sla, log.child({ part: 'sla' }), config.SLA_CHECK_SECONDS * 1000)),
      async () => stopBreaches(),
    );
    let stopPruning = () => {};
    await leadership.hold(
      'switchboard:webhook-log',
      async () => void (stopPruning = scheduleDeliveryLogPrune(store, clock, config.WEBHOOK_LOG_DAYS * 86_400_000, webhookLog)),
      async () => stopPruning(),
    );
    outbox.start();
    copies?.worker.start();
    webhooks.start();
    await assigner.kickAll();
    matcher = await faqIn;
    // Watched from here: a reload finished before the first build must not be replaced by it.
    const watcher = watchFaq(config.FAQ_DIR, (m) => (matcher = m), log.child({ part: 'faq' }), faqOpts);
    onStop('faq watcher', () => watcher.close());
    readiness.markStarted();

    const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
    log.info('switchboard started', {
      url,
      database: config.DATABASE_URL ? 'postgresql' : config.sqliteFile,
      channels: adapters.map((a) => a.channel),
    });
    let stopped = false;
    return {
      url,
      port,
      ...(metricsServer ? { metricsPort: (metricsServer.address() as AddressInfo).port } : {}),
      store,
      hub,
      deliver,
      createAgent: (name, role) => createAgent(store, clock, name, role, { policy: tokens }),
      draftsIdle: async () => {
        await drafts.idle();
        await summaries.idle();
      },
      assignIdle: () => assigner.idle(),
      async stop() {
        if (stopped) return;
        stopped = true;
        readiness.markStopping();
        const deadline = Date.now() + config.SHUTDOWN_TIMEOUT_MS;
        // Sends in flight may use what is left of SHUTDOWN_TIMEOUT_MS; every other step gets STEP_TIMEOUT_MS.
        const untilDeadline = () => Math.max(STEP_TIMEOUT_MS, deadline - Date.now() + STEP_TIMEOUT_MS);
        const streams = closeAllSseStreams(2_000);
        let http: 'drained' | 'cut' | 'unfinished' = 'unfinished';
        await steps.run(
          'http requests',
          async () => (http = await closeServerGracefully(server, config.SHUTDOWN_TIMEOUT_MS)),
          untilDeadline(),
        );
        await steps.run('email copies', () => copies?.worker.stop(), untilDeadline());
        await steps.run('outbox', () => stopOutbox(deadline), untilDeadline());
        log.info('switchboard stopping', { sseStreamsClosed: streams, requests: http });
        for (const [name, run] of cleanups) await steps.run(name, run);
      },
      stopping: () => steps.unfinished(),
    };
  } catch (err) {
    for (const [name, run] of cleanups) await steps.run(name, run);
    throw err;
  }
}

/** How long one shutdown step (a worker, a lock connection, the store) may take before the next one starts without it. */
const STEP_TIMEOUT_MS = 5_000;

/** Longer URLs are refused with 414; request headers over MAX_HEADER_BYTES get Node's 431. */
const MAX_URL_BYTES = 8 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;

type Fetch = (req: Request, env?: unknown) => Response | Promise<Response>;

/** What the server answers while start-up assembles the rest: liveness, readiness, and 503 for anything else. */
function bootApp(readiness: Readiness): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => c.json(await readiness.check(), 503, { 'cache-control': 'no-store' }));
  app.all('*', () => {
    const res = errorResponse(new UnavailableError('starting; retry shortly'));
    res.headers.set('retry-after', '1');
    return res;
  });
  return app;
}

function listen(fetch: Fetch, port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname, serverOptions: { maxHeaderSize: MAX_HEADER_BYTES } }, () => resolve(server));
    server.on('connection', lingerOnClose);
    server.once('error', reject);
  });
}
