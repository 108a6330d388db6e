import type { ChannelAdapter, ChannelId, OutboundMessage } from '../domain/channel.js';
import { ChannelError } from '../domain/errors.js';
import type { Clock } from '../domain/clock.js';
import { LeasePump } from './lease-pump.js';
import { attemptSend, OUTBOX_GIVE_UP_AFTER_MS, sendWithin } from './send-attempt.js';
import type { Logger } from '../log.js';
import type { Repos, Store } from '../store/store.js';
import type { OutboxRow } from '../store/ports.js';
import type { FileStore } from '../attachments/file-store.js';
import { withOpeners } from '../attachments/outbound.js';

export { OUTBOX_BACKOFF, OUTBOX_GIVE_UP_AFTER_MS } from './send-attempt.js';

/** Sends in flight at once; a channel that hangs holds only its own rows, not the others'. */
const MAX_IN_FLIGHT = 20;

export interface OutboxWorkerOptions {
  store: Store;
  adapters: Partial<Record<ChannelId, ChannelAdapter>>;
  clock: Clock;
  log: Logger;
  /** A send that takes longer than this is presumed dead and may be retried by another worker. */
  leaseMs?: number;
  /** Gives up earlier than the horizon after this many attempts (default: no limit). */
  maxAttempts?: number;
  /** Written into every lease, so leases of a dead worker can be released at once (src/outbox/reclaim.ts). */
  owner?: string;
  /** A reply still undelivered this long after it was queued is marked failed (default 24 h). */
  giveUpAfterMs?: number;
  /** A send that has not answered by then counts as a retryable failure; below the lease, so no other worker resends meanwhile. */
  sendTimeoutMs?: number;
  /** Upper bound on sleeping between polls; other instances' rows are found at least this often. */
  pollMs?: number;
  /** A second phase in the transaction that records a delivery (the email copy of a web chat reply). */
  afterSent?: (r: Repos, row: OutboxRow, m: OutboundMessage, now: number) => Promise<void>;
  /** Where replies' files are read from when sent. */
  files?: FileStore;
}

/**
 * Sends outbox rows through their channel. Delivery is at-least-once with at most one resend after
 * a crash mid-send (lease expiry); adapters that can use `outboxId` as an idempotency key
 * (email Message-ID) make that resend harmless.
 */
export class OutboxWorker {
  private readonly pump: LeasePump<OutboxRow>;

  constructor(private readonly o: OutboxWorkerOptions) {
    this.pump = new LeasePump<OutboxRow>({
      clock: o.clock,
      // One row per conversation per lease (see leaseDue), so conversations go out in parallel.
      lease: (now, leaseUntil, room) =>
        o.store.tx(async (r) => {
          const leased = await r.outbox.leaseDue(now, leaseUntil, room, o.owner);
          const rows: OutboxRow[] = [];
          for (const row of leased) if (!(await this.sendInStore(r, row, now))) rows.push(row);
          return { rows, leased: leased.length };
        }),
      handle: (row) => this.sendOne(row),
      nextDueAt: () => o.store.read((r) => r.outbox.nextDueAt()),
      onError: (err, row) =>
        row ? o.log.error('outbox send bookkeeping failed', { outboxId: row.id, err }) : o.log.error('outbox drain failed', { err }),
      leaseMs: o.leaseMs ?? 60_000,
      maxInFlight: MAX_IN_FLIGHT,
      pollMs: o.pollMs ?? 1000,
    });
  }

  start(): void {
    this.pump.start();
  }

  /** Wake the worker now (after a commit that enqueued something). */
  kick(): void {
    this.pump.kick();
  }

  stop(): Promise<void> {
    return this.pump.stop();
  }

  /**
   * A reply to a channel whose sending is its record in the store (the web chat) is sent and
   * recorded in the lease's own transaction: the customer sees it one commit after it was queued
   * instead of two, and either both the lease and the delivery are written or neither. False:
   * the row goes the usual way (`sendOne`), as does one whose send refused.
   */
  private async sendInStore(r: Repos, row: OutboxRow, now: number): Promise<boolean> {
    const adapter = this.o.adapters[row.channel as ChannelId];
    if (!adapter?.sendsInStore) return false;
    const message: OutboundMessage = { outboxId: row.id, ...(JSON.parse(row.payload) as Omit<OutboundMessage, 'outboxId'>) };
    let externalId: string;
    try {
      ({ externalId } = await adapter.send(message));
    } catch {
      return false;
    }
    await this.recordSent(r, row, message, row.attempts + 1, externalId, now);
    return true;
  }

  private async recordSent(r: Repos, row: OutboxRow, message: OutboundMessage, attempt: number, externalId: string, now: number) {
    await r.outbox.update(row.id, { status: 'sent', attempts: attempt, externalId, sentAt: now, leaseUntil: null, lastError: null });
    await r.messages.setExternalId(row.messageId, externalId);
    await r.events.append(row.conversationId, { type: 'delivery', data: { messageId: row.messageId, status: 'sent' } }, now);
    await this.o.afterSent?.(r, row, message, now);
  }

  private async sendOne(row: OutboxRow): Promise<void> {
    const { store, clock, log } = this.o;
    const adapter = this.o.adapters[row.channel as ChannelId];
    const stored: OutboundMessage = { outboxId: row.id, ...(JSON.parse(row.payload) as Omit<OutboundMessage, 'outboxId'>) };
    await attemptSend({
      row,
      clock,
      limits: { giveUpAfterMs: this.o.giveUpAfterMs ?? OUTBOX_GIVE_UP_AFTER_MS, maxAttempts: this.o.maxAttempts },
      send: async (attempt) => {
        const message = await withOpeners(store, this.o.files, stored);
        if (!adapter) throw new ChannelError(`channel ${row.channel} is not enabled`, { retryable: true, code: 'channel_disabled' });
        const { externalId } = await sendWithin(adapter.send(message), this.o.sendTimeoutMs ?? 30_000, row.channel);
        const now = clock.now().getTime();
        await store.tx((r) => this.recordSent(r, row, message, attempt, externalId, now));
      },
      failed: async ({ attempt, now, error: ce, decision }) => {
        const permanent = decision.giveUp !== false;
        const lastError = `${decision.giveUp === 'horizon' ? `gave up after ${attempt} attempts: ` : ''}${ce.code}: ${ce.message}`.slice(
          0,
          500,
        );
        if (permanent) log.error('outbox gave up on a reply', { outboxId: row.id, channel: row.channel, attempt, error: lastError });
        else log.warn('outbox send failed', { outboxId: row.id, channel: row.channel, attempt, error: lastError });
        if (decision.giveUp !== false) {
          await store.tx(async (r) => {
            await r.outbox.update(row.id, { status: 'failed', attempts: attempt, lastError, leaseUntil: null });
            await r.events.append(
              row.conversationId,
              { type: 'delivery', data: { messageId: row.messageId, status: 'failed', error: lastError } },
              now,
            );
          });
          return;
        }
        const { nextAttemptAt } = decision;
        await store.tx((r) => r.outbox.update(row.id, { attempts: attempt, lastError, nextAttemptAt, leaseUntil: null }));
      },
    });
  }
}
