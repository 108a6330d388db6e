import { afterEach, describe, expect, it } from 'vitest';
import { GatewayIntentBits } from 'discord.js';
import { createDiscordAdapter } from '../../adapters/discord/index.js';
import { silentLogger } from '../../src/log.js';
import { FakeDiscordApi } from '../fakes/discord-api.js';
import { MemoryState } from '../support/memory-state.js';
import { RecordingDeliver } from '../support/recording-deliver.js';
import { ann, ben, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('Discord inbound through the gateway', () => {
  it('identifies with the intents it needs and turns a DM into a normalized message', async () => {
    h = await startHarness();
    const intents = h.fake.identifies[0]!.intents;
    for (const bit of [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.DirectMessages,
      GatewayIntentBits.MessageContent,
    ]) {
      expect(intents & bit).toBe(bit);
    }
    const sent = h.fake.pushMessage(ann, '  Where   is my  order?  ', {
      attachments: [{ filename: 'receipt.pdf', content_type: 'application/pdf', size: 48_213 }],
    });
    await h.fake.waitFor(() => h.recorder.stored.length === 1, 5000, 'DM stored');
    expect(h.recorder.stored[0]).toEqual({
      channel: 'discord',
      externalMessageId: sent.id,
      threadKey: sent.channel_id,
      sender: { channelUserId: ann.id, displayName: 'Ann K', username: 'ann_k' },
      text: 'Where is my order?',
      attachments: [
        { name: 'receipt.pdf', mime: 'application/pdf', size: 48_213, url: sent.attachments[0]!.url, open: expect.any(Function) },
      ],
      receivedAt: new Date(sent.timestamp),
      raw: { channelId: sent.channel_id, type: 0 },
    });
  });

  it('in a guild, takes only messages that mention the bot or reply to it, without the mention', async () => {
    h = await startHarness();
    const { channelId, guildId } = h.fake.guildChannel();
    await h.restart(); // GUILD_CREATE for the new guild comes with a fresh IDENTIFY
    h.fake.pushMessage(ann, 'anyone know the store hours?', { channelId });
    h.fake.pushMessage(ann, `<@${h.fake.bot.id}> what are your opening hours? cc <@${ben.id}>`, { channelId, mentions: [h.fake.bot, ben] });
    const { externalId: botMessage } = await h.adapter.send({
      outboxId: 'o1',
      conversationId: 'c',
      channel: 'discord',
      threadKey: channelId,
      to: { channelUserId: ann.id },
      text: '9 to 5.',
      author: 'agent',
    });
    h.fake.pushMessage(ben, 'and on Sundays?', { channelId, replyTo: botMessage });
    await h.fake.waitFor(() => h.recorder.stored.length === 2, 5000, 'addressed guild messages');
    // Everything after the reply in the same channel was handled too.
    h.fake.pushMessage(ben, `<@${h.fake.bot.id}> thanks`, { channelId, mentions: [h.fake.bot] });
    await h.fake.waitFor(() => h.recorder.stored.length === 3, 5000, 'last message');
    expect(h.recorder.texts()).toEqual(['what are your opening hours? cc @ben', 'and on Sundays?', 'thanks']);
    expect(h.recorder.stored[1]).toMatchObject({ replyToExternalIds: [botMessage], raw: { guildId } });
  });

  it("ignores the bot's own messages and other bots", async () => {
    h = await startHarness();
    const dm = h.fake.dmChannel(ann);
    await h.adapter.send({
      outboxId: 'o2',
      conversationId: 'c',
      channel: 'discord',
      threadKey: dm,
      to: { channelUserId: ann.id },
      text: 'Hello from support',
      author: 'agent',
    });
    h.fake.pushMessage({ id: '3333', username: 'other-bot', bot: true }, 'beep', { channelId: dm });
    h.fake.pushMessage(ann, 'hi', { channelId: dm });
    await h.fake.waitFor(() => h.recorder.attempts.length >= 1, 5000, 'customer message');
    expect(h.recorder.texts()).toEqual(['hi']);
  });

  it('keeps retrying a message the store refuses, and keeps its channel in order behind it', async () => {
    h = await startHarness();
    let failures = 3;
    h.recorder.before = (m) => {
      if (m.text === 'first' && failures-- > 0) throw new Error('database is locked');
    };
    h.fake.pushMessage(ann, 'first');
    h.fake.pushMessage(ann, 'second');
    h.fake.pushMessage(ben, 'other channel');
    await h.fake.waitFor(() => h.recorder.stored.length === 3, 5000, 'all stored');
    expect(h.recorder.attempts.filter((m) => m.text === 'first')).toHaveLength(4);
    expect(h.recorder.texts().filter((t) => t !== 'other channel')).toEqual(['first', 'second']);
  });

  it('gets what was sent while the connection dropped by resuming the session', async () => {
    h = await startHarness();
    h.fake.pushMessage(ann, 'before');
    await h.fake.waitFor(() => h.recorder.stored.length === 1, 5000, 'first');
    h.fake.dropConnection();
    h.fake.pushMessage(ann, 'while disconnected');
    await h.fake.waitFor(() => h.recorder.stored.length === 2, 5000, 'replayed on resume');
    expect(h.fake.resumes).toHaveLength(1);
    expect(h.recorder.texts()).toEqual(['before', 'while disconnected']);
  });

  it('after Discord ends the session, identifies anew and fetches what was missed, even when a live message came first', async () => {
    h = await startHarness();
    // With a guild, discord.js reports ready only after GUILD_CREATE, so a message dispatched in
    // between is handled before the catch-up starts (and must not move it past the gap).
    h.fake.guildChannel();
    await h.restart();
    h.fake.pushMessage(ann, 'before');
    await h.fake.waitFor(() => h.recorder.stored.length === 1, 5000, 'first');
    h.fake.dropConnection({ endSession: true });
    h.fake.pushMessage(ann, 'missed');
    h.fake.afterReady = () => {
      h.fake.afterReady = undefined;
      h.fake.pushMessage(ann, 'live, right after READY');
    };
    h.fake.guildCreateDelayMs = 200;
    // discord.js waits out Discord's one-IDENTIFY-per-5-seconds limit before identifying again.
    await h.fake.waitFor(() => h.recorder.stored.length === 3, 10_000, 'all three');
    expect(h.fake.identifies).toHaveLength(3);
    expect(h.recorder.texts().sort()).toEqual(['before', 'live, right after READY', 'missed']);
  });

  it('after a restart, fetches what known channels got while it was offline, in order', async () => {
    h = await startHarness();
    h.fake.pushMessage(ann, 'before');
    await h.fake.waitFor(() => h.recorder.stored.length === 1, 5000, 'first');
    await h.adapter.stop();
    // No session: Discord drops these dispatches; only the channel history has them.
    h.fake.pushMessage(ann, 'while offline 1');
    h.fake.pushMessage(ann, 'while offline 2');
    await h.restart();
    await h.fake.waitFor(() => h.recorder.stored.length === 3, 5000, 'caught up');
    expect(h.recorder.texts()).toEqual(['before', 'while offline 1', 'while offline 2']);
    const fetches = h.fake.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/messages'));
    expect(fetches.length).toBeGreaterThanOrEqual(1);
  });

  it('catches up a message that was never stored because the app stopped while the store failed', async () => {
    h = await startHarness();
    h.recorder.before = () => {
      throw new Error('store down');
    };
    h.fake.pushMessage(ben, 'lost?');
    await h.fake.waitFor(() => h.recorder.attempts.length >= 1, 5000, 'attempt');
    h.recorder.before = () => {};
    await h.restart();
    await h.fake.waitFor(() => h.recorder.stored.length === 1, 5000, 'stored after restart');
    expect(h.recorder.texts()).toEqual(['lost?']);
  });
});

describe('Discord start-up', () => {
  it('says when Discord refuses the token', async () => {
    h = await startHarness({}, { start: false });
    const bad = createDiscordAdapter({ token: 'bad.token.value', apiUrl: h.fake.apiUrl }, { log: silentLogger, state: h.state });
    await expect(bad.start(h.recorder.deliver)).rejects.toThrow(/refused DISCORD_BOT_TOKEN \(401/);
    await bad.stop();
  });

  it('says when the bot lacks the Message Content intent (gateway close 4014)', async () => {
    h = await startHarness({}, { start: false });
    h.fake.messageContentIntentEnabled = false;
    await expect(h.adapter.start(h.recorder.deliver)).rejects.toThrow(/disallowed intents.*Message Content intent/i);
  });

  it('starts while Discord is unreachable and connects once it answers', async () => {
    const probe = await FakeDiscordApi.start();
    const port = probe.port;
    await probe.close();
    const state = new MemoryState();
    const recorder = new RecordingDeliver();
    const adapter = createDiscordAdapter(
      { token: probe.token, apiUrl: `http://127.0.0.1:${port}/api`, retryDelayMs: 50, readyTimeoutMs: 2000 },
      { log: silentLogger, state },
    );
    await adapter.start(recorder.deliver);
    const fake = await FakeDiscordApi.start({ port });
    try {
      await fake.waitFor(() => fake.connected, 5000, 'late connection');
      fake.pushMessage(ann, 'are you there?');
      await fake.waitFor(() => recorder.stored.length === 1, 5000, 'message after the late connection');
      expect(recorder.texts()).toEqual(['are you there?']);
    } finally {
      await adapter.stop();
      await fake.close();
    }
  });
});
