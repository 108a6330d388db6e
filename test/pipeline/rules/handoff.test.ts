import { describe, expect, it } from 'vitest';
import { handoff } from '../../../src/pipeline/rules/handoff.js';
import { holdingReply } from '../../../src/pipeline/replies.js';
import { useMemoryStore } from '../../support/memory-store.js';
import { outgoing, ruleContext, NOW } from './context.js';

describe('rule: hand-off (the last rule)', () => {
  const store = useMemoryStore();

  it('queues the conversation with the team earlier rules chose and its locale, and says how many are ahead', async () => {
    await store.tx(async (r) => {
      const earlier = await ruleContext(r, { text: 'first' });
      await handoff(earlier);
      const ctx = await ruleContext(r, { text: '我的包裹在哪里' });
      ctx.locale = 'zh';
      ctx.team = 'billing';
      ctx.now = NOW + 1000;
      expect(await handoff(ctx)).toEqual({ kind: 'queued' });
      expect(await r.conversations.get(ctx.conversation.id)).toMatchObject({
        status: 'queued',
        team: 'billing',
        locale: 'zh',
        waitingSince: NOW + 1000,
      });
      expect(await outgoing(r, ctx.conversation.id)).toEqual([holdingReply('zh', 1)]);
    });
  });
});
