import { describe, expect, it } from 'vitest';
import { assigned } from '../../../src/pipeline/rules/assigned.js';
import { useMemoryStore } from '../../support/memory-store.js';
import { outgoing, ruleContext } from './context.js';

describe('rule: assigned (a person or the queue owns it)', () => {
  const store = useMemoryStore();

  it('keeps the bot quiet while an agent holds the conversation', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, {
        text: 'How do I return an item?',
        setup: [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }],
      });
      expect(await assigned(ctx)).toEqual({ kind: 'quiet' });
      expect(await outgoing(r, ctx.conversation.id)).toEqual([]);
    });
  });

  it('a queued conversation stays queued and asks for a fresh draft, silently', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: 'anyone there?', setup: [{ type: 'handoff' }] });
      expect(await assigned(ctx)).toEqual({ kind: 'queued' });
      expect(await outgoing(r, ctx.conversation.id)).toEqual([]);
    });
  });

  it('tells a customer whose resolved conversation went back to the queue that a person will pick it up', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: 'it broke again', setup: [{ type: 'handoff' }], reopened: true });
      expect(await assigned(ctx)).toEqual({ kind: 'queued' });
      expect(await outgoing(r, ctx.conversation.id)).toHaveLength(1);
    });
  });

  it('passes conversations the bot owns', async () => {
    expect(await store.tx(async (r) => assigned(await ruleContext(r, { text: 'hello' })))).toBeUndefined();
  });
});
