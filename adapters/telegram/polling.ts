import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../../src/log.js';
import type { UpdateHandler } from './deliver-update.js';
import { ALLOWED_UPDATES, updateChatKey } from './normalize.js';

export interface PollingOptions {
  api: Api;
  handle: UpdateHandler;
  log: Logger;
  /** Long-poll wait in seconds (Telegram allows up to 50). */
  timeoutSeconds: number;
  /** First pause after a failure; doubles up to 30 s. */
  retryDelayMs: number;
}

export interface Polling {
  stop(): Promise<void>;
}

/**
 * Long polling that acknowledges only what is stored. Each batch is handled concurrently
 * across chats and in order within a chat; the next getUpdates `offset` (which is what tells
 * Telegram to forget updates) moves past an update only once it was handled. When an update
 * fails, the offset stops at it and its chat stops there too; the batch is fetched again
 * after a pause and the already stored updates come back as duplicates, which the pipeline
 * ignores.
 */
export function startPolling(opts: PollingOptions): Polling {
  const { api, handle, log } = opts;
  const controller = new AbortController();
  // grammY types its signal parameter with its own AbortSignal shim; Node's signal works at runtime.
  const signal = controller.signal as unknown as Parameters<Api['getUpdates']>[1];
  let offset: number | undefined;

  const handleBatch = async (updates: Update[]): Promise<number> => {
    const byChat = new Map<string, Update[]>();
    for (const u of updates) {
      const key = updateChatKey(u);
      byChat.set(key, [...(byChat.get(key) ?? []), u]);
    }
    const failed: number[] = [];
    await Promise.all(
      [...byChat.values()].map(async (chatUpdates) => {
        for (const u of chatUpdates) {
          if (!(await handle(u))) {
            failed.push(u.update_id);
            return;
          }
        }
      }),
    );
    return failed.length ? Math.min(...failed) : updates.at(-1)!.update_id + 1;
  };

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
        await pause(backoff(opts.retryDelayMs, failures), controller.signal);
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
        await pause(backoff(opts.retryDelayMs, failures), controller.signal);
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
      await api.getUpdates({ offset, limit: 1, timeout: 0 }).catch((err: unknown) => log.warn('telegram: final offset not confirmed', { error: err }));
    },
  };
}

function backoff(base: number, attempt: number): number {
  return Math.min(base * 2 ** (attempt - 1), 30_000);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
