import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../src/domain/clock.js';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../../src/domain/errors.js';
import { newId } from '../../src/domain/ids.js';
import type { WebchatSession, WebchatStore } from '../../src/domain/webchat.js';
import { bearer } from './http.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** Compared against when the session does not exist, so an unknown id costs the same as a wrong secret. */
const NO_SESSION_HASH = sha256(randomBytes(32).toString('base64url'));
/** A session's last use is written at most this often: one write per session per few minutes, not per request. */
const TOUCH_EVERY_MS = 5 * 60_000;
const MAX_USER_ID = 200;

/**
 * A widget session is an id plus a bearer secret handed out once; only the secret's hash is stored.
 * The session id is the conversation's thread key and the customer's identity on this channel.
 */
export class WebchatSessions {
  constructor(
    private readonly store: WebchatStore,
    private readonly clock: Clock,
    private readonly idleMs: number,
  ) {}

  async create(): Promise<{ sessionId: string; secret: string }> {
    const secret = randomBytes(32).toString('base64url');
    const now = this.clock.now().getTime();
    const sessionId = newId(now);
    await this.store.insertSession({ id: sessionId, secretHash: sha256(secret), createdAt: now, lastSeenAt: now });
    return { sessionId, secret };
  }

  /**
   * Throws unless the request carries the session's secret in `Authorization: Bearer`, or in
   * `?secret=` when `allowQuery` (EventSource cannot set headers). An unknown id, an expired
   * session and a wrong secret get the same 401, so the answer reveals no session ids.
   */
  async authorize(req: Request, sessionId: string, allowQuery = false): Promise<void> {
    const secret = bearer(req) ?? (allowQuery ? (new URL(req.url).searchParams.get('secret') ?? undefined) : undefined);
    if (!secret) throw new UnauthorizedError('missing session secret');
    const session = await this.store.session(sessionId);
    const given = Buffer.from(sha256(secret), 'hex');
    const matches = timingSafeEqual(given, Buffer.from(session?.secretHash ?? NO_SESSION_HASH, 'hex'));
    const now = this.clock.now().getTime();
    if (!session || !matches || this.expired(session, now)) throw new UnauthorizedError('unknown session or wrong secret');
    if (now - lastUse(session) > Math.min(TOUCH_EVERY_MS, this.idleMs / 4)) await this.store.touchSession(sessionId, now);
  }

  /**
   * A verified user's session: the same id and secret in every browser, both derived from the
   * user id with the identity secret, so their conversation follows them. Refused (403) unless
   * `userHash` is the hex HMAC-SHA256 of `userId` under that secret; an idle one is woken.
   */
  async verified(userId: string, userHash: string, identitySecret: string | undefined): Promise<{ sessionId: string; secret: string }> {
    if (!identitySecret) throw new ForbiddenError('identity verification is not set up on this server (WIDGET_IDENTITY_SECRET)');
    if (!userId || userId.length > MAX_USER_ID) throw new ValidationError(`userId: must be 1 to ${MAX_USER_ID} characters`, 'userId');
    const expected = createHmac('sha256', identitySecret).update(userId).digest();
    const given = /^[0-9a-f]{64}$/i.test(userHash) ? Buffer.from(userHash, 'hex') : Buffer.alloc(32);
    if (!timingSafeEqual(given, expected) || !/^[0-9a-f]{64}$/i.test(userHash))
      throw new ForbiddenError('userHash does not match userId: the visitor stays anonymous');
    const derive = (label: string) => createHmac('sha256', identitySecret).update(`${label}\0${userId}`).digest('base64url');
    const sessionId = 'u' + derive('switchboard-widget-session').slice(0, 26);
    const secret = derive('switchboard-widget-secret');
    const now = this.clock.now().getTime();
    const existing = await this.store.session(sessionId);
    if (!existing) await this.store.insertSession({ id: sessionId, secretHash: sha256(secret), createdAt: now, lastSeenAt: now });
    else await this.store.touchSession(sessionId, now);
    return { sessionId, secret };
  }

  private expired(session: WebchatSession, now: number): boolean {
    return now - lastUse(session) > this.idleMs;
  }
}

function lastUse(s: WebchatSession): number {
  return s.lastSeenAt ?? s.createdAt;
}
