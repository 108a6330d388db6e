import type { ChannelAdapter } from '../domain/channel.js';
import type { Clock } from '../domain/clock.js';
import type { WebchatOffline } from '../domain/webchat.js';
import { setVisitorEmail } from '../customers/webchat-contact.js';
import type { Logger } from '../log.js';
import type { Liveness } from '../store/liveness.js';
import type { Store } from '../store/store.js';
import { EmailCopyWorker, fromDomain, queueEmailCopy, visitorSawChat } from './email-copies.js';
import { reclaimDeadLeases } from './reclaim.js';

/** The web chat's side of offline replies: works whether or not email is configured (the address is kept either way). */
export function webchatOffline(store: Store, clock: Clock): WebchatOffline {
  return {
    seen: async (sessionId) => void (await visitorSawChat(store, clock, sessionId)),
    contact: (sessionId, email) => setVisitorEmail(store, clock, sessionId, email),
  };
}

/**
 * Email copies of web chat replies, when WIDGET_EMAIL_AFTER is not 0 and the email channel is
 * configured (said in the log otherwise). Returns the outbox's second phase and the worker, or
 * nothing when off.
 */
export async function emailCopies(o: {
  store: Store;
  clock: Clock;
  log: Logger;
  liveness: Liveness;
  email: ChannelAdapter | undefined;
  emailFrom: string | undefined;
  afterMs: number;
  shopName: string;
}): Promise<{ afterSent: ReturnType<typeof queueEmailCopy>; worker: EmailCopyWorker } | undefined> {
  if (o.afterMs === 0) return undefined;
  if (!o.email || !o.emailFrom) {
    o.log.info('web chat replies get no email copies: the email channel is not configured (IMAP_*, SMTP_*, EMAIL_FROM)');
    return undefined;
  }
  const log = o.log.child({ part: 'email-copies' });
  await reclaimDeadLeases(o.store, o.liveness, o.clock, log, (r) => r.emailCopies, 'email copy');
  const worker = new EmailCopyWorker({
    store: o.store,
    email: o.email,
    clock: o.clock,
    log,
    domain: fromDomain(o.emailFrom),
    shopName: o.shopName,
    owner: o.liveness.owner,
  });
  log.info('web chat replies not seen in the chat are copied by email', { afterMs: o.afterMs });
  return { afterSent: queueEmailCopy(o.afterMs), worker };
}
