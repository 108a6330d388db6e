import type { Histogram } from 'prom-client';
import { decodeLogged, type LoggedEvent } from '../domain/events.js';
import type { Store } from '../store/store.js';

const PAGE = 500;
/** A scrape reads at most this many new events; the rest wait for the next scrape. */
const MAX_PER_SCRAPE = 20_000;

/**
 * First-response times from the event log, the record reports are made from (src/queue/report.ts):
 * an agent's message in a conversation that was handed off (or reopened to the queue), with no
 * agent message since, is a first response; its time is measured from that hand-off. Read at
 * scrape time from where the last scrape stopped, so nothing on the message path changes.
 */
export class FirstResponseTail {
  private cursor: Promise<number> | undefined;

  constructor(private readonly histogram: Histogram) {}

  /** Starts at the log's current end: replies from before this process started are not counted again. */
  begin(store: Store): void {
    this.cursor = store.tx((r) => r.events.maxSeq()).catch(() => 0);
  }

  async catchUp(store: Store): Promise<void> {
    let from = await (this.cursor ?? 0);
    const until = from + MAX_PER_SCRAPE;
    try {
      while (from < until) {
        const rows = await store.tx((r) => r.events.after(from, { limit: PAGE }));
        for (const e of rows.map(decodeLogged)) {
          if (e.type === 'message' && e.data.author === 'agent' && e.data.direction === 'out' && e.conversationId)
            await this.observe(store, e.conversationId, e);
        }
        from = rows.at(-1)?.seq ?? from;
        if (rows.length < PAGE) break;
      }
    } finally {
      this.cursor = Promise.resolve(from);
    }
  }

  private async observe(store: Store, conversationId: string, reply: LoggedEvent): Promise<void> {
    const history = (await store.tx((r) => r.events.after(0, { conversationId, limit: 10_000 }))).map(decodeLogged);
    let waitingSince: number | undefined;
    for (const e of history) {
      if (e.seq >= reply.seq) break;
      if (e.type === 'status' && e.data.status === 'queued') waitingSince = e.createdAt;
      if (e.type === 'message' && e.data.author === 'agent' && e.data.direction === 'out') waitingSince = undefined;
    }
    if (waitingSince !== undefined) this.histogram.observe(Math.max(0, reply.createdAt - waitingSince) / 1000);
  }
}
