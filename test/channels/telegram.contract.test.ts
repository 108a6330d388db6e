import type { Update } from 'grammy/types';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { startApp, tempDir } from '../support/app.js';
import { channelContract, type ChannelCustomer, type ChannelHarness } from './contract.js';

async function telegramHarness(): Promise<ChannelHarness> {
  const fake = await FakeTelegramBotApi.start();
  const dir = await tempDir();
  const app = await startApp({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot }, dir.path);
  let nextUserId = 7001;
  return {
    channel: 'telegram',
    app,
    async newCustomer(): Promise<ChannelCustomer> {
      const user = { id: nextUserId++, first_name: 'Contract Customer' };
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
      };
    },
    async close() {
      await app.stop();
      await fake.close();
      await dir.rm();
    },
  };
}

channelContract('Telegram', telegramHarness);
