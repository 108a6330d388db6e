import { Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../domain/clock.js';
import { ValidationError } from '../domain/errors.js';
import type { FaqMatcher } from '../faq/matcher.js';
import { gapsReport } from '../faq-learning/gaps.js';
import { approveSuggestion, rejectSuggestion, suggestFromAgent, type LearningDeps } from '../faq-learning/suggestions.js';
import type { FaqSuggestionRow } from '../store/ports.js';
import type { Store } from '../store/store.js';
import { requireRole, type ApiEnv } from './auth.js';
import { cleanTextField, parseBody } from './body.js';

const text = cleanTextField;
const suggestionBody = z.object({
  conversationId: z.string().min(1),
  messageId: z.string().min(1).optional(),
  entryId: z.string().min(1).optional(),
  newEntry: z
    .object({ id: z.string().min(1).max(80).optional(), locale: z.string().min(2).max(16), question: text(1000), answer: text(16 * 1024) })
    .optional(),
});

const approveBody = z.object({
  translations: z
    .record(z.string().min(2).max(16), z.object({ question: text(1000), answer: text(16 * 1024) }))
    .refine((t) => Object.keys(t).length <= 20, 'at most 20 languages')
    .optional(),
});

const MAX_PAGE = 200;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** `locales`: the knowledge base's languages, so a new entry can say which translations it still needs. */
export function suggestionView(s: FaqSuggestionRow, locales: string[] = []) {
  return {
    id: s.id,
    conversationId: s.conversationId,
    messageId: s.messageId,
    entryId: s.entryId,
    newEntry: s.newEntry === 1,
    locale: s.locale,
    question: s.question,
    answer: s.answer,
    source: s.source,
    createdBy: s.createdBy,
    status: s.status,
    decidedBy: s.decidedBy,
    decidedAt: iso(s.decidedAt),
    createdAt: iso(s.createdAt),
    /** Languages a pending new entry needs translations for when it is approved. */
    needsTranslations: s.newEntry === 1 && s.status === 'pending' ? locales.filter((l) => l !== s.locale) : [],
  };
}

/** /api/faq: suggestions agents and customers make for the knowledge base, admins' decisions, and the gaps report. */
export function faqRoutes(d: { store: Store; clock: Clock; faq: () => FaqMatcher; learning: LearningDeps }) {
  const app = new Hono<ApiEnv>();

  app.get('/suggestions', requireRole('admin'), async (c) => {
    const limit = z.coerce.number().int().min(1).max(MAX_PAGE).default(50).safeParse(c.req.query('limit'));
    if (!limit.success) throw new ValidationError(`limit: must be a whole number from 1 to ${MAX_PAGE}`, 'limit');
    const rawCursor = c.req.query('cursor');
    const offset = rawCursor === undefined ? 0 : Number(rawCursor);
    if (!Number.isInteger(offset) || offset < 0) throw new ValidationError('cursor: must be a cursor this endpoint returned', 'cursor');
    const rows = await d.store.tx((r) => r.faqSuggestions.list({ limit: limit.data + 1, offset }));
    const locales = await d.learning.writer.locales();
    const items = rows.slice(0, limit.data).map((s) => suggestionView(s, locales));
    return c.json({ items, nextCursor: rows.length > limit.data ? String(offset + limit.data) : null });
  });

  app.post('/suggestions', async (c) => {
    const body = await parseBody(c, suggestionBody);
    return c.json(suggestionView(await suggestFromAgent(d.store, d.clock, d.faq, c.get('agent').id, body)), 201);
  });

  app.post('/suggestions/:id/approve', requireRole('admin'), async (c) => {
    // The body may be empty: only a new entry in a multi-language knowledge base needs one.
    const body = await parseBody(c, approveBody);
    return c.json(suggestionView(await approveSuggestion(d.learning, c.req.param('id'), c.get('agent').id, body.translations)));
  });
  app.post('/suggestions/:id/reject', requireRole('admin'), async (c) =>
    c.json(suggestionView(await rejectSuggestion(d.learning, c.req.param('id'), c.get('agent').id))),
  );

  app.get('/gaps', requireRole('admin'), async (c) => {
    const raw = c.req.query('since');
    const since = raw ? Date.parse(raw) : d.clock.now().getTime() - 30 * 86_400_000;
    if (Number.isNaN(since)) throw new ValidationError('since: must be an ISO date', 'since');
    return c.json(await gapsReport(d.store, since));
  });
  return app;
}
