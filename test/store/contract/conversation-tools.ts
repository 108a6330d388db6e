import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { CannedResponseRow, ConversationRow } from '../../../src/store/ports.js';
import { fixtures, uid } from './fixtures.js';

export function conversationToolsContract(current: () => Store) {
  const f = fixtures(current);
  const agent = async () => {
    const row = { id: uid('agt'), name: uid('name'), role: 'agent' as const, createdAt: 1 };
    await f.tx((r) => r.agents.insert(row));
    return row;
  };

  describe('labels', () => {
    it('adds a label once, reads each conversation’s labels alphabetically, removes one', async () => {
      const a = await f.conversation();
      const b = await f.conversation();
      const add = (conversationId: string, label: string) =>
        f.tx((r) => r.labels.add({ conversationId, label, createdBy: 'system', createdAt: 5 }));
      expect(await add(a.id, 'refund')).toBe(true);
      expect(await add(a.id, 'complaint')).toBe(true);
      expect(await add(a.id, 'refund')).toBe(false);
      expect(await add(b.id, '退款')).toBe(true);
      const of = await f.tx((r) => r.labels.of([a.id, b.id, 'none']));
      expect(of.get(a.id)).toEqual(['complaint', 'refund']);
      expect(of.get(b.id)).toEqual(['退款']);
      expect(of.has('none')).toBe(false);
      expect(await f.tx((r) => r.labels.remove(a.id, 'refund'))).toBe(true);
      expect(await f.tx((r) => r.labels.remove(a.id, 'refund'))).toBe(false);
      expect((await f.tx((r) => r.labels.of([a.id]))).get(a.id)).toEqual(['complaint']);
      expect(await f.tx((r) => r.labels.of([]))).toEqual(new Map());
    });

    it('lists the conversations carrying a label, in list order, paged', async () => {
      const label = uid('lbl').toLowerCase();
      const mk = (waitingSince: number | null) => f.conversation({ status: 'queued', waitingSince });
      const early = await mk(100);
      const late = await mk(200);
      const none = await mk(null);
      await mk(150); // no label
      for (const c of [late, none, early]) await f.tx((r) => r.labels.add({ conversationId: c.id, label, createdBy: 'a', createdAt: 1 }));
      const list = (after?: ConversationRow, limit = 50) => f.tx((r) => r.conversations.list({ label, limit, after }));
      expect((await list()).map((c) => c.id)).toEqual([early.id, late.id, none.id]);
      expect((await list(undefined, 1)).map((c) => c.id)).toEqual([early.id]);
      expect((await list(early)).map((c) => c.id)).toEqual([late.id, none.id]);
      expect((await list(late)).map((c) => c.id)).toEqual([none.id]);
      expect(await f.tx((r) => r.conversations.list({ label: uid('unused'), limit: 50 }))).toEqual([]);
    });
  });

  describe('snooze', () => {
    it('filters lists by snoozed or not, and finds the snoozes due by a time, soonest first', async () => {
      const assignee = uid('agent');
      const awake = await f.conversation({ status: 'assigned', assigneeId: assignee, waitingSince: 1 });
      const soon = await f.conversation({ status: 'assigned', assigneeId: assignee, waitingSince: 2, snoozedUntil: 5_000 });
      const later = await f.conversation({ status: 'assigned', assigneeId: assignee, waitingSince: 3, snoozedUntil: 9_000 });
      const ids = (snoozed?: boolean) =>
        f.tx(async (r) => (await r.conversations.list({ assigneeId: assignee, snoozed, limit: 50 })).map((c) => c.id));
      expect(await ids(false)).toEqual([awake.id]);
      expect(await ids(true)).toEqual([soon.id, later.id]);
      expect(await ids(undefined)).toEqual([awake.id, soon.id, later.id]);
      const due = (now: number) =>
        f.tx(async (r) => (await r.conversations.snoozeDue(now, 1000)).filter((id) => [soon.id, later.id].includes(id)));
      expect(await due(4_999)).toEqual([]);
      expect(await due(5_000)).toEqual([soon.id]);
      expect(await due(10_000)).toEqual([soon.id, later.id]);
      await f.tx((r) => r.conversations.update(soon.id, { snoozedUntil: null, updatedAt: 6 }));
      expect(await due(10_000)).toEqual([later.id]);
      expect((await f.tx((r) => r.conversations.get(soon.id)))?.snoozedUntil).toBeNull();
    });
  });

  describe('participants', () => {
    it('adds an agent once, reads them per conversation, removes one, and the event feed carries them', async () => {
      const c = await f.conversation();
      const [x, y] = [await agent(), await agent()];
      const add = (agentId: string) => f.tx((r) => r.participants.add({ conversationId: c.id, agentId, addedBy: 'a', createdAt: 1 }));
      expect(await add(x.id)).toBe(true);
      expect(await add(x.id)).toBe(false);
      expect(await add(y.id)).toBe(true);
      expect((await f.tx((r) => r.participants.of([c.id]))).get(c.id)).toEqual([x.id, y.id].sort());
      const seq = await f.tx((r) => r.events.maxSeq());
      await f.tx((r) => r.events.append(c.id, { type: 'note', data: { messageId: 'm', agentId: x.id } }, 2));
      const feed = await f.tx((r) => r.events.feed(seq, 100));
      expect(feed.find((row) => row.event.conversationId === c.id)?.conversation?.participantIds).toEqual([x.id, y.id].sort());
      expect(await f.tx((r) => r.participants.remove(c.id, x.id))).toBe(true);
      expect(await f.tx((r) => r.participants.remove(c.id, x.id))).toBe(false);
      expect((await f.tx((r) => r.participants.of([c.id]))).get(c.id)).toEqual([y.id]);
    });
  });

  describe('canned responses', () => {
    it('inserts, reads, updates, finds by shortcut, locale and team, lists by prefix in pages, deletes', async () => {
      const p = uid('cn').toLowerCase();
      const row = (shortcut: string, patch: Partial<CannedResponseRow> = {}): CannedResponseRow => ({
        id: uid('can'),
        shortcut,
        text: `text of ${shortcut}`,
        locale: null,
        teamId: null,
        ownerId: 'agent-1',
        createdAt: 1,
        updatedAt: 1,
        ...patch,
      });
      const greet = row(`${p}greet`);
      const greetZh = row(`${p}greet`, { locale: 'zh', text: '您好 {{customer.name}}' });
      const refund = row(`${p}refund`, { teamId: 'billing' });
      const other = row(`${p.toUpperCase()}x%`);
      for (const r0 of [refund, greetZh, greet, other]) await f.tx((r) => r.canned.insert(r0));
      expect(await f.tx((r) => r.canned.get(greet.id))).toEqual(greet);
      expect(await f.tx((r) => r.canned.get('none'))).toBeUndefined();
      expect(await f.tx((r) => r.canned.find(greet.shortcut, null, null))).toEqual(greet);
      expect(await f.tx((r) => r.canned.find(greet.shortcut, 'zh', null))).toEqual(greetZh);
      expect(await f.tx((r) => r.canned.find(greet.shortcut, 'en', null))).toBeUndefined();
      expect(await f.tx((r) => r.canned.find(refund.shortcut, null, 'billing'))).toEqual(refund);
      expect(await f.tx((r) => r.canned.find(refund.shortcut, null, null))).toBeUndefined();

      const list = (prefix: string, after?: CannedResponseRow, limit = 50) =>
        f.tx(async (r) =>
          (await r.canned.list({ prefix, after: after && { shortcut: after.shortcut, id: after.id }, limit })).map((c) => c.id),
        );
      const greets = [greet, greetZh].sort((a, b) => (a.id < b.id ? -1 : 1)).map((c) => c.id);
      expect(await list(p)).toEqual([...greets, refund.id]);
      expect(await list(`${p}g`)).toEqual(greets);
      expect(await list(`${p}g`, undefined, 1)).toEqual([greets[0]]);
      expect(await list(p, greetZh.id === greets[1] ? greetZh : greet)).toEqual([refund.id]);
      // Prefixes compare exactly on both databases: case matters, and % is no wildcard.
      expect(await list(`${p}%`)).toEqual([]);
      expect(await list(`${p.toUpperCase()}x%`)).toEqual([other.id]);
      // By team: the given teams' and, when asked, the global ones.
      const support = row(`${p}ship`, { teamId: 'support' });
      await f.tx((r) => r.canned.insert(support));
      const byTeams = (ids: string[], global: boolean) =>
        f.tx(async (r) => (await r.canned.list({ prefix: p, teams: { ids, global }, limit: 50 })).map((c) => c.id));
      expect(await byTeams(['billing'], true)).toEqual([...greets, refund.id]);
      expect(await byTeams(['billing'], false)).toEqual([refund.id]);
      expect(await byTeams(['billing', 'support'], false)).toEqual([refund.id, support.id]);
      expect(await byTeams([], true)).toEqual(greets);
      expect(await byTeams([], false)).toEqual([]);
      await f.tx((r) => r.canned.delete(support.id));

      await f.tx((r) => r.canned.update(greet.id, { text: 'Hello {{customer.name}}', updatedAt: 7 }));
      expect(await f.tx((r) => r.canned.get(greet.id))).toEqual({ ...greet, text: 'Hello {{customer.name}}', updatedAt: 7 });
      expect(await f.tx((r) => r.canned.delete(greet.id))).toBe(true);
      expect(await f.tx((r) => r.canned.delete(greet.id))).toBe(false);
      expect(await list(`${p}g`)).toEqual([greetZh.id]);
    });
  });
}
