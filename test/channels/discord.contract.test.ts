import type { APIMessage } from 'discord.js';
import { FakeDiscordApi } from '../fakes/discord-api.js';
import { startApp, tempDir } from '../support/app.js';
import { channelContract, type ChannelCustomer, type ChannelHarness } from './contract.js';

async function discordHarness(): Promise<ChannelHarness> {
  const fake = await FakeDiscordApi.start();
  const dir = await tempDir();
  const app = await startApp({ DISCORD_BOT_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl }, dir.path);
  let nextUser = 1;
  return {
    channel: 'discord',
    app,
    async newCustomer(): Promise<ChannelCustomer> {
      const n = nextUser++;
      const user = { id: `32000000000000${String(n).padStart(4, '0')}`, username: `customer${n}`, global_name: `Customer ${n}` };
      const dm = fake.dmChannel(user);
      let last: APIMessage | undefined;
      return {
        async says(text) {
          last = fake.pushMessage(user, text);
          return last.id;
        },
        async redeliverLast() {
          if (!last) throw new Error('nothing to redeliver');
          fake.dispatchMessage(last);
        },
        async received() {
          return fake.sentTo(dm).map((m) => m.content);
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

channelContract('Discord', discordHarness);
