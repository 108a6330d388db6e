import { afterEach, beforeEach } from 'vitest';
import { openStore, type Repos, type Store } from '../../src/store/store.js';
import type { ConversationEvent } from '../../src/domain/conversation.js';
import { CUSTOMER, decodeLogged, type LoggedEvent } from '../../src/domain/events.js';
import { newId } from '../../src/domain/ids.js';
import { applyTransition, openConversation } from '../../src/lifecycle/apply.js';
import type { ConversationRow } from '../../src/store/ports.js';

/** A real SQLite store in memory, migrated like production. */
export function memoryStore(): Promise<Store> {
  return openStore({ sqliteFile: ':memory:' });
}

/** A fresh in-memory store for each test of the enclosing describe; `tx` runs in the current one. */
export function useMemoryStore(): Pick<Store, 'tx'> {
  let store: Store | undefined;
  beforeEach(async () => {
    store = await memoryStore();
  });
  afterEach(() => store?.close());
  return {
    tx: (fn) => {
      if (!store) throw new Error('useMemoryStore: call tx inside a test');
      return store.tx(fn);
    },
  };
}

/**
 * A web-chat customer and a conversation opened for them, then driven through `events` by the
 * lifecycle writer (the same path production takes), each at `now`.
 */
export async function seedConversation(r: Repos, now: number, events: ConversationEvent[] = []): Promise<ConversationRow> {
  const customerId = newId(now);
  const threadKey = newId(now);
  await r.customers.insert({
    id: customerId,
    displayName: 'Cai',
    email: null,
    locale: null,
    createdAt: now,
    erasedAt: null,
    tier: 'standard',
    notes: null,
    mergedInto: null,
  });
  await r.customers.insertIdentity({
    id: newId(now),
    customerId,
    channel: 'webchat',
    channelUserId: threadKey,
    displayName: null,
    username: null,
    createdAt: now,
  });
  let c = await openConversation(
    r,
    {
      id: newId(now),
      customerId,
      channel: 'webchat',
      threadKey,
      team: null,
      priority: 'normal',
      locale: 'en',
      subject: null,
      lastMessageAt: now,
    },
    { by: CUSTOMER, now },
  );
  for (const e of events) c = await applyTransition(r, c, e, { by: 'agent-1', now });
  return c;
}

/** The conversation's events, decoded, in order. */
export async function eventsOf(r: Repos, conversationId: string): Promise<LoggedEvent[]> {
  return (await r.events.after(0, { conversationId, limit: 1000 })).map(decodeLogged);
}
