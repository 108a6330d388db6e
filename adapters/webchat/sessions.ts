import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../src/domain/clock.js';
import { NotFoundError, UnauthorizedError } from '../../src/domain/errors.js';
import { newId } from '../../src/domain/ids.js';
import type { WebchatStore } from '../../src/domain/webchat.js';
import { bearer } from './http.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * A widget session is an id plus a bearer secret handed out once; only the secret's hash is stored.
 * The session id is the conversation's thread key and the customer's identity on this channel.
 */
export class WebchatSessions {
  constructor(
    private readonly store: WebchatStore,
    private readonly clock: Clock,
  ) {}

  async create(): Promise<{ sessionId: string; secret: string }> {
    const secret = randomBytes(32).toString('base64url');
    const now = this.clock.now().getTime();
    const sessionId = newId(now);
    await this.store.insertSession({ id: sessionId, secretHash: sha256(secret), createdAt: now });
    return { sessionId, secret };
  }

  /**
   * Throws unless the request carries the session's secret in `Authorization: Bearer`, or in
   * `?secret=` when `allowQuery` (EventSource cannot set headers).
   */
  async authorize(req: Request, sessionId: string, allowQuery = false): Promise<void> {
    const secret = bearer(req) ?? (allowQuery ? (new URL(req.url).searchParams.get('secret') ?? undefined) : undefined);
    const stored = (await this.store.session(sessionId))?.secretHash;
    if (!stored) throw new NotFoundError('unknown session');
    if (!secret) throw new UnauthorizedError('missing session secret');
    const given = Buffer.from(sha256(secret), 'hex');
    if (!timingSafeEqual(given, Buffer.from(stored, 'hex'))) throw new UnauthorizedError('wrong session secret');
  }
}
