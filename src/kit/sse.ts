/**
 * Server-Sent Events over a cursor. Each event's `id` is its sequence number, so a client that
 * reconnects with `Last-Event-ID` receives exactly what it missed: the stream first reads that gap
 * from its source (the database), then follows the live pages the source pushes (the event hub),
 * which cost nothing per idle stream. One timer for all streams sends heartbeat comments (which
 * also carry the position, so a client's Last-Event-ID moves past events it does not see) and
 * closes streams idle for too long; the client's EventSource reconnects after `retry`.
 */

export interface SseEvent {
  id: number;
  event: string;
  data: unknown;
}

export interface SsePage {
  events: SseEvent[];
  /** Sent as they come, without an id: not part of the sequence, so never replayed (typing). */
  signals?: { event: string; data: unknown }[];
  /** Where the next read starts; may be past the last event (events this client does not see). */
  cursor: number;
}

export interface SseSource {
  /** What the client missed, from the database; called until the cursor stops moving. */
  read(cursor: number): Promise<SsePage>;
  /** Live pages in sequence order; events at or before the stream's cursor are dropped. Returns the unsubscribe. */
  watch(push: (page: SsePage) => void): () => void;
  /** How far the live pages have reached: a live stream has been given everything it may see up to here. */
  position(): number;
}

export interface SseOptions {
  /** A comment is sent after this long without a write, so proxies keep the connection and dead peers are found. */
  heartbeatMs: number;
  /** A stream that delivered no event for this long is closed (the client reconnects, re-authorising). */
  idleMs: number;
  /** Called once when the stream ends, however it ends. */
  onClose?: () => void;
}

/** A slow reader with this much unsent is dropped rather than buffered without bound. */
const MAX_UNSENT_BYTES = 1 << 20;
const RETRY_MS = 2000;
const HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };

/** Where a stream's text goes: the HTTP response. `write` returns the bytes still unsent. */
export interface SseSink {
  write(text: string): number;
  end(): void;
}

/** Starts a stream on a sink; returns the function the server calls when the client goes away. */
export type SseStarter = (sink: SseSink) => () => void;

interface Ticking {
  nextBeatAt: number;
  idleUntil: number;
  beat(): void;
  expire(): void;
  /** Ends the stream after telling the client to reconnect in `retryMs` (shutdown). */
  shutdown(retryMs: number): void;
}

/** One interval for every open stream instead of one timer each. */
const ticking = new Set<Ticking>();
let ticker: ReturnType<typeof setInterval> | undefined;
function track(t: Ticking): () => void {
  ticking.add(t);
  if (!ticker) {
    ticker = setInterval(() => {
      const now = Date.now();
      for (const s of ticking) {
        if (now >= s.idleUntil) s.expire();
        else if (now >= s.nextBeatAt) s.beat();
      }
    }, 1000);
    ticker.unref();
  }
  return () => {
    ticking.delete(t);
    if (ticking.size === 0 && ticker) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };
}

/** Open streams in this process (metrics, benchmarks). */
export function openStreams(): number {
  return ticking.size;
}

/**
 * Ends every open stream of this process after telling its client to reconnect in `retryMs`
 * (to another instance behind the proxy, or to this one once restarted); `Last-Event-ID`
 * makes the reconnect lossless. Returns how many streams were closed.
 */
export function closeAllSseStreams(retryMs: number): number {
  const all = [...ticking];
  for (const s of all) s.shutdown(retryMs);
  return all.length;
}

/** The gap from the source, then its live pages, heartbeats and the idle timeout, written to `sink`. */
function runStream(source: SseSource, startCursor: number, opts: SseOptions, sink: SseSink): () => void {
  const stream = new Stream(source, startCursor, opts, sink);
  return () => stream.close();
}

/**
 * One open stream. A class rather than closures: with ten thousand idle streams open, each
 * closure (and its name, under tsx) was a measurable part of what a stream holds.
 */
class Stream implements Ticking {
  nextBeatAt: number;
  idleUntil: number;
  private cursor: number;
  /** The last id the client was told, so a heartbeat only repeats it when it moved. */
  private told: number;
  private live = false;
  private closed = false;
  private buffered: SsePage[] = [];
  private readonly unwatch: () => void;
  private readonly untrack: () => void;

  constructor(
    private readonly source: SseSource,
    startCursor: number,
    private readonly opts: SseOptions,
    private readonly sink: SseSink,
  ) {
    this.cursor = this.told = startCursor;
    const now = Date.now();
    // Spread the first heartbeats of streams opened together over the interval.
    this.nextBeatAt = now + opts.heartbeatMs * (0.5 + Math.random() / 2);
    this.idleUntil = now + opts.idleMs;
    this.unwatch = source.watch((page) => (this.live ? this.send(page) : this.buffered.push(page)));
    this.untrack = track(this);
    this.write(`retry: ${RETRY_MS}\n\n`);
    void this.catchUp();
  }

  beat(): void {
    if (this.live && this.source.position() > this.cursor) this.cursor = this.source.position();
    this.write(this.cursor > this.told ? `id: ${(this.told = this.cursor)}\n: ping\n\n` : ': ping\n\n');
  }

  expire(): void {
    this.close();
  }

  shutdown(retryMs: number): void {
    this.write(`retry: ${retryMs}\n\n`);
    this.close();
  }

  /** Ends the stream from either side: the client left (the server calls this) or the stream gives up. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unwatch();
    this.untrack();
    this.opts.onClose?.();
    try {
      this.sink.end();
    } catch {
      // the client is already gone
    }
  }

  private write(text: string): void {
    if (this.closed) return;
    try {
      if (this.sink.write(text) > MAX_UNSENT_BYTES) this.close();
      else this.nextBeatAt = Date.now() + this.opts.heartbeatMs;
    } catch {
      this.close();
    }
  }

  private send(page: SsePage): void {
    let text = '';
    for (const s of page.signals ?? []) text += `event: ${s.event}\ndata: ${JSON.stringify(s.data)}\n\n`;
    for (const e of page.events) {
      if (e.id <= this.cursor) continue;
      text += `id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
      this.cursor = this.told = e.id;
    }
    if (text) {
      this.idleUntil = Date.now() + this.opts.idleMs;
      this.write(text);
    }
    if (page.cursor > this.cursor) this.cursor = page.cursor;
  }

  /** The gap from the source until its cursor stops moving, then the pages pushed meanwhile; live from then on. */
  private async catchUp(): Promise<void> {
    try {
      for (;;) {
        const from = this.cursor;
        const page = await this.source.read(from);
        if (this.closed) return;
        this.send(page);
        if (this.cursor === from) break;
        // Moves the client's Last-Event-ID past events it does not see.
        if (this.cursor > this.told) this.write(`id: ${(this.told = this.cursor)}\n: cursor\n\n`);
      }
      for (const page of this.buffered.splice(0)) this.send(page);
      this.live = true;
    } catch {
      this.close();
    }
  }
}

const starters = new WeakMap<Response, SseStarter>();

/**
 * An event stream as a Response whose body is a web stream, which any fetch-style server can
 * send. A server that can write to its socket directly takes the stream over with `takeSse`
 * instead, which keeps about the web stream's weight per open stream out of memory.
 */
export function sseResponse(source: SseSource, startCursor: number, opts: SseOptions): Response {
  const start: SseStarter = (sink) => runStream(source, startCursor, opts, sink);
  const encoder = new TextEncoder();
  let stop: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>(
    {
      // Started on the first read only, so a response taken over by `takeSse` never runs here.
      pull(controller) {
        stop ??= start({
          write: (text) => {
            controller.enqueue(encoder.encode(text));
            return Math.max(0, -(controller.desiredSize ?? 0));
          },
          end: () => controller.close(),
        });
      },
      cancel: () => stop?.(),
    },
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
  const res = new Response(body, { headers: HEADERS });
  starters.set(res, start);
  return res;
}

/** The stream behind a response made by `sseResponse`, for a server that writes to the socket itself. */
export function takeSse(res: Response): SseStarter | undefined {
  const start = starters.get(res);
  starters.delete(res);
  return start;
}

/**
 * Open streams counted under keys (a session, an agent, a client address), each with its cap;
 * `acquire` takes a slot under every key or none.
 */
export class StreamLimits {
  private readonly open = new Map<string, number>();

  /** The release function, or undefined when one of the caps is reached. */
  acquire(slots: [key: string, max: number][]): (() => void) | undefined {
    if (slots.some(([key, max]) => (this.open.get(key) ?? 0) >= max)) return undefined;
    for (const [key] of slots) this.open.set(key, (this.open.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const [key] of slots) {
        const n = (this.open.get(key) ?? 1) - 1;
        if (n <= 0) this.open.delete(key);
        else this.open.set(key, n);
      }
    };
  }
}

/** How many streams may be open at once and how they are kept alive; one for the whole process. */
export interface StreamPolicy {
  heartbeatMs: number;
  idleMs: number;
  /** Streams of one web-chat session, or of one agent. */
  perSession: number;
  /** Streams from one client address, web chat and agents together. */
  perClient: number;
  limits: StreamLimits;
}

/** Seconds a client refused for too many streams is asked to wait. */
export const STREAMS_RETRY_AFTER_S = 10;

/** Takes a stream slot for `session` and `client` (any address when undefined), or undefined when a cap is reached. */
export function acquireStream(policy: StreamPolicy, session: string, client: string | undefined): (() => void) | undefined {
  return policy.limits.acquire([
    [`session:${session}`, policy.perSession],
    ...(client ? [[`client:${client}`, policy.perClient] as [string, number]] : []),
  ]);
}

/** A cursor from `Last-Event-ID` or `?after=`; undefined when malformed. */
export function parseCursor(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return 0;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
