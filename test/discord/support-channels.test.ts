/**
 * DISCORD_SUPPORT_CHANNELS through the fake with the real discord.js client: a customer's post in
 * a support channel opens a thread started from it, the conversation lives in that thread, and a
 * second customer gets a thread of their own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ann, ben, reply, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('Discord support channels', () => {
  it('a post opens a thread for its customer; replies and later messages stay in it; a second customer gets their own', async () => {
    h = await startHarness({}, { start: false });
    const { channelId } = h.fake.guildChannel('help');
    const other = h.fake.guildChannel('general').channelId;
    await h.restartWith({ supportChannels: [channelId] });

    const post = h.fake.pushMessage(ann, 'My parcel never arrived', { channelId });
    await h.fake.waitFor(() => h.recorder.stored.length === 1, 5000, 'post stored');
    const [thread] = h.fake.threadsOf(channelId);
    expect(thread).toEqual({ id: post.id, name: 'Support: Ann K' });
    expect(h.recorder.stored[0]).toMatchObject({ externalMessageId: post.id, threadKey: thread!.id, text: 'My parcel never arrived' });

    await h.adapter.send(
      reply(thread!.id, 'Sorry to hear that — which order number?', { author: 'bot', replyTo: { externalMessageId: post.id } }),
    );
    expect(h.fake.sentTo(thread!.id).map((m) => m.content)).toEqual(['Sorry to hear that — which order number?']);
    expect(h.fake.sentTo(channelId)).toHaveLength(0);

    // No mention needed inside the thread.
    h.fake.pushMessage(ann, 'It is #1234', { channelId: thread!.id });
    await h.fake.waitFor(() => h.recorder.stored.length === 2, 5000, 'thread message stored');
    expect(h.recorder.stored[1]).toMatchObject({ threadKey: thread!.id, text: 'It is #1234' });

    const second = h.fake.pushMessage(ben, 'Wrong size delivered', { channelId });
    await h.fake.waitFor(() => h.recorder.stored.length === 3, 5000, 'second post stored');
    const threads = h.fake.threadsOf(channelId);
    expect(threads.map((t) => t.id)).toEqual([post.id, second.id]);
    expect(h.recorder.stored[2]).toMatchObject({ threadKey: second.id, sender: { channelUserId: ben.id } });

    // Elsewhere in the server the bot still answers only when addressed.
    h.fake.pushMessage(ann, 'chatting in general', { channelId: other });
    h.fake.pushMessage(ann, 'last one in the thread', { channelId: thread!.id });
    await h.fake.waitFor(() => h.recorder.stored.length === 4, 5000, 'thread message after chatter');
    expect(h.recorder.texts()).not.toContain('chatting in general');
    expect(h.fake.threadsOf(other)).toHaveLength(0);
  });

  it('after a restart the threads are still known; without thread permissions the customer is answered in the channel', async () => {
    h = await startHarness({}, { start: false });
    const { channelId } = h.fake.guildChannel('help');
    await h.restartWith({ supportChannels: [channelId] });
    const post = h.fake.pushMessage(ann, 'Refund please', { channelId });
    await h.fake.waitFor(() => h.recorder.stored.length === 1, 5000, 'post stored');
    await h.restartWith({ supportChannels: [channelId] });
    h.fake.pushMessage(ann, 'Any news?', { channelId: post.id });
    await h.fake.waitFor(() => h.recorder.stored.length === 2, 5000, 'thread message after restart');
    expect(h.recorder.stored[1]).toMatchObject({ threadKey: post.id, text: 'Any news?' });

    h.fake.denyThreads.add(channelId);
    const denied = h.fake.pushMessage(ben, 'Hello?', { channelId });
    await h.fake.waitFor(() => h.recorder.stored.length === 3, 5000, 'post stored without a thread');
    expect(h.recorder.stored[2]).toMatchObject({ externalMessageId: denied.id, threadKey: channelId });
  });
});
