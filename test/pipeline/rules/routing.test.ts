import { describe, expect, it } from 'vitest';
import { route } from '../../../src/pipeline/rules/routing.js';
import { handoff } from '../../../src/pipeline/rules/handoff.js';
import type { Repos } from '../../../src/store/store.js';
import type { RoutingRuleRow } from '../../../src/store/ports.js';
import { useMemoryStore } from '../../support/memory-store.js';
import { ruleContext, NOW } from './context.js';

let n = 0;
async function teams(r: Repos, ...names: string[]) {
  for (const name of names) await r.teams.insert({ id: name.toLowerCase(), name, autoAssign: 0, createdAt: NOW });
}
async function rule(r: Repos, match: object, teamId: string, extra: Partial<RoutingRuleRow> = {}) {
  await r.routingRules.insert({
    id: `rule-${++n}`,
    match: JSON.stringify(match),
    channel: null,
    teamId,
    priority: null,
    createdAt: NOW + n,
    ...extra,
  });
}

describe('rule: routing of a hand-off', () => {
  const store = useMemoryStore();

  it('a regex rule routes, case-insensitively', async () => {
    await store.tx(async (r) => {
      await teams(r, 'Billing', 'General');
      await rule(r, { regex: '\\b(refund|charged? twice)\\b' }, 'billing');
      const ctx = await ruleContext(r, { text: 'I was CHARGED TWICE for my order' });
      expect(await route(ctx)).toEqual({ team: 'billing', priority: 'normal' });
      const other = await ruleContext(r, { text: 'where is my parcel' });
      expect(await route(other)).toEqual({ team: null, priority: 'normal' });
    });
  });

  it('keywords match in English (any case, full-width too) and in Chinese (no word breaks)', async () => {
    await store.tx(async (r) => {
      await teams(r, 'Billing', 'Shipping');
      await rule(r, { keywords: ['invoice', '发票'] }, 'billing');
      await rule(r, { keywords: ['快递', 'Parcel'] }, 'shipping');
      expect((await route(await ruleContext(r, { text: 'Need my INVOICE please' }))).team).toBe('billing');
      expect((await route(await ruleContext(r, { text: 'ｉｎｖｏｉｃｅ missing' }))).team).toBe('billing');
      expect((await route(await ruleContext(r, { text: '请给我开发票' }))).team).toBe('billing');
      expect((await route(await ruleContext(r, { text: '我的快递还没到' }))).team).toBe('shipping');
      expect((await route(await ruleContext(r, { text: 'my parcel is late' }))).team).toBe('shipping');
      expect((await route(await ruleContext(r, { text: '你好' }))).team).toBeNull();
    });
  });

  it('a channel filter limits a rule to its channel', async () => {
    await store.tx(async (r) => {
      await teams(r, 'Billing');
      await rule(r, { keywords: ['refund'] }, 'billing', { channel: 'email' });
      const webchat = await ruleContext(r, { text: 'refund please' });
      expect((await route(webchat)).team).toBeNull();
      const email = await ruleContext(r, { text: 'refund please' });
      email.message = { ...email.message, channel: 'email' };
      expect((await route(email)).team).toBe('billing');
    });
  });

  it('a rule’s priority raises the conversation’s priority, never lowers it, and the hand-off writes both', async () => {
    await store.tx(async (r) => {
      await teams(r, 'Billing');
      await rule(r, { keywords: ['fraud'] }, 'billing', { priority: 'urgent' });
      await rule(r, { keywords: ['late'] }, 'billing', { priority: 'low' });
      const raised = await ruleContext(r, { text: 'this is fraud' });
      expect(await handoff(raised)).toEqual({ kind: 'queued' });
      expect(await r.conversations.get(raised.conversation.id)).toMatchObject({ status: 'queued', team: 'billing', priority: 'urgent' });
      const kept = await ruleContext(r, { text: 'payment is late' });
      await r.conversations.update(kept.conversation.id, { priority: 'high' });
      kept.conversation = { ...kept.conversation, priority: 'high' };
      expect(await route(kept)).toEqual({ team: 'billing', priority: 'high' });
    });
  });

  it('order: an existing FAQ team first (by id or name), then rules, then the channel default, then the general queue', async () => {
    await store.tx(async (r) => {
      await teams(r, 'Care', 'Billing', 'General');
      await rule(r, { keywords: ['money'] }, 'billing');
      const faq = await ruleContext(r, { text: 'money' });
      faq.team = 'CARE';
      expect((await route(faq)).team).toBe('care');
      const unknownFaqTeam = await ruleContext(r, { text: 'money' });
      unknownFaqTeam.team = 'nobody';
      expect((await route(unknownFaqTeam)).team).toBe('billing');
      const byChannel = await ruleContext(r, { text: 'hello' });
      byChannel.defaultTeams = { webchat: 'General' };
      expect((await route(byChannel)).team).toBe('general');
      const none = await ruleContext(r, { text: 'hello' });
      none.defaultTeams = { email: 'general' };
      expect((await route(none)).team).toBeNull();
    });
  });

  it('before any team exists, an FAQ entry’s team is kept as written', async () => {
    await store.tx(async (r) => {
      const ctx = await ruleContext(r, { text: 'hi' });
      ctx.team = 'care';
      expect((await route(ctx)).team).toBe('care');
    });
  });

  it('a stored rule that no longer compiles matches nothing instead of failing the hand-off', async () => {
    await store.tx(async (r) => {
      await teams(r, 'Billing');
      await rule(r, { regex: '(' }, 'billing');
      expect((await route(await ruleContext(r, { text: '(' }))).team).toBeNull();
    });
  });
});
