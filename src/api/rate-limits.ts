import type { MiddlewareHandler } from 'hono';
import type { RateLimit, RateLimiter } from '../domain/rate-limit.js';
import { enforce } from '../kit/rate-limit.js';
import type { ApiEnv } from './auth.js';
import { clientIp } from './client.js';

/** Every request counts against its client's address, before any other work is done for it (but `unmetered` paths). */
export function limitPerIp(limiter: RateLimiter, limit: RateLimit, trustProxy: number, unmetered: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    if (unmetered.has(c.req.path)) return next();
    await enforce(limiter, `ip:${clientIp(c, trustProxy)}`, limit, 'requests from this address');
    await next();
  };
}

/** After authentication: every API request counts against the agent it authenticated as. */
export function limitPerAgent(limiter: RateLimiter, limit: RateLimit): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    await enforce(limiter, `agent:${c.get('agent').id}`, limit, 'requests for this agent');
    await next();
  };
}
