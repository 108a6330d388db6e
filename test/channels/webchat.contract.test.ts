import { startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { channelContract, type ChannelCustomer, type ChannelHarness } from './contract.js';

async function webchatHarness(env: Record<string, string>): Promise<ChannelHarness> {
  const dir = await tempDir();
  const app = await startApp(env, dir.path);
  return {
    channel: 'webchat',
    app,
    async newCustomer(): Promise<ChannelCustomer> {
      const widget = await WebchatCustomer.open(app.url);
      let last: { text: string; clientMessageId: string } | undefined;
      const post = async (text: string, clientMessageId: string) => {
        const res = await widget.say(text, clientMessageId);
        if (res.status !== 202) throw new Error(`web chat refused the message: ${res.status} ${JSON.stringify(res.body)}`);
      };
      return {
        async says(text) {
          last = { text, clientMessageId: crypto.randomUUID() };
          await post(text, last.clientMessageId);
          return `${widget.sessionId}:${last.clientMessageId}`;
        },
        async redeliverLast() {
          if (!last) throw new Error('nothing to redeliver');
          await post(last.text, last.clientMessageId);
        },
        async received() {
          return (await widget.history()).items.filter((i) => i.direction === 'out').map((i) => i.text);
        },
        async lastChoices() {
          const last = (await widget.history()).items.filter((i) => i.direction === 'out').at(-1);
          return (last?.choices ?? []).map((c) => c.label);
        },
        async picks(label) {
          const out = (await widget.history()).items.filter((i) => i.direction === 'out');
          const choice = out
            .flatMap((i) => i.choices ?? [])
            .reverse()
            .find((c) => c.label === label);
          if (!choice) throw new Error(`no choice "${label}" was offered`);
          last = { text: label, clientMessageId: crypto.randomUUID() };
          const res = await widget.pick(choice.id, label, last.clientMessageId);
          if (res.status !== 202) throw new Error(`web chat refused the pick: ${res.status} ${JSON.stringify(res.body)}`);
          return `${widget.sessionId}:${last.clientMessageId}`;
        },
      };
    },
    async close() {
      await app.stop();
      await dir.rm();
    },
  };
}

channelContract('web chat', webchatHarness);
