/**
 * GET /api/reports/llm?from&to&tz (admin): what drafting cost and whether it helped, over the
 * drafts created in the window. Costs are estimates from the price table (LLM_PRICES), never the
 * provider's invoice.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../domain/clock.js';
import { ValidationError } from '../domain/errors.js';
import { checkTimeZone, reportWindow } from '../queue/report-time.js';
import { estimateCost, priceFor, roundCost } from '../llm/pricing.js';
import type { DraftReportRow } from '../store/ports.js';
import type { Store } from '../store/store.js';
import { requireRole, type ApiEnv } from './auth.js';
import type { DraftingApi } from './drafts.js';
import { aiAgentFigures } from '../ai-agent/report.js';

const query = z.strictObject({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  tz: z.string().max(64).default('UTC'),
});
/** The costliest conversations listed; the rest are in the totals. */
const TOP_CONVERSATIONS = 50;

interface Tokens {
  drafts: number;
  failed: number;
  ungrounded: number;
  needsHumanCheck: number;
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  estimatedCost: number;
  /** Drafts whose model has no price (their cost is left out of estimatedCost). */
  unpriced: number;
}

interface Acceptance {
  /** Drafts a reply was judged against. */
  judged: number;
  asIs: number;
  edited: number;
  own: number;
  /** (as is + edited) / judged: how often the draft was the start of the reply sent. Null with nothing judged. */
  acceptanceRate: number | null;
  /** Mean normalised edit distance of the edited ones (0 identical … 1 rewritten). */
  meanEditDistance: number | null;
}

const emptyTokens = (): Tokens => ({
  drafts: 0,
  failed: 0,
  ungrounded: 0,
  needsHumanCheck: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
  estimatedCost: 0,
  unpriced: 0,
});

export function llmReportRoutes(d: { store: Store; clock: Clock; drafting: DraftingApi }) {
  const app = new Hono<ApiEnv>();
  app.use('/llm', requireRole('admin'));
  app.get('/llm', async (c) => {
    const parsed = query.safeParse(c.req.query());
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.') || 'query';
      throw new ValidationError(`${field}: ${issue.message}`, field);
    }
    const tz = checkTimeZone(parsed.data.tz);
    const w = reportWindow(parsed.data, tz, d.clock.now().getTime());
    const rows = await d.store.read((r) => r.drafts.reportRows(w.from, w.to));
    const dayOf = dayKey(tz);
    const modelOf = (row: DraftReportRow) => row.model ?? (row.kind === 'llm' ? d.drafting.model : null) ?? row.kind;

    const add = (t: Tokens, row: DraftReportRow) => {
      t.drafts++;
      if (row.status === 'failed') t.failed++;
      if (row.status === 'ready' && row.ungrounded) t.ungrounded++;
      if (row.needsCheck) t.needsHumanCheck++;
      t.inputTokens += row.inputTokens;
      t.outputTokens += row.outputTokens;
      t.cacheWriteTokens += row.cacheWriteTokens;
      t.cacheReadTokens += row.cacheReadTokens;
      if (row.kind === 'faq') return;
      const cost = estimateCost(d.drafting.prices, modelOf(row), row);
      if (cost === null) t.unpriced++;
      else t.estimatedCost = roundCost(t.estimatedCost + cost);
    };

    const total = emptyTokens();
    const byDayModel = new Map<string, Tokens & { day: string; model: string }>();
    const byConversation = new Map<string, Tokens & { conversationId: string }>();
    for (const row of rows) {
      add(total, row);
      const day = dayOf(row.createdAt);
      const model = modelOf(row);
      const k = `${day}\u0000${model}`;
      if (!byDayModel.has(k)) byDayModel.set(k, { day, model, ...emptyTokens() });
      add(byDayModel.get(k)!, row);
      if (!byConversation.has(row.conversationId))
        byConversation.set(row.conversationId, { conversationId: row.conversationId, ...emptyTokens() });
      add(byConversation.get(row.conversationId)!, row);
    }

    const judged = rows.filter((r) => r.outcome !== null);
    const accept = groupAcceptance(judged);
    const models = [...new Set(rows.filter((r) => r.kind !== 'faq').map(modelOf))];
    return c.json({
      from: new Date(w.from).toISOString(),
      to: new Date(w.to).toISOString(),
      tz,
      note: 'Costs are estimates from the LLM_PRICES table (per million tokens), not the provider’s invoice.',
      prices: Object.fromEntries(models.map((m) => [m, priceFor(d.drafting.prices, m) ?? null])),
      drafting: await d.drafting.jobs.status(),
      aiAgent: await d.store.read((r) => aiAgentFigures(r, w.from, w.to)),
      total,
      byDay: [...byDayModel.values()].sort((a, b) => a.day.localeCompare(b.day) || a.model.localeCompare(b.model)),
      byConversation: [...byConversation.values()]
        .sort((a, b) => b.estimatedCost - a.estimatedCost || b.inputTokens - a.inputTokens)
        .slice(0, TOP_CONVERSATIONS),
      acceptance: {
        total: accept(() => ['all'])[0]?.figures ?? acceptance([]),
        byDay: accept((r) => [dayOf(r.createdAt)]).map(({ key, figures }) => ({ day: key, ...figures })),
        byAgent: accept((r) => [r.outcomeAgentId ?? 'unknown']).map(({ key, figures }) => ({ agentId: key, ...figures })),
        // A draft citing several entries counts for each; one citing none counts under null.
        byEntry: accept((r) => {
          const ids = JSON.parse(r.entryIds) as string[];
          return ids.length ? ids : [''];
        }).map(({ key, figures }) => ({ entryId: key || null, ...figures })),
      },
    });
  });
  return app;
}

function groupAcceptance(rows: DraftReportRow[]) {
  return (keys: (r: DraftReportRow) => string[]) => {
    const groups = new Map<string, DraftReportRow[]>();
    for (const r of rows) for (const k of keys(r)) groups.set(k, [...(groups.get(k) ?? []), r]);
    return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, rs]) => ({ key, figures: acceptance(rs) }));
  };
}

function acceptance(rows: DraftReportRow[]): Acceptance {
  const asIs = rows.filter((r) => r.outcome === 'as_is').length;
  const editedRows = rows.filter((r) => r.outcome === 'edited');
  const own = rows.filter((r) => r.outcome === 'own').length;
  const judged = rows.length;
  return {
    judged,
    asIs,
    edited: editedRows.length,
    own,
    acceptanceRate: judged ? Math.round(((asIs + editedRows.length) / judged) * 1000) / 1000 : null,
    meanEditDistance: editedRows.length
      ? Math.round(editedRows.reduce((s, r) => s + (r.editPermille ?? 0), 0) / editedRows.length) / 1000
      : null,
  };
}

function dayKey(tz: string): (ms: number) => string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (ms) => f.format(ms);
}
