import type { WebchatStore } from '../../src/domain/webchat.js';
import { sseResponse, type SseSource } from '../../src/kit/sse.js';

/** The session's visible items as Server-Sent Events (`event: message`), resumable from `cursor`. */
export function sessionEvents(store: WebchatStore, sessionId: string, cursor: number, signal: AbortSignal): Response {
  const source: SseSource = {
    read: async (from) => {
      const page = await store.itemsAfter(sessionId, from, 200);
      return { events: page.items.map(({ seq, item }) => ({ id: seq, event: 'message', data: item })), cursor: page.cursor };
    },
    subscribe: (listener) => store.subscribe(listener),
  };
  return sseResponse(source, cursor, signal);
}
