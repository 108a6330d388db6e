import { describe, expect, it } from 'vitest';
import { assigned } from '../../../src/pipeline/rules/assigned.js';
import { DEFAULT_SLA_SETTINGS } from '../../../src/sla/settings.js';
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

  it('out of business hours, the reopened customer is told when the team is back, in their language', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: '又坏了', setup: [{ type: 'handoff' }], reopened: true });
      ctx.locale = 'zh';
      // NOW, Tuesday 10:00 UTC, is 18:00 in Shanghai: closed until Wednesday 09:00.
      ctx.sla = { ...DEFAULT_SLA_SETTINGS, timeZone: 'Asia/Shanghai', businessHours: 'mon-fri 09:00-18:00' };
      expect(await assigned(ctx)).toEqual({ kind: 'queued' });
      expect(await outgoing(r, ctx.conversation.id)).toEqual([
        '已为您转接人工客服。现在是非工作时间，客服将于 周三 09:00 (Asia/Shanghai) 回来，届时会在这里回复您。',
      ]);
    });
  });

  it('passes conversations the bot owns', async () => {
    expect(await store.tx(async (r) => assigned(await ruleContext(r, { text: 'hello' })))).toBeUndefined();
  });
});
