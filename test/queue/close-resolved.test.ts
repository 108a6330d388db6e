import { afterEach, describe, expect, it } from 'vitest';
import { closeResolved } from '../../src/queue/close-resolved.js';
import { QueueActions } from '../../src/queue/actions.js';
import { createAgent } from '../../src/queue/agents.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { loadFaq } from '../../src/faq/load-faq.js';
import { openStore, type Store } from '../../src/store/store.js';
import type { Clock } from '../../src/domain/clock.js';
import { SAMPLE_FAQ, tempDir } from '../support/app.js';

describe('resolved conversations close after the timeout', () => {
  let store: Store;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  afterEach(async () => {
    await store?.close();
    await dir?.rm();
  });

  it('closes only those resolved longer ago than the timeout; the next message starts a new bot conversation', async () => {
    dir = await tempDir();
    store = await openStore({ sqliteFile: `${dir.path}/db.sqlite` });
    let now = Date.parse('2026-11-23T10:00:00Z');
    const clock: Clock = { now: () => new Date(now) };
    const { matcher } = await loadFaq(SAMPLE_FAQ);
    const deps = { store, clock, faq: () => matcher, reopenWindowMs: 3_600_000 };
    const msg = (id: string, thread: string, text: string) => ({
      channel: 'webchat' as const,
      externalMessageId: id,
      threadKey: thread,
      sender: { channelUserId: thread },
      text,
      attachments: [],
      receivedAt: new Date(now),
    });
    const agentRow = await createAgent(store, clock, 'Ann').then(({ id }) => store.tx((r) => r.agents.get(id)));
    const actions = new QueueActions(store, clock);

    const old = await ingest(deps, msg('a1', 'old', 'human'));
    await actions.claim(agentRow!, old.conversationId);
    await actions.resolve(agentRow!, old.conversationId);
    now += 5 * 3_600_000;
    const recent = await ingest(deps, msg('b1', 'recent', 'human'));
    await actions.claim(agentRow!, recent.conversationId);
    await actions.resolve(agentRow!, recent.conversationId);
    now += 2 * 3_600_000;

    expect(await closeResolved(store, clock, 6 * 3_600_000)).toBe(1);
    const [a, b] = await store.tx(async (r) => [
      await r.conversations.get(old.conversationId),
      await r.conversations.get(recent.conversationId),
    ]);
    expect(a!.status).toBe('closed');
    expect(b!.status).toBe('resolved');

    const again = await ingest(deps, msg('a2', 'old', 'How do I return an item?'));
    expect(again.conversationId).not.toBe(old.conversationId);
    expect((await store.tx((r) => r.conversations.get(again.conversationId)))!.status).toBe('bot');
  });
});
