import { DiscordAPIError, Routes, type APIMessageComponentInteraction, type REST } from 'discord.js';
import type { Deliver } from '../../src/domain/channel.js';
import type { Backoff } from '../../src/kit/backoff.js';
import { deliverWithRetry } from '../../src/kit/deliver-with-retry.js';
import { KeyedQueue } from '../../src/kit/keyed-queue.js';
import type { Logger } from '../../src/log.js';
import type { ChannelCursors } from './channel-cursors.js';
import type { FileOpener } from './files.js';
import { normalizeInteraction, normalizeMessage, type GatewayMessage } from './normalize.js';

const PAGE = 100;
const MAX_PAGES = 10;
const MAX_RETRY_DELAY_MS = 30_000;

export interface Inbound {
  /** A MESSAGE_CREATE from the gateway. */
  onMessage(m: GatewayMessage): void;
  /** An INTERACTION_CREATE: a click on a choice button, stored in its channel's order and then acknowledged. */
  onInteraction(i: APIMessageComponentInteraction): void;
  /**
   * The connection closed (or is about to open): remember where each channel stood, as the
   * point to catch up from should the next session be a fresh one rather than a resume.
   */
  markGap(): void;
  /** After a fresh session (not a resume): fetch what recently active channels got since the gap. */
  catchUp(rest: REST): void;
  /** Stops retrying and waits for the work in hand. */
  stop(): Promise<void>;
}

/**
 * Hands gateway messages to the pipeline one after another per channel (concurrently across
 * channels). Discord has no acknowledgement and never redelivers, so a message the store
 * refuses is retried here with back-off until it is stored or the adapter stops; its channel
 * waits behind it so order holds. The channel's cursor moves only past stored messages, which
 * is what the catch-up after a reconnect or restart starts from.
 */
export function createInbound(deps: {
  deliver: Deliver;
  cursors: ChannelCursors;
  botId: () => string | undefined;
  /** The interaction callback (deferred update): Discord shows the click failed unless it comes within 3 s. */
  acknowledge: (interactionId: string, token: string) => Promise<unknown>;
  /** Makes each attachment's `open` (a CDN download), called by the pipeline at ingest. */
  openFile?: FileOpener;
  log: Logger;
  retryDelayMs: number;
}): Inbound {
  const { deliver, cursors, botId, acknowledge, openFile, log, retryDelayMs } = deps;
  const channels = new KeyedQueue();
  const stopping = new AbortController();
  const retry: Backoff = { initialMs: retryDelayMs, maxMs: MAX_RETRY_DELAY_MS };
  /** Where each channel stood when the gateway connection was last lost; consumed by the next catch-up. */
  let gap: Map<string, string> | undefined;
  const positions = () => new Map(cursors.recent().map((id) => [id, cursors.get(id)!.last]));

  const inChannel = (channelId: string, task: () => Promise<void>) => {
    channels.run(channelId, task).catch((err: unknown) => log.error('discord: inbound task failed', { channelId, error: err }));
  };

  /** True when the message needs nothing more: stored, a duplicate, not for us, or refused for good. */
  const handle = async (m: GatewayMessage, guildId: string | undefined): Promise<boolean> => {
    const me = botId();
    if (!me) {
      // Cannot happen after READY; left unhandled, the next catch-up fetches it again.
      log.warn('discord: bot identity unknown, message left for the next catch-up', { messageId: m.id });
      return false;
    }
    let message;
    try {
      message = normalizeMessage(m, { botId: me, openFile, ...(guildId ? { guildId } : {}) });
    } catch (err) {
      log.error('discord: malformed message dropped', { messageId: m.id, channelId: m.channel_id, error: err });
      return true;
    }
    if (!message) return true;
    cursors.track(m.channel_id, m.id, guildId);
    const outcome = await deliverWithRetry(() => deliver(message), {
      backoff: retry,
      signal: stopping.signal,
      onRejected: (err) => log.error('discord: message rejected by the pipeline, dropped', { messageId: m.id, error: err }),
      onFailure: (err, _attempt, retryInMs) =>
        log.warn('discord: storing message failed, retrying', { messageId: m.id, channelId: m.channel_id, retryInMs, error: err }),
    });
    return outcome !== 'failed';
  };

  const fetchMissed = async (rest: REST, channelId: string, from: string) => {
    let after = from;
    for (let page = 0; page < MAX_PAGES && !stopping.signal.aborted; page++) {
      const cursor = cursors.get(channelId);
      if (!cursor) return;
      let batch: GatewayMessage[];
      try {
        batch = (await rest.get(Routes.channelMessages(channelId), {
          query: new URLSearchParams({ after, limit: String(PAGE) }),
        })) as GatewayMessage[];
      } catch (err) {
        if (err instanceof DiscordAPIError && (err.status === 403 || err.status === 404)) {
          log.info('discord: channel no longer readable, not caught up again', { channelId, status: err.status });
          cursors.forget(channelId);
        } else {
          log.warn('discord: catching up a channel failed', { channelId, error: err });
        }
        return;
      }
      // Discord lists newest first; the pipeline wants them as they were written.
      for (const m of batch.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))) {
        if (!(await handle(m, cursor.guildId))) return;
        cursors.advance(channelId, m.id);
        after = m.id;
      }
      if (batch.length < PAGE) return;
    }
  };

  return {
    onMessage(m) {
      const known = cursors.get(m.channel_id);
      inChannel(m.channel_id, async () => {
        if (await handle(m, m.guild_id ?? known?.guildId)) cursors.advance(m.channel_id, m.id);
      });
    },

    onInteraction(i) {
      let message;
      try {
        message = normalizeInteraction(i);
      } catch (err) {
        log.error('discord: malformed interaction dropped', { interactionId: i.id, error: err });
        return;
      }
      if (!message) return;
      const m = message;
      inChannel(m.threadKey, async () => {
        const outcome = await deliverWithRetry(() => deliver(m), {
          backoff: retry,
          signal: stopping.signal,
          onRejected: (err) => log.error('discord: interaction rejected by the pipeline, dropped', { interactionId: i.id, error: err }),
          onFailure: (err, _attempt, retryInMs) =>
            log.warn('discord: storing interaction failed, retrying', { interactionId: i.id, retryInMs, error: err }),
        });
        if (outcome === 'failed') return;
        await acknowledge(i.id, i.token).catch((err: unknown) =>
          log.warn('discord: interaction callback failed', { interactionId: i.id, error: err }),
        );
      });
    },

    markGap() {
      // The earliest position wins: fetching a little more only yields duplicates the store ignores.
      gap ??= positions();
    },

    catchUp(rest) {
      // Live messages of the new session may have been handled before this runs and moved the
      // cursors past the gap, so the catch-up starts from where channels stood at the gap.
      const from = gap ?? positions();
      gap = undefined;
      if (from.size) log.info('discord: catching up recently active channels', { channels: from.size });
      for (const [channelId, last] of from) inChannel(channelId, () => fetchMissed(rest, channelId, last));
    },

    async stop() {
      stopping.abort();
      await channels.idle();
      await cursors.flush();
    },
  };
}
