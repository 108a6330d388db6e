import { newId } from '../domain/ids.js';
import type { Clock } from '../domain/clock.js';
import type { WebchatBackend, WebchatItem } from '../domain/webchat.js';
import type { Store } from './store.js';
import { sseResponse } from '../sse.js';
import { decodeEvent } from '../domain/events.js';

/**
 * The web chat's view of the store. The cursor is the event sequence number, so an outbound
 * message becomes visible when its delivery is recorded, and a reconnecting widget misses nothing.
 */
export function webchatBackend(store: Store, clock: Clock): WebchatBackend {
  const backend: WebchatBackend = {
    async createSession(secretHash) {
      const now = clock.now().getTime();
      const id = newId(now);
      await store.tx((r) => r.webchat.insert({ id, secretHash, createdAt: now }));
      return id;
    },
    async sessionSecretHash(sessionId) {
      return (await store.tx((r) => r.webchat.get(sessionId)))?.secretHash;
    },
    async itemsAfter(sessionId, cursor, limit) {
      return store.tx(async (r) => {
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
          const item: WebchatItem = { id: m.id, direction: m.direction as 'in' | 'out', author: m.author as WebchatItem['author'], text: m.text, createdAt: new Date(m.createdAt).toISOString() };
          return [{ seq, item }];
        });
        return { items, cursor: evs.at(-1)?.seq ?? cursor };
      });
    },
    stream(sessionId, cursor, signal) {
      const source = {
        read: async (from: number) => {
          const page = await backend.itemsAfter(sessionId, from, 200);
          return { events: page.items.map(({ seq, item }) => ({ id: seq, event: 'message', data: item })), cursor: page.cursor };
        },
        subscribe: (listener: () => void) => store.onEvents(listener),
      };
      return sseResponse(source, cursor, signal);
    },
  };
  return backend;
}
