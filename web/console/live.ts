import type { LiveEvent } from './page.js';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface LiveOptions {
  token(): string | null;
  /** Where to start: the `eventCursor` of the first list read, so no history is replayed. */
  from: number;
  onEvent(event: LiveEvent): void;
  onState(state: LiveState): void;
  onUnauthorized(): void;
}

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 15_000;
/**
 * The server writes at least a comment every SSE_HEARTBEAT_SECONDS (15 s by default); this long
 * without a byte means the connection died without closing (a laptop lid, a NAT dropping it).
 */
const STALL_MS = 45_000;

/**
 * The one connection to GET /api/events. EventSource cannot send the Authorization header and the
 * token must not go in a URL (logs, history), so this is fetch with a streaming body and a small
 * SSE parser. It keeps the last event id and sends it as Last-Event-ID on every reconnect, so the
 * server replays the gap; ids at or below the last one handled are dropped, so a replay overlapping
 * what already arrived never shows anything twice.
 */
export function connectLive(opts: LiveOptions): { close(): void } {
  let last = opts.from;
  let closed = false;
  let controller: AbortController | null = null;
  let backoff = MIN_BACKOFF_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const dispatch = (id: number | null, type: string, data: string) => {
    if (id !== null) {
      if (id <= last) return;
      last = id;
    }
    if (!type || !data) return;
    try {
      opts.onEvent({ id: id ?? last, type, data: JSON.parse(data) as LiveEvent['data'] });
    } catch {
      // A malformed frame is skipped; the next list refresh shows its effect anyway.
    }
  };

  async function run(): Promise<void> {
    const token = opts.token();
    if (!token || closed) return;
    controller = new AbortController();
    const aborter = controller;
    let gotData = false;
    let lastByteAt = Date.now();
    const watchdog = setInterval(() => {
      if (Date.now() - lastByteAt > STALL_MS) aborter.abort();
    }, 5000);
    try {
      const res = await fetch('/api/events', {
        headers: { authorization: 'Bearer ' + token, accept: 'text/event-stream', 'last-event-id': String(last) },
        signal: controller.signal,
        cache: 'no-store',
      });
      if (res.status === 401) {
        closed = true;
        opts.onUnauthorized();
        return;
      }
      if (!res.ok || !res.body) throw new Error('events: ' + res.status);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        lastByteAt = Date.now();
        if (!gotData) {
          gotData = true;
          backoff = MIN_BACKOFF_MS;
          opts.onState('live');
        }
        buffer += value;
        let m: RegExpExecArray | null;
        while ((m = /\r?\n\r?\n/.exec(buffer))) {
          const block = buffer.slice(0, m.index);
          buffer = buffer.slice(m.index + m[0].length);
          let id: number | null = null;
          let type = '';
          const data: string[] = [];
          for (const line of block.split(/\r?\n/)) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id' && /^\d+$/.test(val)) id = Number(val);
            else if (field === 'event') type = val;
            else if (field === 'data') data.push(val);
            else if (field === 'retry' && /^\d+$/.test(val)) backoff = Math.max(MIN_BACKOFF_MS, Number(val));
          }
          dispatch(id, type, data.join('\n'));
        }
      }
    } catch {
      // A dropped connection or a refused request: the backoff below tries again.
    } finally {
      clearInterval(watchdog);
    }
    if (closed) return;
    opts.onState('reconnecting');
    // Jitter keeps a restarted server from being hit by every console in the same millisecond.
    const wait = backoff * (0.75 + Math.random() * 0.5);
    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    timer = setTimeout(() => void run(), wait);
  }

  opts.onState('connecting');
  void run();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      controller?.abort();
    },
  };
}
