import { Hono } from 'hono';
import type { Clock } from '../domain/clock.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import { maySeeConversation } from '../domain/visibility.js';
import { ONLINE_MS, type Visitor, type Visitors } from '../kit/visitors.js';
import type { Store } from '../store/store.js';
import type { ApiEnv } from './auth.js';
import { z } from 'zod';
import type { Invites } from '../kit/invites.js';
import { cleanTextField, parseBody } from './body.js';

/**
 * `GET /api/visitors`: who is on the shop's site now, with where they came from and their trail,
 * and the conversation of those who chatted (their chat session linked through the chat page).
 */
export function visitorRoutes(d: { visitors: Visitors; clock: Clock; store: Store; invites?: Invites }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/', async (c) => {
    const now = d.clock.now().getTime();
    const online = d.visitors.online(now);
    const sessions = online.map((v) => d.visitors.sessionOf(v.id));
    // One read for the few linked visitors; the rest never touch the database.
    const conversations = sessions.some(Boolean)
      ? await d.store.read(async (r) => {
          const ids = new Map<string, string>();
          for (const s of sessions) {
            if (!s) continue;
            const conv = await r.conversations.latestForThread('webchat', s);
            if (conv) ids.set(s, conv.id);
          }
          return ids;
        })
      : new Map<string, string>();
    return c.json({
      items: online.map((v, i) => ({ ...visitorView(v, now), conversationId: conversations.get(sessions[i] ?? '') ?? null })),
    });
  });
  // An agent invites a visitor to chat: their open widget shows it with its next heartbeat (within 30 s).
  app.post('/:id/invite', async (c) => {
    const now = d.clock.now().getTime();
    const id = c.req.param('id');
    const body = c.req.header('content-type')?.includes('json') ? await parseBody(c, inviteBody) : {};
    if (!d.invites || !d.visitors.online(now).some((v) => v.id === id)) throw new NotFoundError('this visitor is not on the site now');
    if (d.invites.hasDismissed(id, now)) throw new ConflictError('this visitor dismissed an invitation on this visit');
    d.invites.offer(id, body.text ?? null, now);
    return c.json({ invited: true }, 202);
  });
  return app;
}

const inviteBody = z.strictObject({ text: cleanTextField(300).optional() });

/**
 * `GET /api/conversations/:id/visitor`: the web chat visitor behind a conversation, their current
 * page and trail, for agents who may see the conversation; 404 when no visitor is known (another
 * channel, no widget, or forgotten after WIDGET_VISITOR_RETENTION_MINUTES).
 */
export function conversationVisitorRoutes(d: { visitors: Visitors; clock: Clock; store: Store }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/:id/visitor', async (c) => {
    const id = c.req.param('id');
    const viewer = c.get('agent');
    const conv = await d.store.read(async (r) => {
      const row = await r.conversations.get(id);
      if (!row) throw new NotFoundError(`conversation ${id} not found`);
      const participantIds = (await r.participants.of([id])).get(id) ?? [];
      if (!maySeeConversation(viewer, { assigneeId: row.assigneeId, participantIds }))
        throw new ForbiddenError('this conversation is held by another agent');
      return row;
    });
    const now = d.clock.now().getTime();
    const visitor = conv.channel === 'webchat' ? d.visitors.ofSession(conv.threadKey, now) : undefined;
    if (!visitor) throw new NotFoundError(`no visitor is known for conversation ${id}`);
    return c.json(visitorView(visitor, now));
  });
  return app;
}

export function visitorView(v: Visitor, now: number) {
  const current = v.trail.at(-1);
  return {
    id: v.id,
    page: current ? { url: current.url, title: current.title, since: new Date(current.at).toISOString() } : null,
    referrer: v.referrer || null,
    source: source(v.referrer),
    firstSeenAt: new Date(v.firstSeenAt).toISOString(),
    timeOnSiteSeconds: Math.round((now - v.firstSeenAt) / 1000),
    // From what the browser says (Accept-Language region, time zone), no IP lookup: a hint only.
    country: /^[a-z]{2,3}-([A-Z]{2})\b/.exec(v.language)?.[1] ?? null,
    timeZone: v.timeZone || null,
    language: v.language || null,
    visits: v.visits,
    online: !v.left && now - v.lastSeenAt <= ONLINE_MS,
    trail: v.trail.map((p) => ({
      url: p.url,
      title: p.title,
      at: new Date(p.at).toISOString(),
      seconds: Math.round(((p === current ? now : p.until) - p.at) / 1000),
    })),
  };
}

function source(referrer: string): string {
  if (!referrer) return 'direct';
  try {
    return new URL(referrer).hostname;
  } catch {
    return 'direct';
  }
}
