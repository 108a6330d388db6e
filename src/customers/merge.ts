import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Clock } from '../domain/clock.js';
import type { Repos, Store } from '../store/store.js';
import type { ConversationRow, CustomerRow, IdentityRow } from '../store/ports.js';
import { audit } from '../audit/record.js';

export interface Merged {
  mergeId: string;
  customerId: string;
  mergedCustomerId: string;
  identityIds: string[];
  conversationIds: string[];
}

export interface Split {
  customerId: string;
  /** The customer the identity went back to: the merge's source, restored. */
  splitCustomerId: string;
  identityId: string;
  conversationIds: string[];
}

/** Conversations moved in one merge or split; more is refused rather than held in one long transaction. */
const MAX_MOVED_CONVERSATIONS = 2000;

async function mustGet(r: Repos, id: string): Promise<CustomerRow> {
  const c = await r.customers.get(id);
  if (!c || c.mergedInto !== null) throw new NotFoundError(`customer ${id} not found`);
  return c;
}

function mustNotBeErased(c: CustomerRow): void {
  // An erased customer has no identities or text left to merge, and merging would tie the
  // anonymous rows the reports keep back to a person.
  if (c.erasedAt !== null) throw new ConflictError(`customer ${c.id} is erased`);
}

/** Locks what an inbound message of these identities would lock, so none lands on the old customer meanwhile. */
async function lockIdentities(r: Repos, identities: IdentityRow[]): Promise<void> {
  for (const key of identities.map((i) => `identity:${i.channel}:${i.channelUserId}`).sort()) await r.lock(key);
}

async function allConversations(r: Repos, customerId: string): Promise<ConversationRow[]> {
  const out: ConversationRow[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await r.conversations.ofCustomer(customerId, { afterId, limit: 200 });
    out.push(...page);
    if (out.length > MAX_MOVED_CONVERSATIONS)
      throw new ConflictError(`customer ${customerId} has more than ${MAX_MOVED_CONVERSATIONS} conversations`);
    if (page.length < 200) return out;
    afterId = page.at(-1)!.id;
  }
}

async function moveConversations(r: Repos, ids: string[], to: string, now: number): Promise<string[]> {
  const moved: string[] = [];
  for (const id of ids) {
    const c = await r.conversations.get(id, { lock: true });
    if (!c) continue;
    await r.conversations.update(id, { customerId: to, updatedAt: now });
    moved.push(id);
  }
  return moved;
}

/**
 * Moves every identity and conversation of `fromId` into `intoId`, in one transaction. The merged
 * customer's row stays, marked merged (hidden from lists and search), and each identity is
 * recorded with the conversations that came with it (those of its channel), so `splitIdentity`
 * can move them back. After it, a message from any moved identity lands on `intoId`, since
 * ingest finds the customer through the identity. The surviving customer keeps its own tier,
 * notes and name.
 */
export async function mergeCustomers(store: Store, clock: Clock, intoId: string, fromId: string, by: string): Promise<Merged> {
  if (intoId === fromId) throw new ValidationError('customerId: cannot merge a customer into itself', 'customerId');
  return store.tx(async (r) => {
    for (const id of [intoId, fromId].sort()) await r.lock(`customer:${id}`);
    const into = await mustGet(r, intoId);
    const from = await mustGet(r, fromId);
    mustNotBeErased(into);
    mustNotBeErased(from);
    const now = clock.now().getTime();
    const identities = await r.customers.identitiesOf(fromId);
    await lockIdentities(r, identities);
    const conversations = await allConversations(r, fromId);
    const mergeId = newId(now);
    const byIdentity = new Map<string | null, string[]>(identities.length ? identities.map((i) => [i.id, []]) : [[null, []]]);
    for (const c of conversations) {
      const owner = identities.find((i) => i.channel === c.channel) ?? identities[0];
      byIdentity.get(owner?.id ?? null)!.push(c.id);
    }
    for (const [identityId, conversationIds] of byIdentity) {
      await r.customers.insertMerge({
        id: newId(now),
        mergeId,
        intoId,
        fromId,
        identityId,
        conversationIds: JSON.stringify(conversationIds),
        by,
        at: now,
        splitAt: null,
      });
    }
    await r.customers.moveIdentities(
      identities.map((i) => i.id),
      intoId,
    );
    const moved = await moveConversations(
      r,
      conversations.map((c) => c.id),
      intoId,
      now,
    );
    await r.customers.update(fromId, { mergedInto: intoId });
    const result: Merged = {
      mergeId,
      customerId: intoId,
      mergedCustomerId: fromId,
      identityIds: identities.map((i) => i.id),
      conversationIds: moved,
    };
    await audit(r, {
      by,
      action: 'customer.merge',
      subjectId: intoId,
      detail: { mergeId, mergedCustomerId: fromId, identities: identities.length, conversations: moved.length },
      now,
    });
    const data = { customerId: intoId, action: 'merge' as const, otherCustomerId: fromId, by };
    await r.events.append(null, { type: 'customer', data }, now);
    for (const id of moved) await r.events.append(id, { type: 'customer', data }, now);
    return result;
  });
}

/**
 * Undoes a merge for one identity: it goes back to the customer it was merged from (restored if
 * it was hidden as merged), with the conversations recorded as having come with it that are still
 * on this customer. Conversations the identity opened after the merge stay: they were started
 * with the surviving customer. An identity that came from no merge cannot be split (409).
 */
export async function splitIdentity(store: Store, clock: Clock, customerId: string, identityId: string, by: string): Promise<Split> {
  return store.tx(async (r) => {
    const merge = await r.customers.openMergeOf(identityId);
    for (const id of [customerId, ...(merge ? [merge.fromId] : [])].sort()) await r.lock(`customer:${id}`);
    const customer = await mustGet(r, customerId);
    const identity = (await r.customers.identitiesOf(customerId)).find((i) => i.id === identityId);
    if (!identity) throw new NotFoundError(`identity ${identityId} not found on customer ${customerId}`);
    if (!merge || merge.intoId !== customerId)
      throw new ConflictError(`identity ${identityId} did not come into customer ${customerId} by a merge`);
    mustNotBeErased(customer);
    const source = await r.customers.get(merge.fromId);
    if (!source) throw new NotFoundError(`customer ${merge.fromId} not found`);
    mustNotBeErased(source);
    await lockIdentities(r, [identity]);
    const now = clock.now().getTime();
    const recorded = JSON.parse(merge.conversationIds) as string[];
    const still: string[] = [];
    for (const id of recorded) {
      const c = await r.conversations.get(id);
      if (c?.customerId === customerId) still.push(id);
    }
    if (source.mergedInto !== null) await r.customers.update(source.id, { mergedInto: null });
    await r.customers.moveIdentities([identityId], source.id);
    const moved = await moveConversations(r, still, source.id, now);
    await r.customers.markSplit(merge.id, now);
    // The survivor lost a handle: its own document is rebuilt without it.
    await r.search.indexCustomer(customerId);
    await audit(r, {
      by,
      action: 'customer.split',
      subjectId: customerId,
      detail: { mergeId: merge.mergeId, identityId, splitCustomerId: source.id, conversations: moved.length },
      now,
    });
    const data = { customerId, action: 'split' as const, otherCustomerId: source.id, by };
    await r.events.append(null, { type: 'customer', data }, now);
    for (const id of moved) await r.events.append(id, { type: 'customer', data }, now);
    return { customerId, splitCustomerId: source.id, identityId, conversationIds: moved };
  });
}
