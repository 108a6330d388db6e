import { Hono } from 'hono';
import type { Clock } from '../domain/clock.js';
import type { Visitor, Visitors } from '../kit/visitors.js';
import type { ApiEnv } from './auth.js';

/** `GET /api/visitors`: who is on the shop's site now, with where they came from and their trail. */
export function visitorRoutes(d: { visitors: Visitors; clock: Clock }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/', (c) => {
    const now = d.clock.now().getTime();
    return c.json({ items: d.visitors.online(now).map((v) => visitorView(v, now)) });
  });
  return app;
}

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
