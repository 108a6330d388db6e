import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../src/domain/clock.js';
import { UnauthorizedError } from '../../src/domain/errors.js';
import { newId } from '../../src/domain/ids.js';
import type { WebchatSession, WebchatStore } from '../../src/domain/webchat.js';
import { bearer } from './http.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** Compared against when the session does not exist, so an unknown id costs the same as a wrong secret. */
const NO_SESSION_HASH = sha256(randomBytes(32).toString('base64url'));
/** A session's last use is written at most this often: one write per session per few minutes, not per request. */
const TOUCH_EVERY_MS = 5 * 60_000;

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

  private expired(session: WebchatSession, now: number): boolean {
    return now - lastUse(session) > this.idleMs;
  }
}

function lastUse(s: WebchatSession): number {
  return s.lastSeenAt ?? s.createdAt;
}
