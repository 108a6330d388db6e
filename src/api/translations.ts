/**
 * Translation for agents (en ⇄ zh):
 *
 *   POST /api/conversations/:id/messages/:messageId/translate [{to}]  → 201 {note, from, to}
 *   POST /api/conversations/:id/messages/translated {text, preview?, translation?}
 *        preview: 200 {translation, from, to}; else 201 {message, from, to} (sent in the customer's language)
 *
 * 503 without ANTHROPIC_API_KEY; 409 when drafting is paused (budget, breaker) or the text is in
 * the target language already. Scoped like the conversation; sending needs the right to reply.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { maySeeConversation } from '../domain/visibility.js';
import { errorBody } from '../kit/http-errors.js';
import { asLanguage, type Language } from '../llm/translator.js';
import { TranslationPaused, type Translations } from '../pipeline/translations.js';
import type { QueueActions } from '../queue/actions.js';
import type { Store } from '../store/store.js';
import type { ApiEnv } from './auth.js';
import { cleanTextField, parseBody } from './body.js';
import { messageView } from './views.js';

const MAX_TEXT = 16 * 1024;
const language = z.enum(['en', 'zh']);
const translateBody = z.strictObject({ to: language.optional() });
const translatedBody = z.strictObject({
  text: cleanTextField(MAX_TEXT),
  preview: z.boolean().optional(),
  /** The previewed translation, sent as shown (no second model call, no different wording). */
  translation: cleanTextField(MAX_TEXT).optional(),
});

export function translationRoutes(d: { store: Store; actions: QueueActions; translations: Translations }) {
  const app = new Hono<ApiEnv>();

  async function visible(c: Context<ApiEnv>, id: string): Promise<void> {
    const viewer = c.get('agent');
    await d.store.read(async (r) => {
      const conv = await r.conversations.get(id);
      if (!conv) throw new NotFoundError(`conversation ${id} not found`);
      const participantIds = (await r.participants.of([id])).get(id) ?? [];
      if (!maySeeConversation(viewer, { assigneeId: conv.assigneeId, participantIds }))
        throw new ForbiddenError('this conversation is held by another agent');
    });
  }

  /** A paused drafter is a 409 that says which pause, as for drafts. */
  async function guarded<T>(c: Context<ApiEnv>, fn: () => Promise<T>): Promise<T | Response> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof TranslationPaused) return c.json({ ...errorBody('drafting_paused', err.message), paused: err.paused }, 409);
      throw err;
    }
  }

  app.post('/:id/messages/:messageId/translate', async (c) => {
    const id = c.req.param('id');
    await visible(c, id);
    const body = c.req.header('content-length') === '0' || !c.req.header('content-type') ? {} : await parseBody(c, translateBody);
    const to: Language = body.to ?? agentLanguage(c.req.header('accept-language'));
    return guarded(c, async () => {
      const note = await d.translations.translateMessage(id, c.req.param('messageId'), to);
      const meta = JSON.parse(note.meta ?? '{}') as { generated: { from: Language; to: Language } };
      return c.json({ note: messageView(note, undefined), from: meta.generated.from, to: meta.generated.to }, 201);
    });
  });

  app.post('/:id/messages/translated', async (c) => {
    const id = c.req.param('id');
    await visible(c, id);
    const body = await parseBody(c, translatedBody);
    return guarded(c, async () => {
      if (body.translation !== undefined && !body.preview) {
        const { from, to } = await d.translations.replyLanguages(id, body.text);
        const message = await d.actions.reply(c.get('agent'), id, body.translation, undefined, {
          translation: { original: body.text, from, to, model: null },
        });
        return c.json({ message: messageView(message, undefined), from, to }, 201);
      }
      const { translation, from, to } = await d.translations.forCustomer(id, body.text);
      if (body.preview) return c.json({ translation: translation.text, from, to });
      const message = await d.actions.reply(c.get('agent'), id, translation.text, undefined, {
        translation: { original: body.text, from, to, model: translation.model },
      });
      return c.json({ message: messageView(message, undefined), from, to }, 201);
    });
  });

  return app;
}

/** Without `to`: the agent's browser language if it is one of the two, else English. */
function agentLanguage(header: string | undefined): Language {
  for (const part of (header ?? '').split(',')) {
    const lang = asLanguage(part.split(';')[0]?.trim());
    if (lang) return lang;
  }
  return 'en';
}
