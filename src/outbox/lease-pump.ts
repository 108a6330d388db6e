import type { Clock } from '../domain/clock.js';
import { CoalescedRunner } from '../kit/coalesced-runner.js';
import { sleep } from '../kit/sleep.js';

export interface LeasePumpOptions<Row> {
  clock: Clock;
  /**
   * Leases up to `room` due rows until `leaseUntil` (one transaction). Returns the rows for
   * `handle`, or those and how many were leased when the transaction already finished some.
   */
  lease(now: number, leaseUntil: number, room: number): Promise<Row[] | { rows: Row[]; leased: number }>;
  /** Sends one leased row and records the outcome; a rejection is reported to `onError` and the row's lease expires. */
  handle(row: Row): Promise<void>;
  /** When the next row becomes due (a read); undefined when none is pending. */
  nextDueAt(): Promise<number | undefined>;
  /** A failed lease read (`row` undefined) or a rejected `handle`. */
  onError(err: unknown, row?: Row): void;
  /** A send that takes longer than this is presumed dead and may be retried by another worker. */
  leaseMs: number;
  /** Sends in flight at once; a destination that hangs holds only its own rows, not the others'. */
  maxInFlight: number;
  /** Upper bound on sleeping between polls; other instances' rows are found at least this often. */
  pollMs: number;
}

/**
 * The leasing loop the outbox and webhook workers share: lease due rows, hand each to `handle`
 * without waiting for it (so one slow destination does not hold up the others), lease more as
 * sends finish, then sleep until the next row is due or the poll interval passes. Wake-ups
 * (`kick`) while a drain runs coalesce into one more drain.
 */
export class LeasePump<Row> {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly draining = new CoalescedRunner(() => this.drain(), {
    onError: (err) => this.o.onError(err),
    mayRunAgain: () => !this.stopped,
  });
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly o: LeasePumpOptions<Row>) {}

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Wake now (after a commit that added rows). */
  kick(): void {
    if (this.stopped) return;
    // Every drain ends by scheduling the next wake-up, so a pending one can go.
    clearTimeout(this.timer);
    this.draining.request();
  }

  /** Stops leasing and resolves once the sends in flight have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    while (this.draining.running || this.inFlight.size) {
      await Promise.all([...this.inFlight]);
      await sleep(5);
    }
  }

  private async drain(): Promise<void> {
    const { clock } = this.o;
    try {
      for (;;) {
        if (this.stopped) return;
        const now = clock.now().getTime();
        const room = this.o.maxInFlight - this.inFlight.size;
        if (room <= 0) break; // each finished send wakes the pump again
        const leased = await this.o.lease(now, now + this.o.leaseMs, room);
        const rows = Array.isArray(leased) ? leased : leased.rows;
        if ((Array.isArray(leased) ? rows.length : leased.leased) === 0) break;
        for (const row of rows) {
          void this.track(this.o.handle(row).catch((err: unknown) => this.o.onError(err, row))).then(() => this.kick());
        }
      }
    } catch (err) {
      this.o.onError(err);
    }
    // schedule() never rejects: its one read falls back to the poll interval.
    void this.schedule();
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }

  private async schedule(): Promise<void> {
    if (this.stopped) return;
    const next = await this.o.nextDueAt().catch(() => undefined);
    const wait = next === undefined ? this.o.pollMs : Math.min(this.o.pollMs, Math.max(0, next - this.o.clock.now().getTime()));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }
}
