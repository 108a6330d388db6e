import { newId } from '../domain/ids.js';
import type { Clock } from '../domain/clock.js';
import type { WebchatBackend, WebchatItem } from '../domain/webchat.js';
import type { Store } from './store.js';

/**
 * The web chat's view of the store. The cursor is the event sequence number, so an outbound
 * message becomes visible when its delivery is recorded, and a reconnecting widget misses nothing.
 */
export function webchatBackend(store: Store, clock: Clock): WebchatBackend {
  return {
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
          const data = JSON.parse(e.data) as { messageId: string; direction?: string; status?: string };
          const show = e.type === 'message' ? data.direction === 'in' : data.status === 'sent';
          return show ? [data.messageId] : [];
        });
        const byId = new Map((await r.messages.byIds(visible)).map((m) => [m.id, m]));
        const items: WebchatItem[] = visible.flatMap((id) => {
          const m = byId.get(id);
          if (!m) return [];
          return [{ id: m.id, direction: m.direction as 'in' | 'out', author: m.author as WebchatItem['author'], text: m.text, createdAt: new Date(m.createdAt).toISOString() }];
        });
        return { items, cursor: evs.at(-1)?.seq ?? cursor };
      });
    },
    subscribe: (listener) => store.onEvents(listener),
  };
}
