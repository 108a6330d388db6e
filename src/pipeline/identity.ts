import { newId } from '../domain/ids.js';
import type { InboundMessage } from '../domain/channel.js';
import type { Repos } from '../store/store.js';
import type { CustomerRow, IdentityRow } from '../store/ports.js';

/** Who wrote: their channel identity and, when it was read or written here, their customer. */
export interface Sender {
  identity: IdentityRow;
  customer: CustomerRow | undefined;
}

/**
 * The sender's channel identity, created with its customer on first contact. Only a new sender
 * takes the identity lock (held to the end of the transaction), so that concurrent first messages
 * from them, on other threads, do not create two customers; an identity, once there, stays.
 */
export async function upsertIdentity(r: Repos, m: InboundMessage, now: number, knownCustomerId?: string): Promise<Sender> {
  const found = await r.customers.findSender(m.channel, m.sender.channelUserId);
  if (found) return found;
  await r.lock(`identity:${m.channel}:${m.sender.channelUserId}`);
  const raced = await r.customers.findSender(m.channel, m.sender.channelUserId);
  if (raced) return raced;
  // knownCustomerId: a web chat visitor answering an email copy (webchat-email-join.ts) is that visitor's customer.
  const linked = knownCustomerId ?? (m.channel === 'webchat' && m.sender.email ? await emailCustomer(r, m.sender.email) : undefined);
  const customerId = linked ?? newId(now);
  const customer: CustomerRow | undefined = linked
    ? undefined
    : {
        id: customerId,
        displayName: m.sender.displayName ?? m.sender.username ?? null,
        email: m.sender.email ?? null,
        locale: m.sender.locale ?? null,
        createdAt: now,
        erasedAt: null,
        tier: 'standard',
        notes: null,
        mergedInto: null,
      };
  if (customer) await r.customers.insert(customer);
  const identity: IdentityRow = {
    id: newId(now),
    customerId,
    channel: m.channel,
    channelUserId: m.sender.channelUserId,
    displayName: m.sender.displayName ?? null,
    username: m.sender.username ?? null,
    createdAt: now,
  };
  await r.customers.insertIdentity(identity);
  return { identity, customer };
}

/**
 * The customer who already writes from this address by email, so a visitor who gives it in the
 * web chat's pre-chat form is one customer with one history for the agents (followed through
 * merges; an erased customer is not brought back).
 */
async function emailCustomer(r: Repos, email: string): Promise<string | undefined> {
  const identity = (await r.customers.findIdentity('email', email)) ?? (await r.customers.findIdentity('email', email.toLowerCase()));
  let customer = identity ? await r.customers.get(identity.customerId) : undefined;
  for (let hops = 0; customer?.mergedInto && hops < 10; hops++) customer = await r.customers.get(customer.mergedInto);
  return customer && !customer.mergedInto && customer.erasedAt === null ? customer.id : undefined;
}
