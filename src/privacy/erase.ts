import { NotFoundError } from '../domain/errors.js';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/store.js';
import { audit } from '../audit/record.js';
import { dropBytes, redactConversation } from './redact.js';
import type { FileStore } from '../attachments/file-store.js';

export interface Erased {
  customerId: string;
  identities: number;
  conversations: number;
  messages: number;
}

/**
 * Erases a customer's personal data: names, email, channel handles and ids, and the text of
 * every message, note, draft and event of their conversations. The rows stay, anonymous, so
 * reports keep adding up (counts, times, status, CSAT scores). The customer is marked first; a
 * second call finishes an erasure that was interrupted, and a customer who writes again from the
 * same account becomes a new customer.
 */
export async function eraseCustomer(store: Store, clock: Clock, customerId: string, by: string, files?: FileStore): Promise<Erased> {
  const now = clock.now().getTime();
  const identities = await store.tx(async (r) => {
    const customer = await r.customers.get(customerId);
    if (!customer) throw new NotFoundError(`customer ${customerId} not found`);
    await r.customers.update(customerId, { displayName: null, email: null, erasedAt: customer.erasedAt ?? now });
    const rows = await r.customers.identitiesOf(customerId);
    for (const i of rows) {
      await r.customers.updateIdentity(i.id, { displayName: null, username: null, channelUserId: `erased:${i.id}` });
    }
    return rows.length;
  });
  let conversations = 0;
  let messages = 0;
  let afterId: string | undefined;
  for (;;) {
    const page = await store.tx((r) => r.conversations.ofCustomer(customerId, { afterId, limit: 50 }));
    if (page.length === 0) break;
    for (const c of page) {
      messages += await redactConversation(store, c.id, { erase: true, by, now, files });
      conversations++;
    }
    afterId = page.at(-1)!.id;
  }
  // Uploads never sent with a message are theirs too.
  const unsent = await store.tx((r) => r.attachments.deleteOfCustomer(customerId));
  if (files) await dropBytes(store, files, unsent);
  const result = { customerId, identities, conversations, messages };
  await store.tx((r) => audit(r, { by, action: 'customer.erase', subjectId: customerId, detail: { ...result }, now }));
  return result;
}
