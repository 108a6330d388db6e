/**
 * Reports over a year of data: 100,000 conversations with about 1,000,000 messages (a realistic
 * mix of channels, teams and agents, hand-offs, transfers, resolutions and ratings) written into
 * a temporary SQLite database as the service stores them — conversations, messages, their events
 * and the per-conversation facts the event writer keeps — in bulk, then:
 * - the summary, the summary grouped by team and by agent, and two day series, through the same
 *   functions the endpoints call, on the real store;
 * - the grouped summary over HTTP (`GET /api/reports/summary?groupBy=team`) on the running app;
 * each beside a ceiling measured in the same run: the same rows read by raw better-sqlite3
 * (a `count(*)` and sums over the window, and the window's first-response values sorted).
 * Prints min / median / max of each. Not part of `npm test`.
 *
 *   npm run bench:reports [-- --conversations 100000 --rounds 5]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';
import BetterSqlite3 from 'better-sqlite3';
import { openStore } from '../src/store/store.js';
import { startSwitchboard } from '../src/main.js';
import { createLogger } from '../src/log.js';
import { untilReady } from './until-ready.js';
import { seriesReport, summaryReport } from '../src/queue/report.js';
import { seededRandom } from '../src/faq/seeded-random.js';
import { DEFAULT_SLA_SETTINGS, type SlaSettings } from '../src/sla/settings.js';
import { tempDir, SAMPLE_FAQ } from '../test/support/app.js';
import { NO_RATE_LIMITS } from './no-rate-limits.js';

/** Business times are measured in a calendar closed at night and at weekends, the costlier case. */
const BUSINESS_ENV = { BUSINESS_HOURS: 'mon-fri 09:00-18:00', BUSINESS_TIMEZONE: 'Asia/Shanghai' };
const SLA: SlaSettings = { ...DEFAULT_SLA_SETTINGS, businessHours: BUSINESS_ENV.BUSINESS_HOURS, timeZone: BUSINESS_ENV.BUSINESS_TIMEZONE };

const { values: args } = parseArgs({
  options: {
    conversations: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '5' },
  },
});
const CONVERSATIONS = Number(args.conversations);
const ROUNDS = Math.max(3, Number(args.rounds));
const DAY = 86_400_000;
const MINUTE = 60_000;
const YEAR_START = Date.parse('2025-12-01T00:00:00Z');
const WINDOW = { from: YEAR_START, to: YEAR_START + 365 * DAY };

const CHANNELS: [string, number][] = [
  ['webchat', 0.45],
  ['email', 0.25],
  ['telegram', 0.2],
  ['discord', 0.1],
];
const TEAMS = ['billing', 'tech', 'sales', 'returns', 'vip'];
const AGENTS = Array.from({ length: 40 }, (_, i) => `agent-${String(i).padStart(2, '0')}`);

function generate(file: string): { messages: number; events: number } {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  // Each conversation row is written after its messages, once its final state is known; every reference holds by the end.
  db.pragma('foreign_keys = OFF');
  const random = seededRandom(2026);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const channelOf = () => {
    let x = random();
    for (const [c, w] of CHANNELS) if ((x -= w) < 0) return c;
    return 'webchat';
  };
  const ins = {
    customer: db.prepare(
      `insert into customers (id, display_name, email, locale, created_at, erased_at, tier) values (?, 'Customer', null, 'en', ?, null, 'standard')`,
    ),
    conversation: db.prepare(
      `insert into conversations (id, customer_id, channel, thread_key, status, assignee_id, last_assignee_id, team, priority, locale, subject, waiting_since, last_message_at, resolved_at, csat, created_at, updated_at, redacted_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, 'normal', 'en', null, null, ?, ?, ?, ?, ?, null)`,
    ),
    message: db.prepare(
      `insert into messages (id, conversation_id, channel, external_id, direction, author, agent_id, text, meta, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, null, ?)`,
    ),
    event: db.prepare(`insert into events (conversation_id, type, data, created_at) values (?, ?, ?, ?)`),
    facts: db.prepare(
      `insert into conversation_facts (conversation_id, channel, team, agent_id, attributed_at, opened_at, handed_off_at, first_response_at, first_response_ms, resolved_at, resolution_ms, csat_score, sla_breaches)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
    ),
  };
  let messages = 0;
  let events = 0;
  const write = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `con-${String(i).padStart(7, '0')}`;
      const channel = channelOf();
      const opened = YEAR_START + Math.floor(random() * 365 * 24 * 60) * MINUTE;
      let now = opened;
      const step = (max: number) => (now += (1 + Math.floor(random() * max)) * 1000);
      ins.customer.run(`cus-${i}`, opened);
      const status = (s: string, action: string, assignee: string | null) => {
        ins.event.run(id, 'status', JSON.stringify({ status: s, assigneeId: assignee, action, by: 'customer' }), now);
        events++;
      };
      const say = (author: 'customer' | 'bot' | 'agent', agentId: string | null = null) => {
        const mid = `msg-${messages++}`;
        ins.message.run(
          mid,
          id,
          channel,
          author === 'customer' ? `ext-${mid}` : null,
          author === 'customer' ? 'in' : 'out',
          author,
          agentId,
          'text of the message',
          now,
        );
        ins.event.run(id, 'message', JSON.stringify({ messageId: mid, direction: author === 'customer' ? 'in' : 'out', author }), now);
        events++;
      };
      status('bot', 'open', null);
      const exchanges = 2 + Math.floor(random() * 5);
      for (let k = 0; k < exchanges; k++) {
        say('customer');
        step(5);
        say('bot');
        step(120);
      }
      let team: string | null = null;
      let agent: string | null = null;
      let handedOff: number | null = null;
      let firstAt: number | null = null;
      let resolved: number | null = null;
      let csat: number | null = null;
      let state = 'bot';
      if (random() < 0.45) {
        team = pick(TEAMS);
        handedOff = now;
        status('queued', 'handoff', null);
        state = 'queued';
        step(60);
        say('bot');
        if (random() < 0.9) {
          step(3600);
          agent = pick(AGENTS);
          status('assigned', 'claim', agent);
          state = 'assigned';
          step(1800);
          say('agent', agent);
          firstAt = now;
          const more = Math.floor(random() * 6);
          for (let k = 0; k < more; k++) {
            step(600);
            say('customer');
            step(900);
            say('agent', agent);
          }
          if (random() < 0.85) {
            step(7200);
            status('resolved', 'resolve', agent);
            state = 'resolved';
            resolved = now;
            if (random() < 0.4) {
              step(600);
              csat = 1 + Math.floor(random() * 5);
              ins.event.run(id, 'csat', JSON.stringify({ score: csat, assigneeId: agent }), now);
              status('closed', 'close', agent);
              state = 'closed';
              events++;
            }
          }
        }
      }
      ins.conversation.run(
        id,
        `cus-${i}`,
        channel,
        `thread-${i}`,
        state,
        state === 'assigned' || state === 'resolved' ? agent : null,
        agent,
        team,
        now,
        resolved,
        csat,
        opened,
        now,
      );
      ins.facts.run(
        id,
        channel,
        team,
        agent,
        firstAt ?? resolved,
        opened,
        handedOff,
        firstAt,
        firstAt === null ? null : firstAt - (handedOff ?? opened),
        resolved,
        resolved === null ? null : resolved - opened,
        csat,
      );
    }
  });
  for (let i = 0; i < CONVERSATIONS; i += 5000) write(i, Math.min(CONVERSATIONS, i + 5000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('analyze');
  db.close();
  return { messages, events };
}

async function time(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en') : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const triple = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${fmt(s[0]!)} / ${fmt(s[Math.floor((s.length - 1) / 2)]!)} / ${fmt(s.at(-1)!)}`;
};

const dir = await tempDir();
try {
  const file = `${dir.path}/switchboard.db`;
  // Migrated by the store itself, so the tables and indexes are the production ones.
  await (await openStore({ sqliteFile: file })).close();
  const t0 = performance.now();
  const { messages, events } = generate(file);
  console.log(
    `generated ${CONVERSATIONS.toLocaleString('en')} conversations, ${messages.toLocaleString('en')} messages, ${events.toLocaleString('en')} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const store = await openStore({ sqliteFile: file });
  const raw = new BetterSqlite3(file, { readonly: true });
  const rawCount = raw.prepare(
    `select count(*), count(handed_off_at), count(resolved_at), sum(sla_breaches), sum(csat_score) from conversation_facts where opened_at >= ? and opened_at < ?`,
  );
  const rawSorted = raw.prepare(
    `select first_response_ms from conversation_facts where opened_at >= ? and opened_at < ? and first_response_ms is not null order by first_response_ms`,
  );
  const app = await startSwitchboard(
    { PORT: '0', HOST: '127.0.0.1', FAQ_DIR: SAMPLE_FAQ, DATA_DIR: dir.path, ...BUSINESS_ENV, ...NO_RATE_LIMITS },
    { log: createLogger('silent') },
  );
  await untilReady(app.url);
  const admin = await app.createAgent('Bench', 'admin');
  const q = `from=${new Date(WINDOW.from).toISOString()}&to=${new Date(WINDOW.to).toISOString()}`;
  const http = async (path: string) => {
    const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${admin.token}` } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.text();
  };

  const figures: [string, () => Promise<unknown>][] = [
    ['summary, one year', () => summaryReport(store, WINDOW, 'UTC', undefined, SLA)],
    ['summary grouped by team', () => summaryReport(store, WINDOW, 'UTC', 'team', SLA)],
    ['summary grouped by agent (40 agents)', () => summaryReport(store, WINDOW, 'UTC', 'agent', SLA)],
    ['timeseries conversations, 365 days (Asia/Shanghai)', () => seriesReport(store, WINDOW, 'Asia/Shanghai', 'conversations', 'day')],
    ['timeseries first_response_median, 365 days', () => seriesReport(store, WINDOW, 'UTC', 'first_response_median', 'day')],
    ['HTTP GET /api/reports/summary?groupBy=team', () => http(`/api/reports/summary?groupBy=team&${q}`)],
    ['HTTP GET …/summary?groupBy=agent&format=csv', () => http(`/api/reports/summary?groupBy=agent&format=csv&${q}`)],
    ['HTTP GET /api/reports/timeseries?metric=resolution_median', () => http(`/api/reports/timeseries?metric=resolution_median&${q}`)],
  ];
  const ceilings: [string, () => unknown][] = [
    ['raw better-sqlite3: count(*) and sums over the window', () => rawCount.raw().get(WINDOW.from, WINDOW.to)],
    ['raw better-sqlite3: the window’s first-response values sorted', () => rawSorted.raw().all(WINDOW.from, WINDOW.to)],
  ];
  const results = new Map<string, number[]>();
  const add = (name: string, ms: number) => results.set(name, [...(results.get(name) ?? []), ms]);
  // A first, unmeasured pass warms the page cache and the prepared statements.
  for (const [, fn] of figures) await fn();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of figures) add(name, await time(fn));
    for (const [name, fn] of ceilings) add(name, await time(fn));
  }
  const total = (await summaryReport(store, WINDOW, 'UTC', undefined, SLA)).total;
  console.log(
    `window: ${total.conversations.toLocaleString('en')} conversations, ${total.handoffs.toLocaleString('en')} hand-offs, ${total.firstResponseSeconds.count.toLocaleString('en')} first responses, ${total.csat.responses.toLocaleString('en')} ratings`,
  );
  console.log(
    `${ROUNDS} rounds on ${cpus().length} × ${cpus()[0]?.model.split(' ')[0] ?? 'CPU'}, Node ${process.version}, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}\n`,
  );
  console.log('| figure | ms (min / median / max) | goal |');
  console.log('|---|---|---|');
  for (const [name] of figures) console.log(`| ${name} | ${triple(results.get(name)!)} | < 1,000 |`);
  for (const [name] of ceilings) console.log(`| ceiling — ${name} | ${triple(results.get(name)!)} | — |`);
  await app.stop();
  raw.close();
  await store.close();
} finally {
  await dir.rm();
}
