import { afterEach, describe, expect, it } from 'vitest';
import { sendError } from '../support/send-error.js';
import { alice, reply, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('Telegram send', () => {
  it('escapes markup characters, so the customer sees exactly what was written', async () => {
    h = await startHarness({}, { start: false });
    h.fake.pushMessage(alice, { text: 'hi' });
    const text = 'Use code *SAVE_10* at <checkout> & pay [now](later). 1 + 1 = 2! &amp; stays &amp;';
    const { externalId } = await h.adapter.send(reply(text));
    const [sent] = h.fake.sentTo(alice.id);
    expect(sent).toMatchObject({ shown: text, parse_mode: 'HTML' });
    expect(externalId).toBe(`${alice.id}:${sent!.message_id}`);
  });

  it('renders **bold**, `code` and links from FAQ answers instead of showing the asterisks', async () => {
    h = await startHarness({}, { start: false });
    h.fake.pushMessage(alice, { text: 'hi' });
    await h.adapter.send(reply('Go to **My account → Orders**, enter `SAVE10` or see [our terms](https://shop.example/terms?a=1&b="2").'));
    const [sent] = h.fake.sentTo(alice.id);
    expect(sent!.text).toBe(
      'Go to <b>My account → Orders</b>, enter <code>SAVE10</code> or see <a href="https://shop.example/terms?a=1&amp;b=&quot;2&quot;">our terms</a>.',
    );
    expect(sent!.shown).toBe('Go to My account → Orders, enter SAVE10 or see our terms.');
  });

  it('falls back to plain text when Telegram cannot parse the markup', async () => {
    h = await startHarness({}, { start: false });
    h.fake.pushMessage(alice, { text: 'hi' });
    h.fake.failNext({
      method: 'sendMessage',
      error_code: 400,
      description: 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 3',
    });
    await h.adapter.send(reply('See **Returns**.'));
    expect(h.fake.sentTo(alice.id).map((s) => [s.shown, s.parse_mode])).toEqual([['See **Returns**.', undefined]]);
  });

  it("quotes the customer's message only when other messages came after it", async () => {
    h = await startHarness();
    const question = h.fake.pushMessage(alice, { text: 'How do I return an item?' });
    await h.fake.waitFor(() => h.recorder.stored.length === 1, 5000, 'question stored');
    const replyTo = { externalMessageId: `${alice.id}:${question.message!.message_id}` };
    await h.adapter.send(reply('Directly below the question: no quote needed.', { replyTo }));
    await h.adapter.send(reply('Later, after other messages: quoted.', { replyTo }));
    await h.adapter.send(
      reply('A message from another chat is never quoted.', { replyTo: { externalMessageId: `555:${question.message!.message_id}` } }),
    );
    const sent = h.fake.sentTo(alice.id);
    expect(sent.map((s) => s.reply_to_message_id)).toEqual([undefined, question.message!.message_id, undefined]);
  });

  it('always quotes in a group, where several people talk', async () => {
    h = await startHarness();
    const group = { id: -100777, type: 'supergroup' as const, title: 'Customers' };
    const question = h.fake.pushMessage(alice, {
      chat: group,
      text: '@switchboard_support_bot hours?',
      entities: [{ type: 'mention', offset: 0, length: 24 }],
    });
    await h.fake.waitFor(() => h.recorder.stored.length === 1, 5000, 'question stored');
    await h.adapter.send(
      reply('9 to 5.', { threadKey: String(group.id), replyTo: { externalMessageId: `${group.id}:${question.message!.message_id}` } }),
    );
    expect(h.fake.sentTo(group.id)[0]?.reply_to_message_id).toBe(question.message!.message_id);
  });

  it('still sends when the quoted message was deleted', async () => {
    h = await startHarness({}, { start: false });
    h.fake.pushMessage(alice, { text: 'hi' });
    await h.adapter.send(reply('Answer', { replyTo: { externalMessageId: `${alice.id}:9999` } }));
    expect(h.fake.sentTo(alice.id).map((s) => s.shown)).toEqual(['Answer']);
  });

  it('splits a reply longer than 4096 characters into parts that each fit', async () => {
    h = await startHarness({}, { start: false });
    h.fake.pushMessage(alice, { text: 'hi' });
    const paragraph = 'Our returns policy in detail. '.repeat(60).trim();
    const text = Array.from({ length: 4 }, () => paragraph).join('\n\n');
    expect(text.length).toBeGreaterThan(4096);
    await h.adapter.send(reply(text));
    const sent = h.fake.sentTo(alice.id);
    expect(sent.length).toBe(2);
    expect(sent.every((s) => s.shown.length <= 4096)).toBe(true);
    expect(sent.map((s) => s.shown).join('\n\n')).toBe(text);
  });

  it('resumes a split reply after a failure without resending the parts already delivered', async () => {
    h = await startHarness({}, { start: false });
    h.fake.pushMessage(alice, { text: 'hi' });
    const text = `${'a'.repeat(4000)}\n\n${'b'.repeat(4000)}`;
    const message = reply(text);
    // The first part goes through; the second hits an outage.
    h.fake.failNext({ method: 'sendMessage', error_code: 500, description: 'Internal Server Error', after: 1 });
    expect(await sendError(h.adapter.send(message))).toMatchObject({ retryable: true });
    const { externalId } = await h.adapter.send(message);
    const sent = h.fake.sentTo(alice.id);
    expect(externalId).toBe(`${alice.id}:${sent[0]!.message_id}`);
    expect(h.fake.sentTo(alice.id).map((s) => s.text[0])).toEqual(['a', 'b']);
  });

  it('maps 429 to a retryable error carrying retry_after', async () => {
    h = await startHarness({}, { start: false });
    h.fake.pushMessage(alice, { text: 'hi' });
    h.fake.failNext({
      method: 'sendMessage',
      error_code: 429,
      description: 'Too Many Requests: retry after 7',
      parameters: { retry_after: 7 },
    });
    const err = await sendError(h.adapter.send(reply('x')));
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 7000, code: 'telegram_rate_limited' });
  });

  it('maps 5xx and network failures to retryable errors', async () => {
    h = await startHarness({}, { start: false });
    h.fake.pushMessage(alice, { text: 'hi' });
    h.fake.failNext({ method: 'sendMessage', error_code: 502, description: 'Bad Gateway' });
    expect(await sendError(h.adapter.send(reply('x')))).toMatchObject({ retryable: true, code: 'telegram_unavailable' });

    await h.fake.close();
    const err = await sendError(h.adapter.send(reply('x')));
    expect(err).toMatchObject({ retryable: true, code: 'telegram_unreachable' });
    expect(err.message).not.toContain(h.fake.token);
  });

  it('maps a blocked bot and an unknown chat to permanent errors', async () => {
    h = await startHarness({}, { start: false });
    h.fake.pushMessage(alice, { text: 'hi' });
    h.fake.block(alice.id);
    const blocked = await sendError(h.adapter.send(reply('x')));
    expect(blocked).toMatchObject({ retryable: false, code: 'telegram_forbidden' });
    expect(blocked.message).toContain('Forbidden: bot was blocked by the user');

    const unknown = await sendError(h.adapter.send(reply('x', { threadKey: '424242' })));
    expect(unknown).toMatchObject({ retryable: false, code: 'telegram_rejected' });
    expect(unknown.message).toContain('chat not found');
  });

  it('refuses an empty reply without calling Telegram', async () => {
    h = await startHarness({}, { start: false });
    expect(await sendError(h.adapter.send(reply('  \n ')))).toMatchObject({ retryable: false });
    expect(h.fake.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(0);
  });
});
