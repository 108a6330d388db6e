import { decodeLogged, type LoggedEvent } from '../domain/events.js';
import type { ConversationRef, MessageRow, Repos } from './ports.js';
import type { Store } from './store.js';

/** One event as the hub hands it out: decoded, with its conversation as it is now. */
export interface HubEvent {
  event: LoggedEvent;
  conversation: ConversationRef | null;
  /** The message a `message` or `delivery` event is about; read only for threads someone watches. */
  message?: MessageRow;
}

/** Receives, in sequence order, the events of one batch that it may be interested in; `through` is the hub's position after it. */
export type HubListener = (events: HubEvent[], through: number) => void;

const PAGE = 500;

/**
 * The event fan-out: one database read per batch of changes (the events after the last one it
 * saw, with their conversations), handed out in memory to the streams that watch a thread (a
 * web-chat session) or everything (agents, who filter by what they may see). Without it every
 * open stream ran its own read on every commit, so idle streams of one customer slowed everyone.
 *
 * It wakes on this instance's commits (`Store.onEvents`) and, on PostgreSQL, on the other
 * instances' (`Store.joinInstances`: LISTEN/NOTIFY, with `Store.checkForeignEvents` as a slow net). A stream
 * that starts behind the hub (a reconnect with `Last-Event-ID`) reads its gap from the database
 * itself and then follows the hub; see src/kit/sse.ts.
 */
export class EventHub {
  private seq = 0;
  private readonly threads = new Map<string, Set<HubListener>>();
  private readonly everything = new Set<HubListener>();
  private running: Promise<void> | undefined;
  private again = false;
  private unsubscribe: (() => void) | undefined;
  /** Batches read so far (one database transaction each); benchmarks and tests look at it. */
  reads = 0;

  constructor(
    private readonly store: Store,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Starts at the newest event: streams that want older ones read them from the database. */
  async start(): Promise<void> {
    this.seq = await this.store.read((r) => r.events.maxSeq());
    this.unsubscribe = this.store.onEvents(() => this.wake());
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** The last event handed out: every watcher has been given everything it may see up to here. */
  get position(): number {
    return this.seq;
  }

  watchThread(channel: string, threadKey: string, listener: HubListener): () => void {
    const key = threadId(channel, threadKey);
    let set = this.threads.get(key);
    if (!set) this.threads.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.threads.get(key) === set) this.threads.delete(key);
    };
  }

  watchAll(listener: HubListener): () => void {
    this.everything.add(listener);
    return () => this.everything.delete(listener);
  }

  /**
   * Events after `seq` from the database, decoded, with the messages of those in `withMessages`
   * threads (all threads when omitted); `cursor` is where the next read starts.
   */
  async read(seq: number, limit = PAGE, withMessages?: (ref: ConversationRef) => boolean): Promise<{ events: HubEvent[]; cursor: number }> {
    // On committed data, beside the write queue: it wakes after a commit, so what that commit
    // wrote is there, and the reply a customer waits for does not queue behind other writes.
    return this.store.read((r) => readFeed(r, seq, limit, withMessages));
  }

  /** Coalesces wake-ups: one read runs at a time, and a wake during it causes exactly one more. */
  private wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.drain().catch(this.onError);
      } while (this.again && this.unsubscribe);
    })().finally(() => (this.running = undefined));
  }

  /** Resolves once the hub has read everything committed before this call (tests). */
  async settled(): Promise<void> {
    this.wake();
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const watched = (ref: ConversationRef) => this.threads.has(threadId(ref.channel, ref.threadKey));
      const page = await this.read(this.seq, PAGE, watched);
      this.reads++;
      if (page.events.length === 0) return;
      this.seq = page.cursor;
      this.dispatch(page.events);
      if (page.events.length < PAGE) return;
    }
  }

  private dispatch(events: HubEvent[]): void {
    const byThread = new Map<Set<HubListener>, HubEvent[]>();
    for (const e of events) {
      if (!e.conversation) continue;
      const set = this.threads.get(threadId(e.conversation.channel, e.conversation.threadKey));
      if (!set) continue;
      const list = byThread.get(set);
      if (list) list.push(e);
      else byThread.set(set, [e]);
    }
    const call = (listener: HubListener, list: HubEvent[]) => {
      try {
        listener(list, this.seq);
      } catch (err) {
        // One broken stream must not keep the others from their events.
        this.onError(err);
      }
    };
    for (const [set, list] of byThread) for (const l of [...set]) call(l, list);
    for (const l of [...this.everything]) call(l, events);
  }
}

const threadId = (channel: string, threadKey: string) => `${channel}\u0000${threadKey}`;

async function readFeed(
  r: Repos,
  seq: number,
  limit: number,
  withMessages: ((ref: ConversationRef) => boolean) | undefined,
): Promise<{ events: HubEvent[]; cursor: number }> {
  const rows = await r.events.feed(seq, limit);
  const events: HubEvent[] = rows.map((row) => ({ event: decodeLogged(row.event), conversation: row.conversation }));
  const wanted = events.flatMap((e) => {
    const { event, conversation } = e;
    if (!conversation || (withMessages && !withMessages(conversation))) return [];
    return event.type === 'message' || event.type === 'delivery' ? [event.data.messageId] : [];
  });
  if (wanted.length > 0) {
    const byId = new Map((await r.messages.byIds([...new Set(wanted)])).map((m) => [m.id, m]));
    for (const e of events) {
      if (e.event.type === 'message' || e.event.type === 'delivery') {
        const m = byId.get(e.event.data.messageId);
        if (m) e.message = m;
      }
    }
  }
  return { events, cursor: rows.at(-1)?.event.seq ?? seq };
}
