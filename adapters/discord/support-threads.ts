/**
 * Support channels (DISCORD_SUPPORT_CHANNELS): a customer's post in one opens a public thread
 * started from that post, and the conversation lives in the thread (threadKey = thread id, which
 * Discord gives the same id as the post it started from). The bot's answer and the agents'
 * replies go there, the customer's later messages there stay in that conversation, and each new
 * post in the channel — another customer's, say — gets a thread of its own.
 */
import { DiscordAPIError, Routes, ThreadAutoArchiveDuration, type APIChannel, type REST } from 'discord.js';
import type { ChannelStateStore } from '../../src/domain/state-port.js';
import type { Logger } from '../../src/log.js';

/** Remembered answers to "is this channel one of our support threads?", newest last. */
const CACHE_LIMIT = 5000;
/** Discord: "A thread has already been created for this message" (a post seen twice, by a catch-up). */
const THREAD_ALREADY_CREATED = 160004;

export interface SupportThreads {
  isSupportChannel(channelId: string): boolean;
  /** True for threads opened in a support channel, known from this instance or the channel state. */
  isSupportThread(channelId: string): Promise<boolean>;
  /** Opens the thread for a post in a support channel and returns its id. */
  openThread(post: { channelId: string; messageId: string; customerName: string }): Promise<string>;
}

export function createSupportThreads(deps: {
  channels: readonly string[];
  rest: REST;
  state: ChannelStateStore;
  log: Logger;
}): SupportThreads {
  const { rest, state, log } = deps;
  const channels = new Set(deps.channels);
  const known = new Map<string, boolean>();
  const remember = (id: string, yes: boolean) => {
    known.delete(id);
    known.set(id, yes);
    if (known.size > CACHE_LIMIT) known.delete(known.keys().next().value!);
  };
  const key = (threadId: string) => `discord:support-thread:${threadId}`;

  return {
    isSupportChannel: (id) => channels.has(id),

    async isSupportThread(id) {
      if (channels.size === 0) return false;
      const cached = known.get(id);
      if (cached !== undefined) return cached;
      const yes = (await state.get(key(id))) !== undefined;
      remember(id, yes);
      return yes;
    },

    async openThread({ channelId, messageId, customerName }) {
      try {
        const thread = (await rest.post(Routes.threads(channelId, messageId), {
          body: { name: threadName(customerName), auto_archive_duration: ThreadAutoArchiveDuration.OneWeek },
        })) as APIChannel;
        await state.set(key(thread.id), channelId);
        remember(thread.id, true);
        log.info('discord: support thread opened', { channelId, threadId: thread.id });
        return thread.id;
      } catch (err) {
        // Seen before (a catch-up after a reconnect): the thread is there, under the post's id.
        if (err instanceof DiscordAPIError && err.code === THREAD_ALREADY_CREATED) {
          await state.set(key(messageId), channelId);
          remember(messageId, true);
          return messageId;
        }
        throw err;
      }
    },
  };
}

/** Thread names are 1–100 characters; agents see whose thread it is in the channel list. */
function threadName(customer: string): string {
  const name = `Support: ${customer}`.replace(/\s+/g, ' ').trim();
  return name.length > 100 ? name.slice(0, 99) + '…' : name;
}
