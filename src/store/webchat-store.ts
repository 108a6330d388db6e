import type { WebchatItem, WebchatStore } from '../domain/webchat.js';
import type { DomainEvent } from '../domain/events.js';
import type { EventHub } from './event-hub.js';
import type { MessageRow } from './ports.js';
import type { Store } from './store.js';
import { decodeEvent } from '../domain/events.js';

/**
 * The web chat's view of the store. The cursor is the event sequence number, so an outbound
 * message becomes visible when its delivery is recorded, and a reconnecting widget misses nothing.
 * Live items come from the event hub, which reads once per batch for every open widget.
 */
export function webchatStore(store: Store, hub: EventHub): WebchatStore {
  return {
    async insertSession(session) {
      await store.tx((r) => r.webchat.insert(session));
    },
    async session(sessionId) {
      return store.read((r) => r.webchat.get(sessionId));
    },
    async touchSession(sessionId, at) {
      await store.tx((r) => r.webchat.touch(sessionId, at));
    },
    async itemsAfter(sessionId, cursor, limit) {
      return store.read(async (r) => {
        const evs = await r.events.forThread('webchat', sessionId, ['message', 'delivery'], cursor, limit);
        const visible = evs.flatMap((e) => {
          const ev = decodeEvent(e);
          const messageId = customerSees(ev);
          return messageId ? [{ seq: e.seq, messageId }] : [];
        });
        const byId = new Map((await r.messages.byIds(visible.map((v) => v.messageId))).map((m) => [m.id, m]));
        const items = visible.flatMap(({ seq, messageId }) => {
          const m = byId.get(messageId);
          return m ? [{ seq, item: webchatItem(m) }] : [];
        });
        return { items, cursor: evs.at(-1)?.seq ?? cursor };
      });
    },
    watch(sessionId, push) {
      return hub.watchThread('webchat', sessionId, (events, through) => {
        const items = events.flatMap((e) =>
          e.message && customerSees(e.event) ? [{ seq: e.event.seq, item: webchatItem(e.message) }] : [],
        );
        push({ items, cursor: through });
      });
    },
    position: () => hub.position,
  };
}

/** The message an event shows the customer: what they wrote, and a reply once it was delivered. */
function customerSees(ev: DomainEvent): string | undefined {
  if (ev.type === 'message' && ev.data.direction === 'in') return ev.data.messageId;
  if (ev.type === 'delivery' && ev.data.status === 'sent') return ev.data.messageId;
  return undefined;
}

function webchatItem(m: MessageRow): WebchatItem {
  const item: WebchatItem = {
    id: m.id,
    direction: m.direction as 'in' | 'out',
    author: m.author,
    text: m.text,
    createdAt: new Date(m.createdAt).toISOString(),
  };
  const choices = m.direction === 'out' ? choicesOf(m.meta) : undefined;
  if (choices) item.choices = choices;
  const files = filesOf(m.meta);
  if (files) item.attachments = files;
  return item;
}

/** The stored files of a message (those kept: they have an id), fetched by the widget with its session. */
function filesOf(meta: string | null): WebchatItem['attachments'] {
  if (!meta) return undefined;
  const list = (JSON.parse(meta) as { attachments?: { id?: string; name: string; mime: string; size: number }[] }).attachments;
  const kept = Array.isArray(list) ? list.filter((a) => typeof a.id === 'string') : [];
  return kept.length ? kept.map((a) => ({ id: a.id!, name: a.name, mime: a.mime, size: a.size })) : undefined;
}

/** The choices an outbound message offered, from its meta (src/outbox/enqueue.ts). */
function choicesOf(meta: string | null): WebchatItem['choices'] {
  if (!meta) return undefined;
  const choices = (JSON.parse(meta) as { choices?: unknown }).choices;
  return Array.isArray(choices) && choices.length > 0 ? (choices as NonNullable<WebchatItem['choices']>) : undefined;
}
