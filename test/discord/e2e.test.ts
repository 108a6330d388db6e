import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/main.js';
import { FakeDiscordApi, type FakeUser } from '../fakes/discord-api.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { conversationOf } from '../support/conversations.js';
import { discordHarness, type DiscordAppHarness } from '../channels/discord.js';

const user = (n: number, name: string): FakeUser => ({ id: `3100000000000000${n}`, username: name.toLowerCase(), global_name: name });

describe('Discord customers through the running app (SQLite)', () => {
  let h: DiscordAppHarness;
  let fake: FakeDiscordApi;
  let app: Running;
  let agent: { id: string; token: string };

  beforeAll(async () => {
    h = await discordHarness();
    ({ fake, app } = h);
    agent = await app.createAgent('Agent Smith');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('is connected to the gateway once the app has started', () => {
    expect(fake.connected).toBe(true);
    expect(fake.identifies).toHaveLength(1);
  });

  it('answers a FAQ question in the DM channel and records it as sent', async () => {
    const ann = user(11, 'Ann');
    const question = fake.pushMessage(ann, 'How do I return an item?');
    await fake.waitFor(() => fake.sentTo(question.channel_id).length === 1, 10_000, 'FAQ answer');
    const answer = fake.sentTo(question.channel_id)[0]!;
    expect(answer.content).toMatch(/return unused items within 30 days/i);
    expect(answer.message_reference?.message_id).toBe(question.id);
    expect(answer.allowed_mentions).toEqual({ parse: [], replied_user: true });

    const conv = await eventually(
      async () => {
        const c = await conversationOf(app, agent.token, 'discord', 'Ann');
        return c.messages[1]?.delivery === 'sent' ? c : undefined;
      },
      10_000,
      'answer marked sent',
    );
    expect(conv.status).toBe('bot');
    expect(conv.messages[0]).toMatchObject({
      direction: 'in',
      author: 'customer',
      text: 'How do I return an item?',
      externalId: question.id,
    });
    expect(conv.messages[1]).toMatchObject({ direction: 'out', author: 'bot', externalId: answer.id });
  });

  it('hands an unknown question to an agent whose reply arrives in the same DM channel', async () => {
    const ben = user(12, 'Ben');
    const question = fake.pushMessage(ben, 'My cat sings opera at night, is that normal?');
    const dm = question.channel_id;
    await fake.waitFor(() => fake.sentTo(dm).length === 1, 10_000, 'holding reply');
    expect(fake.sentTo(dm)[0]!.content).toMatch(/a person will reply/i);

    const conv = await conversationOf(app, agent.token, 'discord', 'Ben');
    expect(conv.status).toBe('queued');
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    const text = 'Lavender is what the warehouse uses against moths; it is harmless. Sorry for the surprise, @everyone makes mistakes!';
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, { text })).status).toBe(201);

    await fake.waitFor(() => fake.sentTo(dm).length === 2, 10_000, 'agent reply');
    const delivered = fake.sentTo(dm)[1]!;
    expect(delivered.content).toBe(text);
    expect(delivered.message_reference?.message_id).toBe(question.id);
    expect(delivered.allowed_mentions?.parse).toEqual([]);
  });

  it('answers in a guild channel only when mentioned', async () => {
    const { channelId } = fake.guildChannel('help');
    const fay = user(16, 'Fay');
    // The guild is new to the running bot; Discord announces it with GUILD_CREATE, which only matters to discord.js's cache.
    fake.pushMessage(fay, 'How do I return an item?', { channelId });
    fake.pushMessage(fay, `<@${fake.bot.id}> How do I return an item?`, { channelId, mentions: [fake.bot] });
    await fake.waitFor(() => fake.sentTo(channelId).length === 1, 10_000, 'answer in the guild channel');
    const conv = await conversationOf(app, agent.token, 'discord', 'Fay');
    expect(conv.messages.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(['How do I return an item?']);
  });
});

describe('Discord configuration at start-up', () => {
  it('connects to DISCORD_GATEWAY_URL instead of the gateway Discord names', async () => {
    const fake = await FakeDiscordApi.start();
    const gateway = await FakeDiscordApi.start({ token: fake.token });
    const dir = await tempDir();
    try {
      const app = await startApp(
        { DISCORD_BOT_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_GATEWAY_URL: gateway.gatewayUrl },
        dir.path,
      );
      await app.stop();
      expect(gateway.identifies).toHaveLength(1);
      expect(fake.identifies).toHaveLength(0);
    } finally {
      await gateway.close();
      await fake.close();
      await dir.rm();
    }
  });
});

describe('Discord across a restart of the app', () => {
  it('answers what a known customer wrote while the app was down, and nothing twice', async () => {
    const h = await discordHarness();
    const { fake } = h;
    const jo = user(21, 'Jo');
    try {
      const first = fake.pushMessage(jo, 'How do I return an item?');
      await fake.waitFor(() => fake.sentTo(first.channel_id).length === 1, 10_000, 'first answer');
      // Nobody is connected: Discord keeps this only in the channel's history.
      await h.restart(() => void fake.pushMessage(jo, 'How long does shipping take?'));
      await fake.waitFor(() => fake.sentTo(first.channel_id).length === 2, 10_000, 'answer after restart');
      const agent = await h.app.createAgent('Restart Agent');
      const conv = await eventually(
        async () => {
          const c = await conversationOf(h.app, agent.token, 'discord', 'Jo');
          return c.messages.length === 4 && c.messages.every((m) => m.direction === 'in' || m.delivery === 'sent') ? c : undefined;
        },
        10_000,
        'both answers recorded',
      );
      expect(conv.messages.map((m) => m.author)).toEqual(['customer', 'bot', 'customer', 'bot']);
      expect(fake.sentTo(first.channel_id)).toHaveLength(2);
    } finally {
      await h.close();
    }
  });
});
