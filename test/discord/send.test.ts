import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../adapters/discord/index.js';
import { sendError } from '../support/send-error.js';
import { silentLogger } from '../../src/log.js';
import { ann, reply, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('Discord send (without start: any instance may send)', () => {
  it('splits at 2,000 characters, references the question on the first part, and never pings anyone else', async () => {
    h = await startHarness({}, { start: false });
    const question = h.fake.pushMessage(ann, 'Tell me everything about returns', { dispatch: false });
    const paragraph = 'Returns are free within 30 days. '.repeat(40).trim();
    const text = `@everyone <@&123> ${paragraph}\n\n${paragraph}\n\n${paragraph}`;
    const { externalId } = await h.adapter.send(reply(question.channel_id, text, { replyTo: { externalMessageId: question.id } }));

    const sent = h.fake.sentTo(question.channel_id);
    expect(sent.length).toBe(3);
    expect(sent.every((s) => s.content.length <= 2000)).toBe(true);
    expect(sent.map((s) => s.content).join('\n\n')).toBe(text);
    expect(sent.map((s) => s.message_reference?.message_id)).toEqual([question.id, undefined, undefined]);
    expect(sent.every((s) => s.allowed_mentions?.parse?.length === 0)).toBe(true);
    expect(externalId).toBe(sent[0]!.id);
  });

  it('still answers when the referenced message was deleted', async () => {
    h = await startHarness({}, { start: false });
    const dm = h.fake.dmChannel(ann);
    await h.adapter.send(reply(dm, 'Here is your answer.', { replyTo: { externalMessageId: '999999999999999999' } }));
    expect(h.fake.sentTo(dm).map((s) => s.content)).toEqual(['Here is your answer.']);
  });

  it('maps a 429 to a retryable error carrying retry_after', async () => {
    h = await startHarness({}, { start: false });
    const dm = h.fake.dmChannel(ann);
    h.fake.failNext({ method: 'POST', path: `/channels/${dm}/messages`, status: 429, retryAfter: 2 });
    const err = await sendError(h.adapter.send(reply(dm, 'hi')));
    expect(err).toMatchObject({ retryable: true, code: 'discord_rate_limited' });
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(2000);
    expect(h.fake.sentTo(dm)).toHaveLength(0);
  });

  it('waits out a short rate limit inside the send instead of failing it', async () => {
    h = await startHarness({}, { start: false });
    const dm = h.fake.dmChannel(ann);
    h.fake.failNext({ method: 'POST', path: `/channels/${dm}/messages`, status: 429, retryAfter: 0.3 });
    await h.adapter.send(reply(dm, 'hi'));
    const posts = h.fake.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(300);
    expect(h.fake.sentTo(dm)).toHaveLength(1);
  });

  it('maps server errors and an unreachable API to retryable errors', async () => {
    h = await startHarness({}, { start: false });
    const dm = h.fake.dmChannel(ann);
    h.fake.failNext({ method: 'POST', path: `/channels/${dm}/messages`, status: 502, message: 'Bad Gateway' });
    expect(await sendError(h.adapter.send(reply(dm, 'hi')))).toMatchObject({ retryable: true });
    // Port 9 (discard) on loopback: nothing listens there.
    const unreachable = createDiscordAdapter(
      { token: h.fake.token, apiUrl: 'http://127.0.0.1:9/api' },
      { log: silentLogger, state: h.state },
    );
    expect(await sendError(unreachable.send(reply(dm, 'hi')))).toMatchObject({ retryable: true, code: 'discord_unreachable' });
  });

  it('maps a user who does not accept DMs (50007) and an unknown channel to permanent errors', async () => {
    h = await startHarness({}, { start: false });
    const dm = h.fake.dmChannel(ann);
    h.fake.block(ann);
    const blocked = await sendError(h.adapter.send(reply(dm, 'hi')));
    expect(blocked).toMatchObject({ retryable: false, code: 'discord_forbidden' });
    expect(blocked.message).toMatch(/403 50007 Cannot send messages to this user/);
    expect(await sendError(h.adapter.send(reply('123456789012345678', 'hi')))).toMatchObject({
      retryable: false,
      message: expect.stringMatching(/10003 Unknown Channel/),
    });
    expect(await sendError(h.adapter.send(reply(dm, '   ')))).toMatchObject({ retryable: false });
  });

  it('after a failure in the middle of a long reply, a retry sends only the parts still missing', async () => {
    h = await startHarness({}, { start: false });
    const dm = h.fake.dmChannel(ann);
    const m = reply(dm, `${'a'.repeat(1500)}\n\n${'b'.repeat(1500)}\n\n${'c'.repeat(1500)}`);
    h.fake.failNext({ method: 'POST', path: `/channels/${dm}/messages`, status: 503, message: 'Service Unavailable', after: 1 });
    expect(await sendError(h.adapter.send(m))).toMatchObject({ retryable: true });
    expect(h.fake.sentTo(dm).map((s) => s.content[0])).toEqual(['a']);
    const { externalId } = await h.adapter.send(m);
    expect(h.fake.sentTo(dm).map((s) => s.content[0])).toEqual(['a', 'b', 'c']);
    // a, b (refused), b, c: the first part was not posted again.
    expect(h.fake.calls.filter((c) => c.method === 'POST')).toHaveLength(4);
    expect(externalId).toBe(h.fake.sentTo(dm)[0]!.id);
  });

  it('sends a part resent with the same outbox id only once (Discord enforces the nonce)', async () => {
    h = await startHarness({}, { start: false });
    const dm = h.fake.dmChannel(ann);
    const m = reply(dm, 'Your refund is on its way.');
    const a = await h.adapter.send(m);
    const b = await h.adapter.send(m);
    expect(b.externalId).toBe(a.externalId);
    expect(h.fake.sentTo(dm)).toHaveLength(1);
  });
});
