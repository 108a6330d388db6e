import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { ConversationStatus } from '../../../src/domain/conversation.js';
import type { ConversationKey, ConversationRow, ListedRow } from '../../../src/store/ports.js';
import { fixtures, uid } from './fixtures.js';

export function conversationsContract(current: () => Store) {
  const f = fixtures(current);

  describe('conversations', () => {
    it('reads back what was inserted, and applies a partial update', async () => {
      const c = await f.conversation({ subject: 'Refund', waitingSince: 3, csat: null });
      expect(await f.tx((r) => r.conversations.get(c.id))).toEqual(c);
      expect(await f.tx((r) => r.conversations.get(c.id, { lock: true }))).toEqual(c);
      expect(await f.tx((r) => r.conversations.get('no-such-conversation'))).toBeUndefined();
      await f.tx((r) => r.conversations.update(c.id, { status: 'resolved', resolvedAt: 9, csat: 5, updatedAt: 9 }));
      expect(await f.tx((r) => r.conversations.get(c.id))).toEqual({ ...c, status: 'resolved', resolvedAt: 9, csat: 5, updatedAt: 9 });
    });

    it('finds the newest conversation of a thread', async () => {
      const thread = uid('thread');
      const old = await f.conversation({ threadKey: thread, createdAt: 10, status: 'closed' });
      const newer = await f.conversation({ threadKey: thread, createdAt: 20, customerId: old.customerId });
      await f.conversation({ threadKey: thread, channel: 'telegram', createdAt: 30, customerId: old.customerId });
      expect((await f.tx((r) => r.conversations.latestForThread('webchat', thread)))?.id).toBe(newer.id);
      expect(await f.tx((r) => r.conversations.latestForThread('discord', thread))).toBeUndefined();
    });

    it('finds the conversation holding any of some external message ids', async () => {
      const c = await f.conversation({ channel: 'email' });
      const ref = `<${uid('ref')}@example.com>`;
      await f.message(c, { externalId: ref });
      const found = (ids: string[], channel = 'email') => f.tx((r) => r.conversations.findByMessageExternalIds(channel, ids));
      expect(await found(['<unknown@example.com>', ref])).toBe(c.id);
      expect(await found([ref], 'webchat')).toBeUndefined();
      expect(await found(['<unknown@example.com>'])).toBeUndefined();
      expect(await found([])).toBeUndefined();
    });

    it('lists open conversations longest waiting first, filtered by status and assignee, paged after a row', async () => {
      const agent = uid('agent');
      const mk = (status: 'queued' | 'assigned' | 'closed' | 'resolved', waitingSince: number) =>
        f.conversation({ status, waitingSince, assigneeId: agent });
      const late = await mk('assigned', 300);
      const early = await mk('queued', 100);
      const closed = await mk('closed', 50);
      const resolved = await mk('resolved', 200);
      const list = (filter: { status?: ConversationStatus; after?: ConversationRow; limit?: number }) =>
        f.tx((r) => r.conversations.list({ assigneeId: agent, limit: filter.limit ?? 50, status: filter.status, after: filter.after }));
      expect((await list({})).map((c) => c.id)).toEqual([early.id, resolved.id, late.id]);
      expect((await list({ status: 'closed' })).map((c) => c.id)).toEqual([closed.id]);
      expect((await list({ status: 'queued' })).map((c) => c.id)).toEqual([early.id]);
      expect((await list({ limit: 1 })).map((c) => c.id)).toEqual([early.id]);
      expect((await list({ after: early })).map((c) => c.id)).toEqual([resolved.id, late.id]);
      expect((await list({ after: late })).map((c) => c.id)).toEqual([]);
      expect(await f.tx((r) => r.conversations.list({ assigneeId: uid('nobody'), limit: 50 }))).toEqual([]);
    });

    it('pages through every open conversation once, those nobody waits on last, stable while rows are added', async () => {
      const agent = uid('agent');
      // Far from other tests' waiting times, which share the database (countQueuedBefore counts them all).
      const T = 7_000_000_000_000;
      const mk = (status: ConversationStatus, waitingSince: number | null) =>
        f.conversation({ status, waitingSince: waitingSince === null ? null : T + waitingSince, assigneeId: agent });
      // Same waiting times across statuses, and several without one: ties break by id.
      const rows = [
        await mk('bot', null),
        await mk('queued', 10),
        await mk('assigned', 10),
        await mk('resolved', null),
        await mk('queued', 5),
        await mk('assigned', null),
        await mk('closed', 1),
      ];
      const expected = [rows[4]!, rows[1]!, rows[2]!, rows[0]!, rows[3]!, rows[5]!].map((c) => c.id);
      const seen: string[] = [];
      let after: ConversationRow | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await f.tx((r) => r.conversations.list({ assigneeId: agent, limit: 2, after }));
        if (page.length === 0) break;
        seen.push(...page.map((c) => c.id));
        after = page.at(-1);
        // A conversation that starts waiting earlier than this page is not seen, nor does it shift later pages.
        if (pages === 0) await mk('queued', 1);
      }
      expect(seen).toEqual(expected);
      // The queue alone, in order.
      const queued = await f.tx((r) => r.conversations.list({ assigneeId: agent, status: 'queued', limit: 10 }));
      expect(queued.map((c) => c.waitingSince! - T)).toEqual([1, 5, 10]);
    });

    it('lists each conversation with its last lines and customer card, in the same order and pages as list', async () => {
      const agent = uid('agent');
      const ada = await f.customer({ displayName: 'Ada', email: 'ada@example.com', locale: 'zh', notes: 'not shown' });
      // Far from other tests' waiting times, which share the database (countQueuedBefore counts them all).
      const T = 7_500_000_000_000;
      const mk = (patch: Partial<ConversationRow>) =>
        f.conversation({
          status: 'queued',
          assigneeId: agent,
          ...patch,
          waitingSince: patch.waitingSince == null ? null : T + patch.waitingSince,
        });
      const urgent = await mk({ priority: 'urgent', waitingSince: 50, customerId: ada.id });
      const first = await mk({ waitingSince: 10 });
      const second = await mk({ waitingSince: 20, customerId: ada.id });
      const never = await mk({ waitingSince: null });
      const low = await mk({ priority: 'low', waitingSince: 1 });
      const asked = await f.message(first, { text: 'where is my order?' });
      const answered = await f.message(first, { direction: 'out', author: 'bot', text: 'an agent will answer' });
      await f.message(first, { direction: 'internal', author: 'agent', text: 'a note' });
      await f.message(second, { direction: 'internal', author: 'agent', text: 'only a note' });
      // The customer wrote last, after the bot and a note: that is both lines.
      await f.message(urgent, { text: 'hello?' });
      await f.message(urgent, { direction: 'out', author: 'bot', text: 'an agent will answer' });
      const again = await f.message(urgent, { text: 'still waiting' });
      await f.message(low, { direction: 'out', author: 'bot', text: 'we are on it' });
      const line = (m: { text: string; author: string; createdAt: number }) => ({ text: m.text, author: m.author, createdAt: m.createdAt });

      const all = await f.tx((r) => r.conversations.listWithLines({ assigneeId: agent, status: 'queued', limit: 50 }));
      // The list's columns of list's rows.
      const shown = (rows: ConversationRow[]): ListedRow[] =>
        rows.map(
          ({ threadKey: _t, lastAssigneeId: _l, firstResponseBreachedAt: _f, resolutionBreachedAt: _r, redactedAt: _d, ...kept }) => kept,
        );
      expect(all.map((x) => x.row)).toEqual(
        shown(await f.tx((r) => r.conversations.list({ assigneeId: agent, status: 'queued', limit: 50 }))),
      );
      expect(all.map((x) => x.row.id)).toEqual([urgent.id, first.id, second.id, never.id, low.id]);
      const byId = new Map(all.map((x) => [x.row.id, x]));
      expect(byId.get(first.id)!.lines).toEqual({ last: line(answered), fromCustomer: line(asked) });
      expect(byId.get(second.id)!.lines).toEqual({ last: null, fromCustomer: null });
      expect(byId.get(urgent.id)!.lines).toEqual({ last: line(again), fromCustomer: line(again) });
      expect(byId.get(low.id)!.lines).toEqual({ last: { text: 'we are on it', author: 'bot', createdAt: 1_000 }, fromCustomer: null });
      // The same lines as lastLinesOf gives.
      const lines = await f.tx((r) => r.messages.lastLinesOf(all.map((x) => x.row.id)));
      for (const x of all) expect(x.lines, x.row.id).toEqual(lines.get(x.row.id) ?? { last: null, fromCustomer: null });
      expect(byId.get(urgent.id)!.customer).toEqual({ id: ada.id, displayName: 'Ada', email: 'ada@example.com', locale: 'zh' });
      expect(byId.get(second.id)!.customer).toEqual(byId.get(urgent.id)!.customer);
      expect(byId.get(first.id)!.customer?.id).toBe(first.customerId);

      // Pages of two, after the last row of the page before: the same rows as list's pages.
      const seen: string[] = [];
      let after: ConversationKey | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await f.tx((r) => r.conversations.listWithLines({ assigneeId: agent, status: 'queued', limit: 2, after }));
        expect(page.map((x) => x.row)).toEqual(
          shown(await f.tx((r) => r.conversations.list({ assigneeId: agent, status: 'queued', limit: 2, after }))),
        );
        if (page.length === 0) break;
        seen.push(...page.map((x) => x.row.id));
        after = page.at(-1)!.row;
      }
      expect(seen).toEqual(all.map((x) => x.row.id));
      // Every open status merged, as list merges them.
      const open = await f.tx((r) => r.conversations.listWithLines({ assigneeId: agent, limit: 3 }));
      expect(open.map((x) => x.row)).toEqual(shown(await f.tx((r) => r.conversations.list({ assigneeId: agent, limit: 3 }))));
    });

    it('names conversations resolved before a cutoff', async () => {
      const before = await f.conversation({ status: 'resolved', resolvedAt: 100 });
      const after = await f.conversation({ status: 'resolved', resolvedAt: 300 });
      const reopened = await f.conversation({ status: 'queued', resolvedAt: 100 });
      const ids = await f.tx((r) => r.conversations.resolvedBefore(200, 1000));
      expect(ids).toContain(before.id);
      expect(ids).not.toContain(after.id);
      expect(ids).not.toContain(reopened.id);
      expect(await f.tx((r) => r.conversations.resolvedBefore(200, 1))).toHaveLength(1);
    });

    it('counts queued conversations waiting since before a time', async () => {
      const count = (t: number) => f.tx((r) => r.conversations.countQueuedBefore(t));
      const base = await count(20);
      await f.conversation({ status: 'queued', waitingSince: 5 });
      await f.conversation({ status: 'queued', waitingSince: 15 });
      await f.conversation({ status: 'assigned', waitingSince: 5 });
      await f.conversation({ status: 'queued', waitingSince: 25 });
      expect(await count(20)).toBe(base + 2);
      expect(await count(10)).toBe((await count(20)) - 1);
    });
  });
}
