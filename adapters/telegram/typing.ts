import type { Api } from 'grammy';
import { PerKeyThrottle } from '../../src/kit/per-key-throttle.js';

/** Telegram shows "typing…" for about 5 s per sendChatAction; once per 4 s per chat keeps it up. */
const EVERY_MS = 4000;

/** ChannelAdapter.typing for Telegram: `sendChatAction` with `typing`, throttled per chat, best effort (the caller ignores failures). */
export function createTypingSender(api: Api, throttle = new PerKeyThrottle(EVERY_MS)) {
  return async ({ threadKey }: { threadKey: string }): Promise<void> => {
    if (!throttle.take(threadKey)) return;
    const chatId = /^-?\d+$/.test(threadKey) ? Number(threadKey) : threadKey;
    await api.sendChatAction(chatId, 'typing');
  };
}
