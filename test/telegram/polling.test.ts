import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { alice, bo, gate, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const getUpdatesOffsets = (h: Harness) =>
  h.fake.calls.filter((c) => c.method === 'getUpdates' && c.params.offset !== undefined).map((c) => Number(c.params.offset));

describe('Telegram long polling', () => {
  it('delivers a private message normalized, with sender identity and locale', async () => {
    h = await startHarness();
    const update = h.fake.pushMessage(alice, { text: '  Where is my   order? ' });
    await h.fake.waitFor(() => h.fake.pendingCount === 0, 5000, 'update confirmed');

    expect(h.recorder.stored).toHaveLength(1);
    const m = h.recorder.stored[0]!;
    expect(m).toMatchObject({
      channel: 'telegram',
      externalMessageId: `${alice.id}:${update.message!.message_id}`,
      threadKey: String(alice.id),
      text: 'Where is my order?',
      attachments: [],
      sender: { channelUserId: '1001', displayName: 'Alice Ng', username: 'alice', locale: 'en' },
      raw: { updateId: update.update_id, chatType: 'private' },
    });
    expect(m.receivedAt.getTime()).toBe(update.message!.date * 1000);
  });

  it('advances the offset past an update only after deliver resolved', async () => {
    h = await startHarness();
    const hold = gate();
    h.recorder.before = () => hold.promise;
    const update = h.fake.pushMessage(alice, { text: 'hello' });
    await h.fake.waitFor(() => h.recorder.attempts.length === 1, 5000, 'delivery attempt');
    // Give the poller every chance to confirm early: it must not.
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.pendingCount).toBe(1);
    expect(getUpdatesOffsets(h).every((o) => o <= update.update_id)).toBe(true);

    hold.open();
    await h.fake.waitFor(() => h.fake.pendingCount === 0, 5000, 'update confirmed');
    expect(getUpdatesOffsets(h)).toContain(update.update_id + 1);
    expect(h.recorder.stored).toHaveLength(1);
  });

  it('fetches an update again when storing it failed, and stores it once', async () => {
    h = await startHarness();
    h.recorder.failNext(2);
    h.fake.pushMessage(alice, { text: 'first try fails' });
    await h.fake.waitFor(() => h.fake.pendingCount === 0, 5000, 'update confirmed');
    expect(h.recorder.attempts).toHaveLength(3);
    expect(h.recorder.texts()).toEqual(['first try fails']);
  });

  it('handles chats concurrently but keeps the order within a chat', async () => {
    h = await startHarness();
    const hold = gate();
    h.recorder.before = (m) => (m.text === 'a1' ? hold.promise : undefined);
    h.fake.pushMessage(alice, { text: 'a1' });
    h.fake.pushMessage(alice, { text: 'a2' });
    h.fake.pushMessage(bo, { text: 'b1' });
    h.fake.pushMessage(bo, { text: 'b2' });

    // Bo's chat is not held up behind Alice's slow first message…
    await h.fake.waitFor(() => h.recorder.texts(String(bo.id)).length === 2, 5000, "Bo's messages");
    // …and Alice's second message waits for her first.
    expect(h.recorder.attempts.map((m) => m.text)).not.toContain('a2');

    hold.open();
    await h.fake.waitFor(() => h.fake.pendingCount === 0, 5000, 'all confirmed');
    expect(h.recorder.texts(String(alice.id))).toEqual(['a1', 'a2']);
    expect(h.recorder.texts(String(bo.id))).toEqual(['b1', 'b2']);
  });

  it('does not let a failing chat hold back another chat, nor reorder its own messages', async () => {
    h = await startHarness();
    let failuresLeft = 1;
    h.recorder.before = (m) => {
      if (m.text === 'a1' && failuresLeft-- > 0) throw new Error('disk full');
    };
    h.fake.pushMessage(alice, { text: 'a1' });
    h.fake.pushMessage(bo, { text: 'b1' });
    h.fake.pushMessage(alice, { text: 'a2' });
    await h.fake.waitFor(() => h.fake.pendingCount === 0, 5000, 'all confirmed');
    expect(h.recorder.texts(String(alice.id))).toEqual(['a1', 'a2']);
    expect(h.recorder.texts(String(bo.id))).toEqual(['b1']);
    const aliceAttempts = h.recorder.attempts.filter((m) => m.threadKey === String(alice.id)).map((m) => m.text);
    expect(aliceAttempts.indexOf('a2')).toBeGreaterThan(aliceAttempts.lastIndexOf('a1'));
  });

  it('acknowledges a message the pipeline rejects as invalid instead of retrying it forever', async () => {
    h = await startHarness();
    h.recorder.before = (m) => {
      if (m.text === 'bad') throw new ValidationError('text too long');
    };
    h.fake.pushMessage(alice, { text: 'bad' });
    h.fake.pushMessage(alice, { text: 'good' });
    await h.fake.waitFor(() => h.fake.pendingCount === 0, 5000, 'all confirmed');
    expect(h.recorder.attempts.map((m) => m.text)).toEqual(['bad', 'good']);
    expect(h.recorder.texts()).toEqual(['good']);
  });

  it('parks an update that keeps failing while others are stored, so chats behind it are not starved', async () => {
    h = await startHarness();
    h.recorder.before = (m) => {
      if (m.text === 'poison') throw new Error('cannot store this one');
    };
    const poison = h.fake.pushMessage(alice, { text: 'poison' });
    // More than one getUpdates page (100) behind the poison update.
    const others = Array.from({ length: 150 }, (_, i) => ({ id: 5000 + i, first_name: `C${i}` }));
    for (const u of others) h.fake.pushMessage(u, { text: `hello from ${u.id}` });
    h.fake.pushMessage(alice, { text: 'after the poison' });

    await h.fake.waitFor(() => h.fake.pendingCount === 0, 10_000, 'everything acknowledged');
    expect(h.recorder.stored).toHaveLength(151);
    expect(h.recorder.texts(String(alice.id))).toEqual(['after the poison']);
    const parked = h.state.values.get(`telegram:parked-update:${poison.update_id}`);
    expect(JSON.parse(parked!)).toMatchObject({ update_id: poison.update_id, message: { text: 'poison' } });
  });

  it('parks nothing while every update fails (the store is down), and stores them all once it is back', async () => {
    h = await startHarness();
    let outage = true;
    h.recorder.before = () => {
      if (outage) throw new Error('connection refused');
    };
    h.fake.pushMessage(alice, { text: 'a1' });
    h.fake.pushMessage(bo, { text: 'b1' });
    await h.fake.waitFor(() => h.recorder.attempts.length >= 12, 10_000, 'six failed rounds');
    outage = false;
    await h.fake.waitFor(() => h.fake.pendingCount === 0, 10_000, 'acknowledged after the outage');
    expect(h.recorder.texts().sort()).toEqual(['a1', 'b1']);
    expect([...h.state.values.keys()].filter((k) => k.includes('parked'))).toEqual([]);
  });

  it('gives a message Telegram sends twice the same external id, so it is stored once', async () => {
    h = await startHarness();
    const update = h.fake.pushMessage(alice, { text: 'twice' });
    await h.fake.waitFor(() => h.fake.pendingCount === 0, 5000, 'first confirmed');
    h.fake.duplicate(update);
    await h.fake.waitFor(() => h.fake.pendingCount === 0 && h.recorder.attempts.length === 2, 5000, 'second confirmed');
    expect(h.recorder.attempts[1]!.externalMessageId).toBe(h.recorder.attempts[0]!.externalMessageId);
    expect(h.recorder.stored).toHaveLength(1);
  });

  it('confirms the last offset on stop, so a restart does not fetch it again', async () => {
    h = await startHarness({ pollTimeoutSeconds: 5 });
    h.fake.pushMessage(alice, { text: 'just before shutdown' });
    await h.fake.waitFor(() => h.recorder.stored.length === 1, 5000, 'stored');
    await h.adapter.stop();
    expect(h.fake.pendingCount).toBe(0);
  });

  it('keeps polling after Telegram answers getUpdates with an error', async () => {
    h = await startHarness({}, { start: false });
    h.fake.failNext({ method: 'getUpdates', error_code: 502, description: 'Bad Gateway', times: 2 });
    await h.adapter.start(h.recorder.deliver);
    h.fake.pushMessage(alice, { text: 'after the outage' });
    await h.fake.waitFor(() => h.recorder.stored.length === 1, 5000, 'stored');
    expect(h.recorder.texts()).toEqual(['after the outage']);
  });

  it('refuses to start with a token Telegram does not know', async () => {
    h = await startHarness({ token: '42:WRONG' }, { start: false });
    await expect(h.adapter.start(h.recorder.deliver)).rejects.toThrow(/401 Unauthorized/);
  });
});
