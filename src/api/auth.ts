import type { MiddlewareHandler } from 'hono';
import { ForbiddenError, UnauthorizedError } from '../domain/errors.js';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';
import type { AgentRow } from '../store/ports.js';
import { authenticate } from '../access/tokens.js';

/** What authentication leaves for the handlers (and for middleware after it, e.g. limits per token). */
export type ApiEnv = { Variables: { agent: AgentRow; tokenId: string } };

/** The bearer token of a request: the Authorization header, or ?token= on the event stream. */
export function presentedToken(req: { header(name: string): string | undefined; query(name: string): string | undefined; path: string }) {
  const header = req.header('authorization');
  const token = header && /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  // EventSource cannot send headers, so the console's event stream may pass the token as ?token=.
  return token || (req.path === '/api/events' ? req.query('token') : undefined);
}

/**
 * Every /api route: a bearer agent token, looked up by its hash on every request (tokens
 * themselves are never stored), so a revoked or expired token is refused at once everywhere.
 */
export function requireAgent(store: Store, clock: Clock): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const presented = presentedToken(c.req);
    if (!presented) throw new UnauthorizedError();
    const { agent, token } = await authenticate(store, presented, clock.now().getTime());
    c.set('agent', agent);
    c.set('tokenId', token.id);
    await next();
  };
}

export function requireRole(role: 'admin'): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (c.get('agent').role !== role) throw new ForbiddenError(`requires the ${role} role`);
    await next();
  };
}

/** The agent named in the path itself, or an admin. */
export function requireSelfOrAdmin(param = 'id'): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const agent = c.get('agent');
    if (agent.role !== 'admin' && agent.id !== c.req.param(param))
      throw new ForbiddenError('only the agent itself or an admin may do this');
    await next();
  };
}
