import type { AdapterRoute } from '../../src/domain/channel.js';
import { ConflictError, ValidationError } from '../../src/domain/errors.js';
import { enforce } from '../../src/kit/rate-limit.js';
import type { WebchatAdapterDeps } from './adapter.js';
import { readJsonObject, route } from './http.js';
import { EMAIL, MAX_EMAIL } from './inbound.js';
import type { WebchatSessions } from './sessions.js';

/** A visitor changes their email now and then, not in a loop. */
const CONTACT_LIMIT = { max: 5, windowMs: 10 * 60_000 };
/** The chat says "seen" when replies show while it is open; a few a minute at most. */
const SEEN_LIMIT = { max: 30, windowMs: 60_000 };

/**
 * Offline replies by email: `POST …/seen` (the chat showed the replies to the visitor, so their
 * email copies are not needed) and `POST …/contact {email}` (the visitor gives or changes the
 * address the copies go to).
 */
export function offlineRoutes(sessions: WebchatSessions, deps: WebchatAdapterDeps): AdapterRoute[] {
  const offline = deps.offline;
  if (!offline) return [];
  return [
    route('POST', '/webchat/sessions/:id/seen', async (req, p) => {
      const sessionId = p.id!;
      await sessions.authorize(req, sessionId);
      await enforce(deps.limiter, `webchat-seen:${sessionId}`, SEEN_LIMIT, 'seen reports in this session');
      await offline.seen(sessionId);
      return new Response(null, { status: 204 });
    }),
    route('POST', '/webchat/sessions/:id/contact', async (req, p, info) => {
      const sessionId = p.id!;
      await sessions.authorize(req, sessionId);
      await enforce(deps.limiter, `webchat-contact:${sessionId}`, CONTACT_LIMIT, 'email changes in this session');
      await enforce(deps.limiter, `webchat-contact-ip:${info.clientIp}`, { ...CONTACT_LIMIT, max: 20 }, 'email changes from this address');
      const { email } = await readJsonObject(req, 1024);
      if (typeof email !== 'string' || email.trim().length > MAX_EMAIL || !EMAIL.test(email.trim()))
        throw new ValidationError('email: must be an email address like name@example.com', 'email');
      if (!(await offline.contact(sessionId, email.trim())))
        throw new ConflictError('this chat has no message yet: the email goes with the first message');
      return new Response(null, { status: 204 });
    }),
  ];
}
