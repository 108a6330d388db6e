import { afterEach, describe, expect, it } from 'vitest';
import { wakeSnoozed } from '../../src/queue/snooze.js';
import { ConversationTools } from '../../src/queue/tools.js';
import { createAgent } from '../../src/queue/agents.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { loadFaq } from '../../src/faq/load-faq.js';
import { openStore, type Store } from '../../src/store/store.js';
import { decodeEvent } from '../../src/domain/events.js';
import type { Clock } from '../../src/domain/clock.js';
import { SAMPLE_FAQ, tempDir } from '../support/app.js';

describe('snoozed conversations wake on the injected clock', () => {
  let store: Store;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  afterEach(async () => {
    await store?.close();
    await dir?.rm();
  });

  it('wakes each snooze once its time has come, with one event, and not before', async () => {
    dir = await tempDir();
    store = await openStore({ sqliteFile: `${dir.path}/db.sqlite` });
    let now = Date.parse('2026-11-23T10:00:00Z');
    const clock: Clock = { now: () => new Date(now) };
    const { matcher } = await loadFaq(SAMPLE_FAQ);
    const deps = { store, clock, faq: () => matcher, reopenWindowMs: 3_600_000 };
    const say = (id: string, thread: string) =>
      ingest(deps, {
        channel: 'webchat',
        externalMessageId: id,
        threadKey: thread,
        sender: { channelUserId: thread },
        text: 'hello',
        attachments: [],
        receivedAt: new Date(now),
      });
    const agent = await createAgent(store, clock, 'Ann').then(({ id }) => store.tx((r) => r.agents.get(id)));
    const tools = new ConversationTools(store, clock);
    const hour = await say('h1', 'hour');
    const day = await say('d1', 'day');
    await tools.snooze(agent!, hour.conversationId, now + 3_600_000);
    await tools.snooze(agent!, day.conversationId, now + 86_400_000);
    const snoozed = async () => (await store.read((r) => r.conversations.list({ snoozed: true, limit: 50 }))).map((c) => c.id);

    now += 3_600_000 - 1;
    expect(await wakeSnoozed(store, clock)).toBe(0);
    now += 1;
    expect(await wakeSnoozed(store, clock)).toBe(1);
    expect(await wakeSnoozed(store, clock)).toBe(0);
    expect(await snoozed()).toEqual([day.conversationId]);
    const events = (await store.read((r) => r.events.after(0, { conversationId: hour.conversationId, limit: 100 }))).map(decodeEvent);
    expect(events.filter((e) => e.type === 'snooze').map((e) => e.data)).toEqual([
      { action: 'snooze', until: Date.parse('2026-11-23T11:00:00Z'), by: agent!.id },
      { action: 'wake', until: null, by: 'system' },
    ]);

    now += 86_400_000;
    expect(await wakeSnoozed(store, clock)).toBe(1);
    expect(await snoozed()).toEqual([]);
  });
});
