import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import { backoffDelay, type Backoff } from '../../src/kit/backoff.js';
import { KeyedQueue } from '../../src/kit/keyed-queue.js';
import { sleep } from '../../src/kit/sleep.js';
import type { Logger } from '../../src/log.js';
import type { UpdateHandler } from './deliver-update.js';
import { ALLOWED_UPDATES, updateChatKey } from './normalize.js';

export interface PollingOptions {
  api: Api;
  handle: UpdateHandler;
  /** Keeps an update that keeps failing while others are stored, so it stops holding back the offset. */
  park: (update: Update) => Promise<void>;
  log: Logger;
  /** Long-poll wait in seconds (Telegram allows up to 50). */
  timeoutSeconds: number;
  /** First pause after a failure; doubles up to 30 s. */
  retryDelayMs: number;
}

export interface Polling {
  stop(): Promise<void>;
}

/** Failed rounds, while other updates were stored fine, before an update is parked. */
const ATTEMPTS_BEFORE_PARKING = 5;
const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Long polling that acknowledges only what is stored. Each batch is handled concurrently
 * across chats and in order within a chat; the next getUpdates `offset` (which is what tells
 * Telegram to forget updates) moves past an update only once it was handled. When an update
 * fails, the offset stops at it and its chat stops there too; the batch is fetched again
 * after a pause and the already stored updates come back as duplicates, which the pipeline
 * ignores.
 *
 * getUpdates returns at most 100 updates from the offset, so one update that can never be
 * stored would starve every chat behind it. When it keeps failing while other updates are
 * stored (so the store is up and the fault is this update's), it is parked — kept in the
 * channel state and logged — and the offset moves on. When everything fails (the store is
 * down), nothing is parked and the adapter simply keeps retrying.
 */
export function startPolling(opts: PollingOptions): Polling {
  const { api, handle, log } = opts;
  const controller = new AbortController();
  // grammY types its signal parameter with its own AbortSignal shim; Node's signal works at runtime.
  const signal = controller.signal as unknown as Parameters<Api['getUpdates']>[1];
  let offset: number | undefined;
  const failedRounds = new Map<number, number>();

  const handleBatch = async (updates: Update[]): Promise<number> => {
    const chats = new KeyedQueue();
    const stuckChats = new Set<string>();
    const handled = new Set<number>();
    const failed: Update[] = [];
    await Promise.all(
      updates.map((u) => {
        const chat = updateChatKey(u);
        return chats.run(chat, async () => {
          // A chat stops at its first update that failed, so its order holds when the batch comes again.
          if (stuckChats.has(chat)) return;
          if (!(await handle(u))) {
            failed.push(u);
            stuckChats.add(chat);
            return;
          }
          handled.add(u.update_id);
          failedRounds.delete(u.update_id);
        });
      }),
    );
    for (const u of failed) {
      const rounds = (failedRounds.get(u.update_id) ?? 0) + 1;
      failedRounds.set(u.update_id, rounds);
      if (rounds < ATTEMPTS_BEFORE_PARKING || handled.size === 0) continue;
      try {
        await opts.park(u);
        handled.add(u.update_id);
        failedRounds.delete(u.update_id);
      } catch (err) {
        log.error('telegram: parking an update failed', { updateId: u.update_id, error: err });
      }
    }
    const first = updates.find((u) => !handled.has(u.update_id));
    return first ? first.update_id : updates.at(-1)!.update_id + 1;
  };

  const retry: Backoff = { initialMs: opts.retryDelayMs, maxMs: MAX_RETRY_DELAY_MS };
  const loop = async () => {
    let failures = 0;
    while (!controller.signal.aborted) {
      let updates: Update[];
      try {
        updates = await api.getUpdates({ offset, timeout: opts.timeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] }, signal);
      } catch (err) {
        if (controller.signal.aborted) break;
        failures++;
        log.warn('telegram: getUpdates failed', { error: err, attempt: failures });
        await sleep(backoffDelay(retry, failures), controller.signal);
        continue;
      }
      if (updates.length === 0) {
        failures = 0;
        continue;
      }
      updates.sort((a, b) => a.update_id - b.update_id);
      offset = await handleBatch(updates);
      if (offset <= updates.at(-1)!.update_id) {
        failures++;
        await sleep(backoffDelay(retry, failures), controller.signal);
      } else {
        failures = 0;
      }
    }
  };
  const running = loop();

  return {
    async stop() {
      controller.abort();
      await running;
      if (offset === undefined) return;
      // Tell Telegram what the last batch acknowledged, so a restart does not fetch it again.
      await api
        .getUpdates({ offset, limit: 1, timeout: 0 })
        .catch((err: unknown) => log.warn('telegram: final offset not confirmed', { error: err }));
    },
  };
}
