import { NotFoundError } from '../domain/errors.js';
import { decodeLogged } from '../domain/events.js';
import type { Store } from '../store/store.js';
import type { ConversationRow, DraftRow, MessageRow } from '../store/ports.js';
import { audit } from '../audit/record.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const CONVERSATIONS_PER_READ = 20;

/**
 * Everything stored about one customer, as one JSON document written piece by piece: the
 * customer and identities first, then each conversation (its messages and internal notes with
 * their attachment references, drafts, CSAT and events) read in a transaction of its own, so
 * memory holds one conversation at a time however long the history is.
 */
export async function exportCustomer(store: Store, customerId: string, by: string, now: number): Promise<ReadableStream<Uint8Array>> {
  const head = await store.tx(async (r) => {
    const customer = await r.customers.get(customerId);
    if (!customer) throw new NotFoundError(`customer ${customerId} not found`);
    const identities = await r.customers.identitiesOf(customerId);
    await audit(r, { by, action: 'customer.export', subjectId: customerId, now });
    return {
      exportedAt: iso(now),
      customer: { ...customer, createdAt: iso(customer.createdAt), erasedAt: iso(customer.erasedAt) },
      identities: identities.map((i) => ({ ...i, createdAt: iso(i.createdAt) })),
    };
  });
  const encoder = new TextEncoder();
  let afterId: string | undefined;
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${JSON.stringify(head).slice(0, -1)},"conversations":[`));
    },
    async pull(controller) {
      if (done) return;
      const page = await store.tx((r) => r.conversations.ofCustomer(customerId, { afterId, limit: CONVERSATIONS_PER_READ }));
      if (page.length === 0) {
        done = true;
        controller.enqueue(encoder.encode(']}\n'));
        controller.close();
        return;
      }
      afterId = page.at(-1)!.id;
      const parts: string[] = [];
      for (const c of page) {
        parts.push((first ? '' : ',') + JSON.stringify(await conversationExport(store, c)));
        first = false;
      }
      controller.enqueue(encoder.encode(parts.join('')));
    },
  });
}

async function conversationExport(store: Store, c: ConversationRow) {
  return store.tx(async (r) => {
    const messages = await r.messages.list(c.id, { includeInternal: true });
    const drafts = await r.drafts.list(c.id);
    const events = [];
    let seq = 0;
    for (;;) {
      const rows = await r.events.after(seq, { conversationId: c.id, limit: 500 });
      if (rows.length === 0) break;
      seq = rows.at(-1)!.seq;
      events.push(...rows.map(decodeLogged).map((e) => ({ seq: e.seq, type: e.type, data: e.data, at: iso(e.createdAt) })));
    }
    return {
      id: c.id,
      channel: c.channel,
      status: c.status,
      subject: c.subject,
      locale: c.locale,
      assigneeId: c.assigneeId,
      csat: c.csat,
      createdAt: iso(c.createdAt),
      lastMessageAt: iso(c.lastMessageAt),
      resolvedAt: iso(c.resolvedAt),
      redactedAt: iso(c.redactedAt),
      messages: messages.map(messageExport),
      drafts: drafts.map((d: DraftRow) => ({ id: d.id, kind: d.kind, text: d.text, createdAt: iso(d.createdAt) })),
      events,
    };
  });
}

function messageExport(m: MessageRow) {
  const meta = m.meta ? (JSON.parse(m.meta) as Record<string, unknown>) : null;
  return {
    id: m.id,
    kind: m.direction === 'internal' ? 'note' : 'message',
    direction: m.direction,
    author: m.author,
    agentId: m.agentId,
    text: m.text,
    externalId: m.externalId,
    attachments: Array.isArray(meta?.attachments) ? meta.attachments : [],
    meta,
    createdAt: iso(m.createdAt),
  };
}
