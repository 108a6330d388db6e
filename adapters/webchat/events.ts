import type { WebchatItemsPage, WebchatStore } from '../../src/domain/webchat.js';
import { jsonResponse, errorBody } from '../../src/kit/http-errors.js';
import type { SessionSignals } from '../../src/kit/signals.js';
import { acquireStream, sseResponse, STREAMS_RETRY_AFTER_S, type SsePage, type SseSource, type StreamPolicy } from '../../src/kit/sse.js';

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
  signals?: SessionSignals,
): Response {
  const release = acquireStream(policy, `webchat:${sessionId}`, client);
  if (!release) {
    return jsonResponse(429, errorBody('too_many_streams', 'too many open event streams for this session or address'), {
      'retry-after': String(STREAMS_RETRY_AFTER_S),
    });
  }
  return sseResponse(new SessionSource(store, sessionId, signals), cursor, {
    heartbeatMs: policy.heartbeatMs,
    idleMs: policy.idleMs,
    onClose: release,
  });
}

const toPage = (page: WebchatItemsPage): SsePage => ({
  events: page.items.map(({ seq, item }) => ({ id: seq, event: 'message', data: item })),
  cursor: page.cursor,
});

/** One session's items as a stream's source (a class: an idle stream keeps no closures of its own here). */
class SessionSource implements SseSource {
  constructor(
    private readonly store: WebchatStore,
    private readonly sessionId: string,
    private readonly signals?: SessionSignals,
  ) {}
  async read(from: number): Promise<SsePage> {
    return toPage(await this.store.itemsAfter(this.sessionId, from, 200));
  }
  watch(push: (page: SsePage) => void): () => void {
    const unwatch = this.store.watch(this.sessionId, (page) => push(toPage(page)));
    const unsignal = this.signals?.subscribe(this.sessionId, (s) => push({ events: [], cursor: 0, signals: [s] }));
    return () => {
      unwatch();
      unsignal?.();
    };
  }
  position(): number {
    return this.store.position();
  }
}
