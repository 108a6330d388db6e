/**
 * GET /api/faq/entries/:id[?locale=xx] (any agent): one FAQ entry as the bot knows it, every
 * language it is written in — what a draft's citation chip opens. 404 for an id the knowledge
 * base does not hold.
 */
import { Hono } from 'hono';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { FaqMatcher } from '../faq/matcher.js';
import type { ApiEnv } from './auth.js';

/** The languages looked up besides one asked for; `entry()` falls back to any locale, so others still show. */
const LOCALES = ['en', 'zh'];

export function faqEntryRoutes(faq: () => FaqMatcher) {
  const app = new Hono<ApiEnv>();
  app.get('/entries/:id', (c) => {
    const id = c.req.param('id');
    if (!/^[a-z0-9][a-z0-9_-]{0,127}$/i.test(id)) throw new ValidationError('id: not an FAQ entry id', 'id');
    const asked = c.req.query('locale');
    if (asked !== undefined && !/^[a-z]{2,3}([-_][a-z0-9]{2,8})?$/i.test(asked))
      throw new ValidationError('locale: not a language tag', 'locale');
    const matcher = faq();
    const seen = new Map<string, { locale: string; questions: string[]; answer: string }>();
    for (const locale of [...(asked ? [asked] : []), ...LOCALES]) {
      const entry = matcher.entry(id, locale);
      if (entry && !seen.has(entry.locale))
        seen.set(entry.locale, { locale: entry.locale, questions: entry.questions, answer: entry.answer });
    }
    if (!seen.size) throw new NotFoundError(`FAQ entry ${id} not found`);
    return c.json({ id, locales: [...seen.values()] });
  });
  return app;
}
