import type { Store } from '../../../src/store/store.js';
import type { ConversationRow, CustomerRow, MessageRow, OutboxRow } from '../../../src/store/ports.js';

let counter = 0;
const run = Date.now().toString(36);

/** A fresh id; later calls sort after earlier ones, as the store's own time-ordered ids do. */
export function uid(prefix: string): string {
  return `${prefix}-${run}-${String(++counter).padStart(6, '0')}`;
}

/** Rows inserted through the repositories themselves, each unique to the calling test. */
export function fixtures(current: () => Store) {
  const tx: Store['tx'] = (fn) => current().tx(fn);

  async function customer(patch: Partial<CustomerRow> = {}): Promise<CustomerRow> {
    const row: CustomerRow = {
      id: uid('cus'),
      displayName: 'Ada',
      email: null,
      locale: 'en',
      createdAt: 1_000,
      erasedAt: null,
      tier: 'standard',
      notes: null,
      mergedInto: null,
      ...patch,
    };
    await tx((r) => r.customers.insert(row));
    return row;
  }

  async function conversation(patch: Partial<ConversationRow> = {}): Promise<ConversationRow> {
    const customerId = patch.customerId ?? (await customer()).id;
    const row: ConversationRow = {
      id: uid('con'),
      customerId,
      channel: 'webchat',
      threadKey: uid('thread'),
      status: 'bot',
      assigneeId: null,
      lastAssigneeId: null,
      team: null,
      priority: 'normal',
      locale: 'en',
      subject: null,
      waitingSince: null,
      lastMessageAt: 1_000,
      resolvedAt: null,
      csat: null,
      createdAt: 1_000,
      updatedAt: 1_000,
      redactedAt: null,
      snoozedUntil: null,
      slaStartedAt: null,
      firstRespondedAt: null,
      firstResponseBreachedAt: null,
      resolutionBreachedAt: null,
      ...patch,
    };
    await tx((r) => r.conversations.insert(row));
    return row;
  }

  async function message(c: ConversationRow, patch: Partial<MessageRow> = {}): Promise<MessageRow> {
    const row: MessageRow = {
      id: uid('msg'),
      conversationId: c.id,
      channel: c.channel,
      externalId: null,
      direction: 'in',
      author: 'customer',
      agentId: null,
      text: 'hello',
      meta: null,
      createdAt: 1_000,
      ...patch,
    };
    const inserted = await tx((r) => r.messages.insert(row));
    if (!inserted) throw new Error(`fixture message ${row.id} conflicted`);
    return row;
  }

  async function outbox(m: MessageRow, patch: Partial<OutboxRow> = {}): Promise<OutboxRow> {
    const row: OutboxRow = {
      id: uid('out'),
      messageId: m.id,
      conversationId: m.conversationId,
      channel: m.channel,
      payload: JSON.stringify({ text: m.text }),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: 1_000,
      leaseUntil: null,
      leaseOwner: null,
      lastError: null,
      externalId: null,
      createdAt: 1_000,
      sentAt: null,
      ...patch,
    };
    await tx((r) => r.outbox.insert(row));
    return row;
  }

  return { tx, customer, conversation, message, outbox };
}
