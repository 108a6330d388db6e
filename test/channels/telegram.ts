import type { Update } from 'grammy/types';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { appOnOwnData } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import type { PlatformCustomer, PlatformHarness } from './bot-platform.js';

/** The running app with Telegram on long polling against the fake Bot API, as the shared suites drive it. */
export interface TelegramAppHarness extends PlatformHarness {
  fake: FakeTelegramBotApi;
  /** No update is waiting to be acknowledged. */
  acknowledgedAll(): boolean;
  /** Stops the app, runs `whileDown`, and starts it again on the same data and fake. */
  restart(whileDown?: () => Promise<void> | void): Promise<void>;
}

export async function telegramHarness(extraEnv: Record<string, string> = {}): Promise<TelegramAppHarness> {
  const fake = await FakeTelegramBotApi.start();
  const env = { ...extraEnv, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot };
  let nextUserId = 7001;
  const running = await appOnOwnData(env);
  const h: TelegramAppHarness = {
    channel: 'telegram',
    fake,
    acknowledgedAll: () => fake.pendingCount === 0,
    get app() {
      return running.app;
    },
    badEnvironments: [
      { env: { TELEGRAM_BOT_TOKEN: 'not-a-token' }, error: /TELEGRAM_BOT_TOKEN/ },
      { env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: 'not a url' }, error: /TELEGRAM_API_ROOT/ },
      { env: { TELEGRAM_BOT_TOKEN: '42:revoked', TELEGRAM_API_ROOT: fake.apiRoot }, error: /refused TELEGRAM_BOT_TOKEN \(401/ },
    ],
    async newCustomer(name = 'Contract Customer'): Promise<PlatformCustomer> {
      const user = { id: nextUserId++, first_name: name };
      let last: Update | undefined;
      return {
        async says(text) {
          last = fake.pushMessage(user, { text });
          return `${user.id}:${last.message!.message_id}`;
        },
        async redeliverLast() {
          if (!last) throw new Error('nothing to redeliver');
          fake.duplicate(last);
        },
        async received() {
          return fake.sentTo(user.id).map((m) => m.shown);
        },
        async lastChoices() {
          return (fake.sentTo(user.id).at(-1)?.reply_markup?.inline_keyboard.flat() ?? []).map((b) => b.text);
        },
        async picks(label) {
          const sent = [...fake.sentTo(user.id)]
            .reverse()
            .find((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.text === label));
          const button = sent?.reply_markup?.inline_keyboard.flat().find((b) => b.text === label);
          if (!sent || !button || !('callback_data' in button)) throw new Error(`no button "${label}" was sent`);
          const query = fake.pushCallbackQuery(user, sent, button.callback_data).callback_query!;
          await eventually(
            () => fake.answeredCallbacks.some((a) => a.callback_query_id === query.id) || undefined,
            15_000,
            `callback query ${query.id} answered`,
          );
          return `callback:${query.id}`;
        },
        rateLimitNextReply(seconds) {
          fake.failNext({
            method: 'sendMessage',
            chatId: user.id,
            error_code: 429,
            description: `Too Many Requests: retry after ${seconds}`,
            parameters: { retry_after: seconds },
          });
        },
        refuseReplies() {
          fake.block(user.id);
        },
        replyAttempts() {
          return fake.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === user.id).map((c) => c.at);
        },
        typingShown() {
          return fake.calls.filter(
            (c) => c.method === 'sendChatAction' && Number(c.params.chat_id) === user.id && c.params.action === 'typing',
          ).length;
        },
      };
    },
    restart: (whileDown) => running.restart(whileDown),
    async close() {
      await running.close();
      await fake.close();
    },
  };
  return h;
}
