import { describe, expect, it } from 'vitest';
import type { ConversationEvent } from '../../src/domain/conversation.js';
import { ConflictError } from '../../src/domain/errors.js';
import { applyTransition, markAnswered } from '../../src/lifecycle/apply.js';
import { eventsOf, useMemoryStore, seedConversation } from '../support/memory-store.js';

const LIFECYCLE_KEYS = [
  'assigneeId',
  'csat',
  'lastAssigneeId',
  'resolvedAt',
  'status',
  'updatedAt',
  'waitingSince',
  // The SLA clock (src/sla/policy.ts) starts and ends with transitions.
  'slaStartedAt',
  'firstRespondedAt',
  'firstResponseBreachedAt',
  'resolutionBreachedAt',
];
const T0 = Date.parse('2026-12-01T09:00:00Z');
const T1 = T0 + 60_000;

describe('the lifecycle writer', () => {
  const store = useMemoryStore();

  // From a state reached by `setup`, `event` leads to `expected` — and writes it the same way every time.
  const cases: { name: string; setup: ConversationEvent[]; event: ConversationEvent; expected: Record<string, unknown> }[] = [
    {
      name: 'handoff',
      setup: [],
      event: { type: 'handoff' },
      expected: { status: 'queued', assigneeId: null, waitingSince: T1, resolvedAt: null },
    },
    {
      name: 'claim',
      setup: [{ type: 'handoff' }],
      event: { type: 'claim', agentId: 'ann' },
      expected: { status: 'assigned', assigneeId: 'ann', lastAssigneeId: 'ann', waitingSince: T0 },
    },
    {
      name: 'release',
      setup: [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }],
      event: { type: 'release' },
      expected: { status: 'queued', assigneeId: null, lastAssigneeId: 'ann', waitingSince: T1 },
    },
    {
      name: 'transfer',
      setup: [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }],
      event: { type: 'transfer', agentId: 'bo' },
      expected: { status: 'assigned', assigneeId: 'bo', lastAssigneeId: 'bo', waitingSince: T0 },
    },
    {
      name: 'resolve',
      setup: [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }],
      event: { type: 'resolve' },
      expected: { status: 'resolved', assigneeId: 'ann', resolvedAt: T1, waitingSince: null },
    },
    {
      name: 'reopen to the agent',
      setup: [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }, { type: 'resolve' }],
      event: { type: 'reopen', agentId: 'ann' },
      expected: { status: 'assigned', assigneeId: 'ann', resolvedAt: null, waitingSince: T1 },
    },
    {
      name: 'reopen to the queue',
      setup: [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }, { type: 'resolve' }],
      event: { type: 'reopen', agentId: null },
      expected: { status: 'queued', assigneeId: null, lastAssigneeId: 'ann', resolvedAt: null, waitingSince: T1 },
    },
    {
      name: 'close',
      setup: [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }, { type: 'resolve' }],
      event: { type: 'close' },
      expected: { status: 'closed', assigneeId: 'ann', resolvedAt: T0, csat: null },
    },
  ];

  for (const { name, setup, event, expected } of cases) {
    it(`${name}: writes exactly the lifecycle fields and one status event`, async () => {
      const before = await store.tx((r) => seedConversation(r, T0, setup));
      const eventsBefore = await store.tx((r) => eventsOf(r, before.id));
      const returned = await store.tx(async (r) =>
        applyTransition(r, (await r.conversations.get(before.id, { lock: true }))!, event, { by: 'agent-9', now: T1 }),
      );
      const after = (await store.tx((r) => r.conversations.get(before.id)))!;

      expect(returned).toEqual(after);
      expect(after).toMatchObject({ ...expected, updatedAt: T1 });
      const changed = Object.keys(after).filter((k) => after[k as keyof typeof after] !== before[k as keyof typeof before]);
      expect(changed.every((k) => LIFECYCLE_KEYS.includes(k))).toBe(true);

      const added = (await store.tx((r) => eventsOf(r, before.id))).slice(eventsBefore.length);
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({
        type: 'status',
        createdAt: T1,
        data: { status: after.status, assigneeId: after.assigneeId, action: event.type, by: 'agent-9' },
      });
    });
  }

  it('opening writes the bot state and an open event by the customer', async () => {
    const c = await store.tx((r) => seedConversation(r, T0));
    expect(c).toMatchObject({
      status: 'bot',
      assigneeId: null,
      lastAssigneeId: null,
      waitingSince: null,
      resolvedAt: null,
      csat: null,
      createdAt: T0,
      updatedAt: T0,
    });
    const events = await store.tx((r) => eventsOf(r, c.id));
    expect(events.map((e) => e.data)).toEqual([{ status: 'bot', assigneeId: null, action: 'open', by: 'customer' }]);
  });

  it('a close with a rating records it in the same write', async () => {
    const c = await store.tx((r) => seedConversation(r, T0, [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }, { type: 'resolve' }]));
    const closed = await store.tx((r) => applyTransition(r, c, { type: 'close' }, { by: 'customer', now: T1, csat: 4 }));
    expect(closed).toMatchObject({ status: 'closed', csat: 4 });
    expect((await store.tx((r) => r.conversations.get(c.id)))!.csat).toBe(4);
  });

  it('the hand-off team and locale are written with the transition', async () => {
    const c = await store.tx((r) => seedConversation(r, T0));
    await store.tx((r) => applyTransition(r, c, { type: 'handoff' }, { by: 'customer', now: T1, also: { team: 'billing', locale: 'zh' } }));
    expect(await store.tx((r) => r.conversations.get(c.id))).toMatchObject({ status: 'queued', team: 'billing', locale: 'zh' });
  });

  it('a refused transition writes nothing; claiming what one holds writes nothing either', async () => {
    const c = await store.tx((r) => seedConversation(r, T0));
    await expect(store.tx((r) => applyTransition(r, c, { type: 'close' }, { by: 'x', now: T1 }))).rejects.toBeInstanceOf(ConflictError);
    expect(await store.tx((r) => r.conversations.get(c.id))).toEqual(c);

    const held = await store.tx((r) => seedConversation(r, T0, [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }]));
    const count = (await store.tx((r) => eventsOf(r, held.id))).length;
    const again = await store.tx((r) => applyTransition(r, held, { type: 'claim', agentId: 'ann' }, { by: 'ann', now: T1 }));
    expect(again).toEqual(held);
    expect(await store.tx((r) => eventsOf(r, held.id))).toHaveLength(count);
  });

  it('an agent answering ends the wait without a status event', async () => {
    const c = await store.tx((r) => seedConversation(r, T0, [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }]));
    const count = (await store.tx((r) => eventsOf(r, c.id))).length;
    await store.tx((r) => markAnswered(r, c, T1));
    const answered = (await store.tx((r) => r.conversations.get(c.id)))!;
    expect(answered.waitingSince).toBeNull();
    // The first reply meets the first-response target; a later one does not move it.
    expect(answered).toMatchObject({ slaStartedAt: T0, firstRespondedAt: T1 });
    await store.tx((r) => markAnswered(r, answered, T1 + 5));
    expect((await store.tx((r) => r.conversations.get(c.id)))!.firstRespondedAt).toBe(T1);
    expect(await store.tx((r) => eventsOf(r, c.id))).toHaveLength(count);
  });

  it('a hand-off or a reopen to a person starts the SLA clock afresh; a release keeps it; back to the bot ends it', async () => {
    const c = await store.tx((r) => seedConversation(r, T0, [{ type: 'handoff' }, { type: 'claim', agentId: 'ann' }]));
    expect(c).toMatchObject({ slaStartedAt: T0, firstRespondedAt: null });
    await store.tx((r) => r.conversations.update(c.id, { firstRespondedAt: T0 + 1, firstResponseBreachedAt: T0 + 2 }));
    const marked = (await store.tx((r) => r.conversations.get(c.id)))!;
    const released = await store.tx((r) => applyTransition(r, marked, { type: 'release' }, { by: 'ann', now: T1 }));
    expect(released).toMatchObject({ slaStartedAt: T0, firstRespondedAt: T0 + 1, firstResponseBreachedAt: T0 + 2 });
    const resolved = await store.tx((r) => applyTransition(r, released, { type: 'resolve' }, { by: 'ann', now: T1 }));
    const reopened = await store.tx((r) => applyTransition(r, resolved, { type: 'reopen' }, { by: 'customer', now: T1 + 10 }));
    expect(reopened).toMatchObject({ status: 'queued', slaStartedAt: T1 + 10, firstRespondedAt: null, firstResponseBreachedAt: null });
    const again = await store.tx(async (r) => {
      const x = await applyTransition(r, reopened, { type: 'resolve' }, { by: 'ann', now: T1 + 20 });
      const closed = await applyTransition(r, x, { type: 'close' }, { by: 'system', now: T1 + 30 });
      return applyTransition(r, closed, { type: 'reopen' }, { by: 'customer', now: T1 + 40 });
    });
    expect(again).toMatchObject({ status: 'bot', slaStartedAt: null, firstRespondedAt: null, resolutionBreachedAt: null });
    expect(await store.tx((r) => r.conversations.get(c.id))).toEqual(again);
  });
});
