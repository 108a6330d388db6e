import type { WebchatBackend } from '../../src/domain/webchat.js';

/**
 * Server-Sent Events of a session's messages. Each event's `id` is the cursor, so a browser that
 * reconnects with `Last-Event-ID` receives exactly what it missed.
 */
export function messageStream(backend: WebchatBackend, sessionId: string, startCursor: number, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  let unsubscribe = () => {};
  let keepAlive: NodeJS.Timeout | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let cursor = startCursor;
      let busy = false;
      let again = false;
      const close = () => {
        unsubscribe();
        clearInterval(keepAlive);
        try {
          controller.close();
        } catch {
          /* already closed by the client */
        }
      };
      const pump = async () => {
        if (busy) {
          again = true;
          return;
        }
        busy = true;
        try {
          do {
            again = false;
            const page = await backend.itemsAfter(sessionId, cursor, 200);
            for (const { seq, item } of page.items) {
              controller.enqueue(encoder.encode(`id: ${seq}\nevent: message\ndata: ${JSON.stringify(item)}\n\n`));
            }
            if (page.cursor !== cursor) {
              cursor = page.cursor;
              // Advance the browser's Last-Event-ID past events the customer does not see.
              controller.enqueue(encoder.encode(`id: ${cursor}\n: cursor\n\n`));
              again = true;
            }
          } while (again && !signal.aborted);
        } catch {
          close();
        } finally {
          busy = false;
        }
      };
      controller.enqueue(encoder.encode('retry: 2000\n\n'));
      unsubscribe = backend.subscribe(() => void pump());
      // A second instance's writes arrive without a local notification: poll as well.
      keepAlive = setInterval(() => {
        controller.enqueue(encoder.encode(': ping\n\n'));
        void pump();
      }, 15_000);
      signal.addEventListener('abort', close, { once: true });
      void pump();
    },
    cancel() {
      unsubscribe();
      clearInterval(keepAlive);
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' },
  });
}
