import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { ChannelAdapter, ChannelId, InboundMessage } from './domain/channel.js';
import { systemClock, type Clock } from './domain/clock.js';
import { ValidationError } from './domain/errors.js';
import { buildChannelAdapters } from './channels.js';
import { loadConfig } from './config.js';
import { createLogger, type Logger } from './log.js';
import { openStore, type Store } from './store/store.js';
import { webchatStore } from './store/webchat-store.js';
import { postgresLeadership, soleLeadership } from './store/leadership.js';
import { loadFaq } from './faq/load-faq.js';
import { watchFaq } from './faq/watch-faq.js';
import type { FaqMatcher } from './faq/matcher.js';
import { createDrafter } from './llm/create-drafter.js';
import { ingest } from './pipeline/ingest.js';
import { DraftJobs } from './pipeline/drafting.js';
import { OutboxWorker } from './outbox/worker.js';
import { QueueActions } from './queue/actions.js';
import { createAgent, type AgentRole } from './queue/agents.js';
import { scheduleCloseResolved } from './queue/close-resolved.js';
import { createApi } from './api/app.js';
import { loadWebAssets } from './api/web-assets.js';

export interface Running {
  url: string;
  port: number;
  store: Store;
  stop(): Promise<void>;
  createAgent(name: string, role?: AgentRole): Promise<{ id: string; token: string }>;
  /** Resolves when background drafts have finished (tests, graceful shutdown). */
  draftsIdle(): Promise<void>;
}

export interface Overrides {
  clock?: Clock;
  log?: Logger;
}

/** Composition root: config → store → FAQ → adapters → pipeline → outbox → API. */
export async function startSwitchboard(env: Record<string, string | undefined>, overrides: Overrides = {}): Promise<Running> {
  const config = loadConfig(env);
  const clock = overrides.clock ?? systemClock;
  const log = overrides.log ?? createLogger(config.LOG_LEVEL);
  const faqOpts = {
    ...(config.FAQ_MIN_CONFIDENCE === undefined ? {} : { minConfidence: config.FAQ_MIN_CONFIDENCE }),
    ...(config.FAQ_MIN_SUGGEST_CONFIDENCE === undefined ? {} : { minSuggest: config.FAQ_MIN_SUGGEST_CONFIDENCE }),
  };

  const loaded = await loadFaq(config.FAQ_DIR, faqOpts);
  if (loaded.errors.length) throw new ValidationError(`the FAQ in ${config.FAQ_DIR} has errors:\n${loaded.errors.join('\n')}`);
  let matcher: FaqMatcher = loaded.matcher;
  const faq = () => matcher;

  const store = await openStore({ databaseUrl: config.DATABASE_URL, sqliteFile: config.sqliteFile });
  const cleanups: (() => Promise<void> | void)[] = [() => store.close()];
  try {
    const watcher = watchFaq(config.FAQ_DIR, (m) => (matcher = m), log.child({ part: 'faq' }), faqOpts);
    cleanups.unshift(() => watcher.close());

    const drafter = createDrafter(
      { apiKey: config.ANTHROPIC_API_KEY, model: config.ANTHROPIC_MODEL, baseURL: config.ANTHROPIC_BASE_URL },
      log.child({ part: 'llm' }),
    );
    const drafts = new DraftJobs({ store, clock, faq, drafter, log: log.child({ part: 'drafts' }), timeoutMs: config.DRAFT_TIMEOUT_MS });
    cleanups.unshift(() => drafts.stop());

    const adapters: ChannelAdapter[] = buildChannelAdapters(env, {
      clock,
      log,
      state: {
        get: (key) => store.tx((r) => r.state.get(key)),
        set: (key, value) => store.tx((r) => r.state.set(key, value, clock.now().getTime())),
      },
      webchat: webchatStore(store),
    });
    const byChannel: Partial<Record<ChannelId, ChannelAdapter>> = Object.fromEntries(adapters.map((a) => [a.channel, a]));

    const outbox = new OutboxWorker({ store, adapters: byChannel, clock, log: log.child({ part: 'outbox' }) });
    // Only commits that added outbox rows wake it (its own commits record deliveries and add none).
    const stopKick = store.onOutbox(() => outbox.kick());
    const stopWatching = store.watchForeignEvents();
    const stopClosing = scheduleCloseResolved(store, clock, config.CLOSE_AFTER_HOURS * 3_600_000, log.child({ part: 'queue' }));
    cleanups.unshift(() => outbox.stop(), stopKick, stopWatching, stopClosing);

    const pipeline = {
      store,
      clock,
      faq,
      reopenWindowMs: config.REOPEN_WINDOW_HOURS * 3_600_000,
      onHandoff: (conversationId: string, messageId: string) => drafts.request(conversationId, messageId),
    };
    const api = createApi({
      store,
      clock,
      log,
      actions: new QueueActions(store, clock),
      adapterRoutes: adapters.flatMap((a) => a.routes ?? []),
      webAssets: await loadWebAssets(),
      slaFirstResponseMs: config.SLA_FIRST_RESPONSE_MINUTES * 60_000,
      faq: { current: faq, dir: config.FAQ_DIR, engine: faqOpts, reload: (m) => (matcher = m) },
    });

    const server = await listen(api.fetch, config.PORT, config.HOST);
    cleanups.unshift(() => new Promise<void>((res) => server.close(() => res())));
    if ('closeAllConnections' in server) cleanups.unshift(() => (server as { closeAllConnections(): void }).closeAllConnections());
    const port = (server.address() as AddressInfo).port;

    const leadership = config.DATABASE_URL ? postgresLeadership(config.DATABASE_URL, log.child({ part: 'leader' })) : soleLeadership();
    cleanups.unshift(() => leadership.close());
    const deliver = (m: InboundMessage) => ingest(pipeline, m);
    for (const adapter of adapters) {
      if (adapter.singleConsumer) {
        await leadership.hold(
          `switchboard:inbound:${adapter.channel}`,
          () => adapter.start(deliver),
          () => adapter.stop(),
        );
      } else {
        await adapter.start(deliver);
        cleanups.unshift(() => adapter.stop());
      }
    }
    outbox.start();

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
      store,
      createAgent: (name, role) => createAgent(store, clock, name, role),
      draftsIdle: () => drafts.idle(),
      async stop() {
        if (stopped) return;
        stopped = true;
        for (const c of cleanups) await c();
      },
    };
  } catch (err) {
    for (const c of cleanups) await Promise.resolve(c()).catch(() => undefined);
    throw err;
  }
}

function listen(fetch: (req: Request) => Response | Promise<Response>, port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server));
    server.once('error', reject);
  });
}
