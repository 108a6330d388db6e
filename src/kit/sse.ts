/**
 * Server-Sent Events over a cursor. Each event's `id` is its sequence number, so a client that
 * reconnects with `Last-Event-ID` receives exactly what it missed. The stream wakes when
 * `subscribe` signals a change and also every `pollMs` (other instances' writes, keep-alive).
 */

export interface SseEvent {
  id: number;
  event: string;
  data: unknown;
}

export interface SsePage {
  events: SseEvent[];
  /** Where the next read starts; may be past the last event (events this client does not see). */
  cursor: number;
}

export interface SseSource {
  read(cursor: number): Promise<SsePage>;
  subscribe(listener: () => void): () => void;
}

/** Every stream open in this process, so a shutdown can end them with a reconnect hint. */
const openStreams = new Set<(retryMs: number) => void>();

/**
 * Ends every open stream of this process after telling its client to reconnect in `retryMs`
 * (to another instance behind the proxy, or to this one once restarted); `Last-Event-ID`
 * makes the reconnect lossless. Returns how many streams were closed.
 */
export function closeAllSseStreams(retryMs: number): number {
  const all = [...openStreams];
  for (const end of all) end(retryMs);
  return all.length;
}

export function sseResponse(source: SseSource, startCursor: number, signal: AbortSignal, pollMs = 15_000): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let cursor = startCursor;
      let busy = false;
      let again = false;
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      const close = () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed by the client
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
            const page = await source.read(cursor);
            for (const e of page.events) send(`id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
            if (page.cursor !== cursor) {
              cursor = page.cursor;
              // Moves the client's Last-Event-ID past events it does not see.
              send(`id: ${cursor}\n: cursor\n\n`);
              again = true;
            }
          } while (again && !signal.aborted);
        } catch {
          close();
        } finally {
          busy = false;
        }
      };
      const endForShutdown = (retryMs: number) => {
        try {
          send(`retry: ${retryMs}\n\n`);
        } catch {
          // already closed by the client
        }
        close();
      };
      openStreams.add(endForShutdown);
      const unsubscribe = source.subscribe(() => void pump());
      const timer = setInterval(() => {
        send(': ping\n\n');
        void pump();
      }, pollMs);
      cleanup = () => {
        openStreams.delete(endForShutdown);
        unsubscribe();
        clearInterval(timer);
      };
      signal.addEventListener('abort', close, { once: true });
      send('retry: 2000\n\n');
      void pump();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
  });
}

/** A cursor from `Last-Event-ID` or `?after=`; undefined when malformed. */
export function parseCursor(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return 0;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
