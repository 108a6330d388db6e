import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';

/**
 * A web chat visitor gives (or changes) their email after the chat started: it becomes the
 * customer's email, where the copies of later replies go (src/outbox/email-copies.ts). What they
 * typed, not proven, as the pre-chat form's. False when the session has not written yet (no
 * customer: the email then goes with the first message).
 */
export async function setVisitorEmail(store: Store, _clock: Clock, sessionId: string, email: string): Promise<boolean> {
  return store.tx(async (r) => {
    const identity = await r.customers.findIdentity('webchat', sessionId);
    if (!identity) return false;
    const customer = await r.customers.get(identity.customerId);
    if (!customer || customer.erasedAt !== null) return false;
    if (customer.email !== email) await r.customers.update(customer.id, { email });
    return true;
  });
}
