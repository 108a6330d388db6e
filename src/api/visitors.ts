import { Hono } from 'hono';
import type { Clock } from '../domain/clock.js';
import type { Visitor, Visitors } from '../kit/visitors.js';
import type { ApiEnv } from './auth.js';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Invites } from '../kit/invites.js';
import { cleanTextField, parseBody } from './body.js';

/** `GET /api/visitors`: who is on the shop's site now, with where they came from and their trail. */
export function visitorRoutes(d: { visitors: Visitors; clock: Clock; invites?: Invites }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/', (c) => {
    const now = d.clock.now().getTime();
    return c.json({ items: d.visitors.online(now).map((v) => visitorView(v, now)) });
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

function visitorView(v: Visitor, now: number) {
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
