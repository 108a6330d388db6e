import type { MiddlewareHandler } from 'hono';
import { ForbiddenError, UnauthorizedError } from '../domain/errors.js';
import { hashToken } from '../domain/ids.js';
import type { Store } from '../store/store.js';
import type { AgentRow } from '../store/ports.js';

export type ApiEnv = { Variables: { agent: AgentRow } };

/** Every /api route: a bearer agent token, looked up by its hash (tokens themselves are never stored). */
export function requireAgent(store: Store): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const token = header && /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    // EventSource cannot send headers, so the console's event stream may pass the token as ?token=.
    const fromQuery = c.req.path === '/api/events' ? c.req.query('token') : undefined;
    const presented = token ?? fromQuery;
    if (!presented) throw new UnauthorizedError();
    const agent = await store.tx((r) => r.agents.byTokenHash(hashToken(presented)));
    if (!agent) throw new UnauthorizedError();
    c.set('agent', agent);
    await next();
  };
}

export function requireRole(role: 'admin'): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (c.get('agent').role !== role) throw new ForbiddenError(`requires the ${role} role`);
    await next();
  };
}
