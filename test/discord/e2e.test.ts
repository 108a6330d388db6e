import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/main.js';
import { FakeDiscordApi, type FakeUser } from '../fakes/discord-api.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';

interface ConversationItem {
  id: string;
  channel: string;
  status: string;
  customer: { displayName: string | null } | null;
}

interface MessageView {
  direction: 'in' | 'out';
  author: string;
  text: string;
  delivery: 'pending' | 'sent' | 'failed' | null;
  deliveryError: string | null;
  externalId: string | null;
}

async function conversationOf(app: Running, token: string, displayName: string): Promise<{ id: string; status: string; messages: MessageView[] }> {
  const item = await eventually(async () => {
    const list = await api(app, token, 'GET', '/api/conversations');
    return (list.body.items as ConversationItem[]).find((c) => c.channel === 'discord' && c.customer?.displayName === displayName);
  }, 10_000, `conversation of ${displayName}`);
  const detail = await api(app, token, 'GET', `/api/conversations/${item.id}`);
  return { id: item.id, status: detail.body.conversation.status, messages: detail.body.messages };
}

const user = (n: number, name: string): FakeUser => ({ id: `3100000000000000${n}`, username: name.toLowerCase(), global_name: name });

describe('Discord customers through the running app (SQLite)', () => {
  let fake: FakeDiscordApi;
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let agent: { id: string; token: string };

  beforeAll(async () => {
    fake = await FakeDiscordApi.start();
    dir = await tempDir();
    app = await startApp({ DISCORD_BOT_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl }, dir.path);
    agent = await app.createAgent('Agent Smith');
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
    await dir?.rm();
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

    const conv = await eventually(async () => {
      const c = await conversationOf(app, agent.token, 'Ann');
      return c.messages[1]?.delivery === 'sent' ? c : undefined;
    }, 10_000, 'answer marked sent');
    expect(conv.status).toBe('bot');
    expect(conv.messages[0]).toMatchObject({ direction: 'in', author: 'customer', text: 'How do I return an item?', externalId: question.id });
    expect(conv.messages[1]).toMatchObject({ direction: 'out', author: 'bot', externalId: answer.id });
  });

  it('hands an unknown question to an agent whose reply arrives in the same DM channel', async () => {
    const ben = user(12, 'Ben');
    const question = fake.pushMessage(ben, 'My parcel from the blue warehouse smells of lavender, is that normal?');
    const dm = question.channel_id;
    await fake.waitFor(() => fake.sentTo(dm).length === 1, 10_000, 'holding reply');
    expect(fake.sentTo(dm)[0]!.content).toMatch(/a person will reply/i);

    const conv = await conversationOf(app, agent.token, 'Ben');
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

  it('stores a message dispatched twice once and replies once', async () => {
    const cai = user(13, 'Cai');
    const first = fake.pushMessage(cai, 'What is your return policy?');
    await fake.waitFor(() => fake.sentTo(first.channel_id).length === 1, 10_000, 'first answer');
    fake.dispatchMessage(first);
    // A later message in the same channel is handled after anything the duplicate could cause.
    fake.pushMessage(cai, 'How long does shipping take?');
    await fake.waitFor(() => fake.sentTo(first.channel_id).length >= 2, 10_000, 'second answer');
    const conv = await eventually(async () => {
      const c = await conversationOf(app, agent.token, 'Cai');
      return c.messages.filter((m) => m.direction === 'out' && m.delivery === 'sent').length === 2 ? c : undefined;
    }, 10_000, 'both answers sent');
    expect(conv.messages.map((m) => m.author)).toEqual(['customer', 'bot', 'customer', 'bot']);
    expect(fake.sentTo(first.channel_id)).toHaveLength(2);
  });

  it('retries a 429 after retry_after and delivers once', async () => {
    const dee = user(14, 'Dee');
    const dm = fake.dmChannel(dee);
    // Longer than the adapter waits inside a send, so the outbox does the retry.
    fake.failNext({ method: 'POST', path: `/channels/${dm}/messages`, status: 429, retryAfter: 3 });
    fake.pushMessage(dee, 'How do I return an item?');
    await fake.waitFor(() => fake.sentTo(dm).length === 1, 10_000, 'answer after the rate limit');
    const attempts = fake.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${dm}/messages`);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(3000);
    const conv = await eventually(async () => {
      const c = await conversationOf(app, agent.token, 'Dee');
      return c.messages[1]?.delivery === 'sent' ? c : undefined;
    }, 10_000, 'answer marked sent');
    expect(conv.messages.filter((m) => m.direction === 'out')).toHaveLength(1);
  });

  it('shows a customer who does not accept DMs from the bot (50007) as a failed delivery, without retrying', async () => {
    const eve = user(15, 'Eve');
    const dm = fake.dmChannel(eve);
    fake.block(eve);
    fake.pushMessage(eve, 'human');
    const conv = await eventually(async () => {
      const c = await conversationOf(app, agent.token, 'Eve');
      return c.messages.some((m) => m.delivery === 'failed') ? c : undefined;
    }, 10_000, 'failed delivery');
    expect(conv.messages.find((m) => m.direction === 'out')!.deliveryError).toMatch(/Cannot send messages to this user/);
    expect(fake.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${dm}/messages`)).toHaveLength(1);
  });

  it('answers in a guild channel only when mentioned', async () => {
    const { channelId } = fake.guildChannel('help');
    const fay = user(16, 'Fay');
    // The guild is new to the running bot; Discord announces it with GUILD_CREATE, which only matters to discord.js's cache.
    fake.pushMessage(fay, 'How do I return an item?', { channelId });
    fake.pushMessage(fay, `<@${fake.bot.id}> How do I return an item?`, { channelId, mentions: [fake.bot] });
    await fake.waitFor(() => fake.sentTo(channelId).length === 1, 10_000, 'answer in the guild channel');
    const conv = await conversationOf(app, agent.token, 'Fay');
    expect(conv.messages.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(['How do I return an item?']);
  });
});

describe('Discord configuration at start-up', () => {
  it('names a malformed Discord variable, and says when Discord refuses the token', async () => {
    const fake = await FakeDiscordApi.start();
    const dir = await tempDir();
    try {
      await expect(startApp({ DISCORD_BOT_TOKEN: 'not-a-token' }, dir.path)).rejects.toThrow(/DISCORD_BOT_TOKEN/);
      await expect(startApp({ DISCORD_BOT_TOKEN: fake.token, DISCORD_API_URL: 'not a url' }, dir.path)).rejects.toThrow(/DISCORD_API_URL/);
      await expect(startApp({ DISCORD_BOT_TOKEN: fake.token, DISCORD_GATEWAY_URL: 'http://example.com' }, dir.path)).rejects.toThrow(/DISCORD_GATEWAY_URL/);
      const revoked = `${'A'.repeat(24)}.GfAkE1.${'x'.repeat(38)}`;
      await expect(startApp({ DISCORD_BOT_TOKEN: revoked, DISCORD_API_URL: fake.apiUrl }, dir.path)).rejects.toThrow(/refused DISCORD_BOT_TOKEN \(401/);
    } finally {
      await fake.close();
      await dir.rm();
    }
  });

  it('connects to DISCORD_GATEWAY_URL instead of the gateway Discord names', async () => {
    const fake = await FakeDiscordApi.start();
    const gateway = await FakeDiscordApi.start({ token: fake.token });
    const dir = await tempDir();
    try {
      const app = await startApp({ DISCORD_BOT_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_GATEWAY_URL: gateway.gatewayUrl }, dir.path);
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
    const fake = await FakeDiscordApi.start();
    const dir = await tempDir();
    const env = { DISCORD_BOT_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl };
    const jo = user(21, 'Jo');
    try {
      let app = await startApp(env, dir.path);
      const first = fake.pushMessage(jo, 'How do I return an item?');
      await fake.waitFor(() => fake.sentTo(first.channel_id).length === 1, 10_000, 'first answer');
      await app.stop();

      // Nobody is connected: Discord keeps this only in the channel's history.
      fake.pushMessage(jo, 'How long does shipping take?');
      app = await startApp(env, dir.path);
      await fake.waitFor(() => fake.sentTo(first.channel_id).length === 2, 10_000, 'answer after restart');
      const agent = await app.createAgent('Restart Agent');
      const conv = await eventually(async () => {
        const c = await conversationOf(app, agent.token, 'Jo');
        return c.messages.length === 4 && c.messages.every((m) => m.direction === 'in' || m.delivery === 'sent') ? c : undefined;
      }, 10_000, 'both answers recorded');
      expect(conv.messages.map((m) => m.author)).toEqual(['customer', 'bot', 'customer', 'bot']);
      expect(fake.sentTo(first.channel_id)).toHaveLength(2);
      await app.stop();
    } finally {
      await fake.close();
      await dir.rm();
    }
  });
});
