import { Routes, type REST } from 'discord.js';
import { PerKeyThrottle } from '../../src/kit/per-key-throttle.js';

/** Discord shows "… is typing" for about 10 s per trigger; once per 4 s per channel is plenty and stays clear of its rate limit. */
const EVERY_MS = 4000;
const SNOWFLAKE = /^\d{1,20}$/;

/** ChannelAdapter.typing for Discord: POST /channels/:id/typing, throttled per channel, best effort (the caller ignores failures). */
export function createTypingSender(rest: REST, throttle = new PerKeyThrottle(EVERY_MS)) {
  return async ({ threadKey }: { threadKey: string }): Promise<void> => {
    if (!SNOWFLAKE.test(threadKey) || !throttle.take(threadKey)) return;
    await rest.post(Routes.channelTyping(threadKey));
  };
}
