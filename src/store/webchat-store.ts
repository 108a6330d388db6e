import type { WebchatItem, WebchatStore } from '../domain/webchat.js';
import type { Store } from './store.js';
import { decodeEvent } from '../domain/events.js';

/**
 * The web chat's view of the store. The cursor is the event sequence number, so an outbound
 * message becomes visible when its delivery is recorded, and a reconnecting widget misses nothing.
 */
export function webchatStore(store: Store): WebchatStore {
  return {
    async insertSession(session) {
      await store.tx((r) => r.webchat.insert(session));
    },
    async session(sessionId) {
      return store.read((r) => r.webchat.get(sessionId));
    },
    async itemsAfter(sessionId, cursor, limit) {
      return store.read(async (r) => {
        const evs = await r.events.forThread('webchat', sessionId, ['message', 'delivery'], cursor, limit);
        const visible = evs.flatMap((e) => {
          const ev = decodeEvent(e);
          const show = (ev.type === 'message' && ev.data.direction === 'in') || (ev.type === 'delivery' && ev.data.status === 'sent');
          return show ? [{ seq: e.seq, messageId: ev.data.messageId }] : [];
        });
        const byId = new Map((await r.messages.byIds(visible.map((v) => v.messageId))).map((m) => [m.id, m]));
        const items = visible.flatMap(({ seq, messageId }) => {
          const m = byId.get(messageId);
          if (!m) return [];
          const item: WebchatItem = {
            id: m.id,
            direction: m.direction as 'in' | 'out',
            author: m.author,
            text: m.text,
            createdAt: new Date(m.createdAt).toISOString(),
          };
          const choices = m.direction === 'out' ? choicesOf(m.meta) : undefined;
          if (choices) item.choices = choices;
          return [{ seq, item }];
        });
        return { items, cursor: evs.at(-1)?.seq ?? cursor };
      });
    },
    subscribe: (listener) => store.onEvents(listener),
  };
}

/** The choices an outbound message offered, from its meta (src/outbox/enqueue.ts). */
function choicesOf(meta: string | null): WebchatItem['choices'] {
  if (!meta) return undefined;
  const choices = (JSON.parse(meta) as { choices?: unknown }).choices;
  return Array.isArray(choices) && choices.length > 0 ? (choices as NonNullable<WebchatItem['choices']>) : undefined;
}
