import type { APIMessage } from 'discord.js';
import { FakeDiscordApi } from '../fakes/discord-api.js';
import { appOnOwnData } from '../support/app.js';
import { eventually } from '../support/eventually.js';
import type { PlatformCustomer, PlatformHarness } from './bot-platform.js';

/** The running app with Discord against the fake REST API and gateway, customers writing in DMs. */
export interface DiscordAppHarness extends PlatformHarness {
  fake: FakeDiscordApi;
  /** Stops the app, runs `whileDown`, and starts it again on the same data and fake. */
  restart(whileDown?: () => Promise<void> | void): Promise<void>;
}

export async function discordHarness(extraEnv: Record<string, string> = {}): Promise<DiscordAppHarness> {
  const fake = await FakeDiscordApi.start();
  const env = { ...extraEnv, DISCORD_BOT_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl };
  let nextUser = 1;
  const running = await appOnOwnData(env);
  const h: DiscordAppHarness = {
    channel: 'discord',
    fake,
    get app() {
      return running.app;
    },
    badEnvironments: [
      { env: { DISCORD_BOT_TOKEN: 'not-a-token' }, error: /DISCORD_BOT_TOKEN/ },
      { env: { DISCORD_BOT_TOKEN: fake.token, DISCORD_API_URL: 'not a url' }, error: /DISCORD_API_URL/ },
      { env: { DISCORD_BOT_TOKEN: fake.token, DISCORD_GATEWAY_URL: 'http://example.com' }, error: /DISCORD_GATEWAY_URL/ },
      {
        env: { DISCORD_BOT_TOKEN: `${'A'.repeat(24)}.GfAkE1.${'x'.repeat(38)}`, DISCORD_API_URL: fake.apiUrl },
        error: /refused DISCORD_BOT_TOKEN \(401/,
      },
    ],
    async newCustomer(name?: string): Promise<PlatformCustomer> {
      const n = nextUser++;
      const user = { id: `32000000000000${String(n).padStart(4, '0')}`, username: `customer${n}`, global_name: name ?? `Customer ${n}` };
      const dm = fake.dmChannel(user);
      const sends = () => fake.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${dm}/messages`);
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
        async lastChoices() {
          return (fake.sentTo(dm).at(-1)?.components ?? []).flatMap((row) => row.components.map((b) => b.label ?? ''));
        },
        async picks(label) {
          const sent = [...fake.sentTo(dm)]
            .reverse()
            .find((m) => m.components?.some((row) => row.components.some((b) => b.label === label)));
          const button = sent?.components?.flatMap((row) => row.components).find((b) => b.label === label);
          if (!sent || !button?.custom_id) throw new Error(`no button "${label}" was sent`);
          const interaction = fake.pushInteraction(user, sent, button.custom_id);
          await eventually(
            () => fake.interactionCallbacks.some((c) => c.interactionId === interaction.id) || undefined,
            15_000,
            `interaction ${interaction.id} acknowledged`,
          );
          return `interaction:${interaction.id}`;
        },
        rateLimitNextReply(seconds) {
          fake.failNext({ method: 'POST', path: `/channels/${dm}/messages`, status: 429, retryAfter: seconds });
        },
        refuseReplies() {
          fake.block(user);
        },
        replyAttempts() {
          return sends().map((c) => c.at);
        },
        typingShown() {
          return fake.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${dm}/typing`).length;
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
