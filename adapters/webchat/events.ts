import type { WebchatStore } from '../../src/domain/webchat.js';
import { jsonResponse, errorBody } from '../../src/kit/http-errors.js';
import { acquireStream, sseResponse, STREAMS_RETRY_AFTER_S, type SseSource, type StreamPolicy } from '../../src/kit/sse.js';

/**
 * The session's visible items as Server-Sent Events (`event: message`), resumable from `cursor`:
 * the gap is read from the store, then the shared event hub pushes new items (no read per stream).
 * 429 when the session or the client address already has its cap of open streams.
 */
export function sessionEvents(
  store: WebchatStore,
  policy: StreamPolicy,
  sessionId: string,
  client: string | undefined,
  cursor: number,
): Response {
  const release = acquireStream(policy, `webchat:${sessionId}`, client);
  if (!release) {
    return jsonResponse(429, errorBody('too_many_streams', 'too many open event streams for this session or address'), {
      'retry-after': String(STREAMS_RETRY_AFTER_S),
    });
  }
  const toPage = (page: Awaited<ReturnType<WebchatStore['itemsAfter']>>) => ({
    events: page.items.map(({ seq, item }) => ({ id: seq, event: 'message', data: item })),
    cursor: page.cursor,
  });
  const source: SseSource = {
    read: async (from) => toPage(await store.itemsAfter(sessionId, from, 200)),
    watch: (push) => store.watch(sessionId, (page) => push(toPage(page))),
    position: () => store.position(),
  };
  return sseResponse(source, cursor, { heartbeatMs: policy.heartbeatMs, idleMs: policy.idleMs, onClose: release });
}
