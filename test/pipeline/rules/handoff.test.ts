import { describe, expect, it } from 'vitest';
import { handoff } from '../../../src/pipeline/rules/handoff.js';
import { formatWait, formatWhen, holdingReply } from '../../../src/pipeline/replies.js';
import { compilePolicy } from '../../../src/sla/policy.js';
import { DEFAULT_TARGETS, type SlaSettings } from '../../../src/sla/settings.js';
import { usualFirstResponseMs } from '../../../src/sla/usual-wait.js';
import { seedConversation, useMemoryStore } from '../../support/memory-store.js';
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

describe('rule: hand-off tells the customer honestly what comes next (business hours)', () => {
  const store = useMemoryStore();
  const targets = DEFAULT_TARGETS;
  // NOW is Tuesday 2026-12-01 10:00 UTC: 18:00 in Shanghai, just closed there; mid-morning in UTC.
  const shanghai: SlaSettings = { timeZone: 'Asia/Shanghai', businessHours: 'mon-fri 09:00-18:00', holidays: [], targets };
  const london: SlaSettings = { timeZone: 'UTC', businessHours: 'mon-fri 09:00-18:00', holidays: [], targets };

  it('outside hours: when the team is back, in English and in Chinese, in the business zone named', async () => {
    await store.tx(async (r) => {
      const en = await ruleContext(r, { text: 'help' });
      en.sla = shanghai;
      await handoff(en);
      expect(await outgoing(r, en.conversation.id)).toEqual([
        "I've passed your message to our team. We're away right now; our team is back Wednesday 09:00 (Asia/Shanghai) and a person will reply here then.",
      ]);
      const zh = await ruleContext(r, { text: '人工' });
      zh.locale = 'zh';
      zh.sla = shanghai;
      await handoff(zh);
      expect(await outgoing(r, zh.conversation.id)).toEqual([
        '已为您转接人工客服。现在是非工作时间，客服将于 周三 09:00 (Asia/Shanghai) 回来，届时会在这里回复您。',
      ]);
    });
  });

  it('outside hours, with the customer’s time zone known: the time in it, named', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: 'help' });
      ctx.sla = shanghai;
      ctx.customerTimeZone = 'Europe/Berlin';
      await handoff(ctx);
      expect((await outgoing(r, ctx.conversation.id))[0]).toContain('back Wednesday 02:00 (Europe/Berlin)');
    });
  });

  it('outside hours over a holiday: the day after it, with its date when more than a few days away', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: 'help' });
      // Wed–Fri and the next Monday–Tuesday closed: back Wednesday 2026-12-09.
      ctx.sla = { ...shanghai, holidays: ['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08'] };
      await handoff(ctx);
      expect((await outgoing(r, ctx.conversation.id))[0]).toContain('back Wednesday 9 December 09:00 (Asia/Shanghai)');
      expect(formatWhen('zh', Date.parse('2026-12-09T01:00:00Z'), 'Asia/Shanghai', NOW)).toBe('12月9日 周三 09:00');
    });
  });

  it('in hours: how many are ahead, and no usual wait without a day of first responses', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: 'help' });
      ctx.sla = london;
      await handoff(ctx);
      expect(await outgoing(r, ctx.conversation.id)).toEqual([holdingReply('en', 0)]);
      expect(holdingReply('en', 0)).toBe("I've passed your message to our team. A person will reply here shortly.");
    });
  });

  it('in hours: the median first response of the last day, in business time, in both languages', async () => {
    await store.tx(async (r) => {
      // First answered in the last day after 20, 25 and 90 business minutes (all inside 09:00-18:00 UTC);
      // one answered 25 h ago does not count.
      for (const [startedAt, respondedAt] of [
        [NOW - 60 * 60_000, NOW - 40 * 60_000],
        [NOW - 50 * 60_000, NOW - 25 * 60_000],
        [NOW - 19 * 3_600_000, NOW - 19 * 3_600_000 + 90 * 60_000],
        [NOW - 26 * 3_600_000, NOW - 25 * 3_600_000],
      ] as const) {
        const c = await seedConversation(r, startedAt, [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }]);
        await r.conversations.update(c.id, { firstRespondedAt: respondedAt });
      }
      const queued = await ruleContext(r, { text: 'first', setup: [] });
      queued.sla = london;
      queued.now = NOW - 1000;
      await handoff(queued);
      const en = await ruleContext(r, { text: 'help' });
      en.sla = london;
      await handoff(en);
      expect(await outgoing(r, en.conversation.id)).toEqual([
        "I've passed your message to our team; 1 customer is ahead of you. The usual wait is about 25 minutes; a person will reply here.",
      ]);
      const zh = await ruleContext(r, { text: '人工' });
      zh.locale = 'zh';
      zh.sla = london;
      zh.now = NOW + 1000;
      await handoff(zh);
      expect(await outgoing(r, zh.conversation.id)).toEqual([
        '已为您转接人工客服，前面还有 2 位客户在等待，通常等待约 25 分钟。客服人员会在这里回复您，请稍候。',
      ]);
    });
  });

  it('counts the usual wait in business time: a reply after the weekend is not a two-day wait', async () => {
    await store.tx(async (r) => {
      const c = await seedConversation(r, NOW - 20 * 3_600_000, [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }]);
      // Handed off at 14:00 UTC yesterday, answered today at 09:30: 4 h yesterday + 30 min today.
      await r.conversations.update(c.id, { firstRespondedAt: NOW - 30 * 60_000 });
      const policy = compilePolicy(london);
      const wait = await usualFirstResponseMs(r, policy, NOW);
      expect(wait).toBe(4.5 * 3_600_000);
      expect(formatWait('en', wait!)).toBe('about 4.5 hours');
      expect(formatWait('zh', 60_000)).toBe('约 1 分钟');
    });
  });
});
