import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inArray, sql } from 'drizzle-orm';
import type { Store } from '../../../src/store/store.js';
import { conversationFacts } from '../../../src/store/sqlite/schema.js';
import { decodeEvent, type DomainEvent } from '../../../src/domain/events.js';
import { seriesReport, summaryReport, type FiguresView } from '../../../src/queue/report.js';
import type { ReportGroupBy } from '../../../src/store/ports.js';
import { generateConversations, slaBreached, type GeneratedConversation } from '../../support/report-data.js';
import { seedConversation } from '../../support/memory-store.js';
import { enqueueReply } from '../../../src/outbox/enqueue.js';
import { applyTransition } from '../../../src/lifecycle/apply.js';
import { businessMsBetween } from '../../../src/sla/business-calendar.js';
import { compilePolicy } from '../../../src/sla/policy.js';
import { DEFAULT_SLA_SETTINGS, type SlaSettings } from '../../../src/sla/settings.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const AGENTS = ['agent-ann', 'agent-bo', 'agent-cai', 'agent-dee', 'agent-eve'];
/** Business times in a calendar closed at night and at weekends, so they differ from the wall-clock ones. */
const SLA: SlaSettings = { ...DEFAULT_SLA_SETTINGS, timeZone: 'Asia/Shanghai', businessHours: 'mon-fri 09:00-18:00' };
const CALENDAR = compilePolicy(SLA).calendar;

/** One conversation's figures as this test reads them off the raw events it generated. */
interface Expected {
  channel: string;
  team: string | null;
  agent: string | null;
  openedAt: number;
  handedOffAt: number | null;
  firstResponseMs: number | null;
  firstResponseBusinessMs: number | null;
  resolvedAt: number | null;
  resolutionMs: number | null;
  resolutionBusinessMs: number | null;
  csat: number | null;
  breaches: number;
}

/** Nearest rank: the value at rank ⌈q·n⌉ of the sorted values. */
function nearestRank(values: number[], q: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1]!;
}

function expectedOf(gen: GeneratedConversation, rows: { type: string; data: string; createdAt: number }[]): Expected {
  const teamAt = (t: number) => gen.teams.filter((x) => x.at <= t).at(-1)!.team;
  let openedAt = NaN;
  let handedOffAt: number | null = null;
  let firstReply: { at: number; agent: string } | null = null;
  let firstResolve: { at: number; agent: string | null } | null = null;
  let resolvedAt: number | null = null;
  let csat: number | null = null;
  let breaches = 0;
  let assignee: string | null = null;
  let lastAssignee: string | null = null;
  for (const row of rows) {
    if (row.type === 'sla.breached') {
      breaches++;
      continue;
    }
    const e: DomainEvent = decodeEvent(row);
    if (e.type === 'status') {
      assignee = e.data.assigneeId;
      lastAssignee = e.data.assigneeId ?? lastAssignee;
      if (e.data.action === 'open') openedAt = row.createdAt;
      if (e.data.action === 'handoff') handedOffAt ??= row.createdAt;
      if (e.data.action === 'resolve') {
        resolvedAt = row.createdAt;
        firstResolve ??= { at: row.createdAt, agent: lastAssignee };
      }
      if (e.data.action === 'reopen') resolvedAt = null;
    }
    if (e.type === 'message' && e.data.author === 'agent' && e.data.direction === 'out' && !firstReply)
      firstReply = { at: row.createdAt, agent: gen.agentReplies.get(e.data.messageId)! };
    if (e.type === 'csat') csat = e.data.score;
  }
  const attributed = firstReply ?? firstResolve;
  return {
    channel: gen.channel,
    team: attributed ? teamAt(attributed.at) : gen.teams.at(-1)!.team,
    agent: attributed ? attributed.agent : assignee,
    openedAt,
    handedOffAt,
    firstResponseMs: firstReply ? firstReply.at - (handedOffAt ?? openedAt) : null,
    firstResponseBusinessMs: firstReply ? businessMsBetween(CALENDAR, handedOffAt ?? openedAt, firstReply.at) : null,
    resolvedAt,
    resolutionMs: resolvedAt === null ? null : resolvedAt - openedAt,
    resolutionBusinessMs: resolvedAt === null ? null : businessMsBetween(CALENDAR, openedAt, resolvedAt),
    csat,
    breaches,
  };
}

function figuresOf(xs: Expected[]): FiguresView {
  const share = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : null);
  const fr = xs.flatMap((x) => (x.firstResponseMs === null ? [] : [x.firstResponseMs]));
  const res = xs.flatMap((x) => (x.resolutionMs === null ? [] : [x.resolutionMs]));
  const frBusiness = xs.flatMap((x) => (x.firstResponseBusinessMs === null ? [] : [x.firstResponseBusinessMs]));
  const resBusiness = xs.flatMap((x) => (x.resolutionBusinessMs === null ? [] : [x.resolutionBusinessMs]));
  const scores = xs.flatMap((x) => (x.csat === null ? [] : [x.csat]));
  const resolved = xs.filter((x) => x.resolvedAt !== null).length;
  const bot = xs.filter((x) => x.handedOffAt === null && x.firstResponseMs === null).length;
  const s = (ms: number | null) => (ms === null ? null : ms / 1000);
  return {
    conversations: xs.length,
    botResolved: bot,
    botResolvedShare: share(bot, xs.length),
    handoffs: xs.filter((x) => x.handedOffAt !== null).length,
    resolved,
    firstResponseSeconds: { median: s(nearestRank(fr, 0.5)), p90: s(nearestRank(fr, 0.9)), count: fr.length },
    resolutionSeconds: { median: s(nearestRank(res, 0.5)), p90: s(nearestRank(res, 0.9)), count: res.length },
    firstResponseBusinessSeconds: { median: s(nearestRank(frBusiness, 0.5)), p90: s(nearestRank(frBusiness, 0.9)) },
    resolutionBusinessSeconds: { median: s(nearestRank(resBusiness, 0.5)), p90: s(nearestRank(resBusiness, 0.9)) },
    slaBreaches: xs.reduce((a, x) => a + x.breaches, 0),
    csat: {
      average: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 1000) / 1000 : null,
      responses: scores.length,
      responseRate: share(scores.length, resolved),
    },
  };
}

const keyOf: Record<ReportGroupBy, (x: Expected) => string | null> = {
  channel: (x) => x.channel,
  team: (x) => x.team,
  agent: (x) => x.agent,
};

export function reportsContract(current: () => Store) {
  describe('reports over conversation facts', () => {
    // A month of its own, far from every other test's times, starting at a Shanghai midnight.
    const start = Date.UTC(2100, 0, 1) + Math.floor(Math.random() * 20_000) * DAY - 8 * HOUR;
    const window = { from: start, to: start + 30 * DAY };
    let generated: GeneratedConversation[] = [];
    let expected: Expected[] = [];

    beforeAll(async () => {
      generated = await generateConversations(current(), { start, days: 30, count: 160, seed: 7, agents: AGENTS });
      expected = await Promise.all(
        generated.map(async (g) => expectedOf(g, await current().tx((r) => r.events.after(0, { conversationId: g.id, limit: 1000 })))),
      );
    }, 120_000);

    it('generated a month with every kind of conversation', () => {
      const total = figuresOf(expected);
      expect(total.botResolved).toBeGreaterThan(10);
      expect(total.handoffs).toBeGreaterThan(10);
      expect(total.resolved).toBeGreaterThan(10);
      expect(total.csat.responses).toBeGreaterThan(5);
      expect(total.slaBreaches).toBeGreaterThan(0);
      // Nights and weekends are closed: business times are shorter than wall-clock ones.
      expect(total.resolutionBusinessSeconds.p90!).toBeLessThan(total.resolutionSeconds.p90!);
      expect(new Set(expected.map((x) => x.team)).size).toBeGreaterThan(2);
    });

    it('agrees with the raw events: the window’s totals', async () => {
      const report = await summaryReport(current(), window, 'UTC', undefined, SLA);
      expect(report.total).toEqual(figuresOf(expected));
      expect(report.groups).toEqual([]);
    });

    it.each(['channel', 'team', 'agent'] as const)(
      'agrees with the raw events per %s, and the groups add up to the total',
      async (groupBy) => {
        const report = await summaryReport(current(), window, 'UTC', groupBy, SLA);
        const keys = [...new Set(expected.map(keyOf[groupBy]))];
        const byKey = new Map(report.groups.map((g) => [g.key, g]));
        expect([...byKey.keys()].sort()).toEqual(keys.sort());
        for (const key of keys) {
          const { key: _, ...figures } = byKey.get(key)!;
          expect(figures, `${groupBy} ${key}`).toEqual(figuresOf(expected.filter((x) => keyOf[groupBy](x) === key)));
        }
        const sum = (f: (g: FiguresView) => number) => report.groups.reduce((a, g) => a + f(g), 0);
        expect(sum((g) => g.conversations)).toBe(report.total.conversations);
        expect(sum((g) => g.handoffs)).toBe(report.total.handoffs);
        expect(sum((g) => g.botResolved)).toBe(report.total.botResolved);
        expect(sum((g) => g.resolved)).toBe(report.total.resolved);
        expect(sum((g) => g.slaBreaches)).toBe(report.total.slaBreaches);
        expect(sum((g) => g.csat.responses)).toBe(report.total.csat.responses);
        expect(sum((g) => g.firstResponseSeconds.count)).toBe(report.total.firstResponseSeconds.count);
      },
    );

    it('a narrower window counts only the conversations opened in it', async () => {
      const w = { from: start + 10 * DAY, to: start + 12 * DAY };
      const report = await summaryReport(current(), w, 'UTC', 'team', SLA);
      expect(report.total).toEqual(figuresOf(expected.filter((x) => x.openedAt >= w.from && x.openedAt < w.to)));
    });

    it('cuts a day series at the time zone’s midnights, each bucket agreeing with the raw events', async () => {
      const bucketOf = (x: Expected) => Math.floor((x.openedAt - start) / DAY); // Shanghai has no DST
      const days = Array.from({ length: 30 }, (_, i) => expected.filter((x) => bucketOf(x) === i));
      const count = await seriesReport(current(), window, 'Asia/Shanghai', 'conversations', 'day');
      expect(count.points).toHaveLength(30);
      expect(count.points[0]!.start).toBe(new Date(start).toISOString());
      expect(count.points.map((p) => p.value)).toEqual(days.map((d) => d.length));
      const medians = await seriesReport(current(), window, 'Asia/Shanghai', 'first_response_median', 'day');
      expect(medians.points.map((p) => p.value)).toEqual(days.map((d) => figuresOf(d).firstResponseSeconds.median));
      for (const [metric, of] of [
        ['handoffs', (f: FiguresView) => f.handoffs],
        ['bot_resolved', (f: FiguresView) => f.botResolved],
        ['sla_breaches', (f: FiguresView) => f.slaBreaches],
        ['csat_average', (f: FiguresView) => f.csat.average],
        ['resolution_median', (f: FiguresView) => f.resolutionSeconds.median],
      ] as const) {
        const series = await seriesReport(current(), window, 'Asia/Shanghai', metric, 'day');
        expect(
          series.points.map((p) => p.value),
          metric,
        ).toEqual(days.map((d) => of(figuresOf(d))));
      }
      // In UTC the same month's buckets start 8 hours later: the first is clipped to the window.
      const utc = await seriesReport(current(), window, 'UTC', 'conversations', 'day');
      expect(utc.points).toHaveLength(31);
      expect(utc.points.reduce((a, p) => a + p.value!, 0)).toBe(expected.length);
    });

    it('never counts a bot reply as a first response', async () => {
      const t = start + 31 * DAY;
      const id = await current().tx(async (r) => {
        let c = await seedConversation(r, t);
        await enqueueReply(r, { conversation: c, author: 'bot', text: 'From the FAQ', now: t + 1000 });
        c = await applyTransition(r, c, { type: 'handoff' }, { by: 'customer', now: t + 5000 });
        await enqueueReply(r, { conversation: c, author: 'bot', text: 'Someone will be with you', now: t + 6000 });
        c = await applyTransition(r, c, { type: 'claim', agentId: 'agent-ann' }, { by: 'agent-ann', now: t + 60_000 });
        await enqueueReply(r, { conversation: c, author: 'agent', agentId: 'agent-ann', text: 'Hi', now: t + 125_000 });
        return c.id;
      });
      const report = await summaryReport(current(), { from: t, to: t + DAY }, 'UTC', 'agent', SLA);
      expect(report.total.firstResponseSeconds).toEqual({ median: 120, p90: 120, count: 1 });
      expect(report.total.botResolved).toBe(0);
      expect(report.groups.map((g) => g.key)).toEqual(['agent-ann']);
      expect(id).toBeTruthy();
    });

    it('counts sla.breached events by their type name', async () => {
      const t = start + 32 * DAY;
      await current().tx(async (r) => {
        const c = await seedConversation(r, t, [{ type: 'handoff' }]);
        await r.events.append(c.id, slaBreached(), t + 10);
        await r.events.append(c.id, slaBreached(), t + 20);
      });
      expect((await summaryReport(current(), { from: t, to: t + DAY }, 'UTC', undefined, SLA)).total.slaBreaches).toBe(2);
    });

    it('the backfill migration rebuilds the same facts from the events', async () => {
      const ids = generated.map((g) => g.id);
      const read = () =>
        current().database.read(
          async (db) => await db.select().from(conversationFacts).where(inArray(conversationFacts.conversationId, ids)),
        );
      const before = new Map((await read()).map((f) => [f.conversationId, f]));
      expect(before.size).toBe(ids.length);
      const dir = join(import.meta.dirname, '..', '..', '..', 'drizzle', current().database.dialect);
      const file = readdirSync(dir).find((f) => f.endsWith('_facts_backfill.sql'))!;
      const backfill = readFileSync(join(dir, file), 'utf8');
      await current().database.transaction(async (db) => {
        await db.delete(conversationFacts).where(inArray(conversationFacts.conversationId, ids));
        await db.run(sql.raw(backfill));
      });
      const after = await read();
      expect(after).toHaveLength(ids.length);
      for (const f of after) {
        const was = before.get(f.conversationId)!;
        const i = generated.findIndex((g) => g.id === f.conversationId);
        const gen = generated[i]!;
        const { team, agentId, attributedAt, ...rest } = f;
        const { team: t0, agentId: a0, attributedAt: _, ...restBefore } = was;
        expect(rest).toEqual(restBefore);
        // The log has no team per event: the backfill takes the current one, which is the same when it never moved.
        if (gen.teams.at(-1)!.team === expected[i]!.team) expect(team).toBe(t0);
        else expect(team).toBe(gen.teams.at(-1)!.team);
        if (new Set(gen.agentReplies.values()).size <= 1) expect(agentId).toBe(a0);
        expect(attributedAt === null).toBe(was.attributedAt === null);
      }
    });
  });
}
