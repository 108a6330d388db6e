import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Store } from '../../../src/store/store.js';
import type { IdentityRow, SearchRequest } from '../../../src/store/ports.js';
import { parseQuery } from '../../../src/domain/search-text.js';
import { fixtures, uid } from './fixtures.js';

/** A word no other test's rows contain: letters and digits only, so it is one search term. */
const word = () => uid('w').replaceAll('-', '');

export function searchContract(current: () => Store) {
  const f = fixtures(current);
  const find = (q: string, more: Partial<SearchRequest> = {}) =>
    f.tx((r) =>
      r.search.search({ terms: parseQuery(q).terms, kinds: ['message', 'note', 'customer'], viewerId: null, limit: 50, ...more }),
    );
  const ids = async (q: string, more: Partial<SearchRequest> = {}) => (await find(q, more)).map((h) => h.id);

  describe('search', () => {
    it('indexes messages and notes as they are inserted, English and Chinese (two-character queries too)', async () => {
      const c = await f.conversation();
      const w = word();
      const zh = await f.message(c, { text: `我想退货 ${w}` });
      const en = await f.message(c, { text: `Where is my PARCEL ${w}?` });
      const note = await f.message(c, { text: `courier lost the parcel ${w}`, direction: 'internal', author: 'agent', agentId: 'a1' });
      expect(await ids(`退货 ${w}`)).toEqual([zh.id]);
      expect(await ids(`想退货 ${w}`)).toEqual([zh.id]);
      expect(await ids(`货退 ${w}`)).toEqual([]);
      expect((await ids(`parcel ${w}`)).sort()).toEqual([en.id, note.id].sort());
      expect(await ids(`parcel ${w}`, { kinds: ['note'] })).toEqual([note.id]);
      const hit = (await find(`${w} parc`, { kinds: ['message'] }))[0];
      expect(hit).toMatchObject({ id: en.id, kind: 'message', conversationId: c.id, customerId: c.customerId, createdAt: 1_000 });
      expect(await find('')).toEqual([]);
    });

    it('ranks the more relevant first, ties by id, and pages after the last hit', async () => {
      const c = await f.conversation();
      const w = word();
      const filler = await Promise.all(Array.from({ length: 6 }, () => f.message(c, { text: `nothing to see ${word()}` })));
      expect(filler).toHaveLength(6);
      const weak = await f.message(c, {
        text: `a long message that mentions ${w} only once among many other words about orders and parcels`,
      });
      const strong = await f.message(c, { text: `${w} ${w} ${w}` });
      const hits = await find(w);
      expect(hits.map((h) => h.id)).toEqual([strong.id, weak.id]);
      expect(hits[0]!.score).toBeLessThan(hits[1]!.score);
      const next = await find(w, { limit: 1, after: { score: hits[0]!.score, id: hits[0]!.id } });
      expect(next.map((h) => h.id)).toEqual([weak.id]);
    });

    it('scopes to what an agent may see: unassigned and their own; null (an admin) sees all', async () => {
      const w = word();
      const open = await f.conversation({ status: 'queued' });
      const mine = await f.conversation({ status: 'assigned', assigneeId: 'agent-a' });
      const theirs = await f.conversation({ status: 'assigned', assigneeId: 'agent-b' });
      const [m1, m2, m3] = [await f.message(open, { text: w }), await f.message(mine, { text: w }), await f.message(theirs, { text: w })];
      expect((await ids(w, { viewerId: 'agent-a' })).sort()).toEqual([m1.id, m2.id].sort());
      expect((await ids(w)).sort()).toEqual([m1.id, m2.id, m3.id].sort());
    });

    it('drops redacted text from the index and hides an erased customer’s documents at once', async () => {
      const w = word();
      const c = await f.conversation();
      await f.message(c, { text: `${w} one` });
      await f.message(c, { text: `${w} two` });
      expect(await ids(w)).toHaveLength(2);
      await f.tx((r) => r.messages.redact(c.id, { externalIds: false, limit: 1 }));
      expect(await ids(w)).toHaveLength(1);
      await f.tx((r) => r.customers.update(c.customerId, { erasedAt: 5 }));
      expect(await ids(w)).toEqual([]);
      await f.tx((r) => r.messages.redact(c.id, { externalIds: false, limit: 10 }));
      await f.tx((r) => r.customers.update(c.customerId, { erasedAt: null }));
      expect(await ids(w)).toEqual([]);
    });

    it('indexes customers by name, email and handles, following every change', async () => {
      const w = word();
      const c = await f.customer({ displayName: `Grace ${w}`, email: `grace.${w}@example.com` });
      expect(await ids(`grace ${w}`)).toEqual([c.id]);
      expect(await ids(`grace.${w}@example.com`, { kinds: ['customer'] })).toEqual([c.id]);
      const handle = word();
      const identity: IdentityRow = {
        id: uid('idn'),
        customerId: c.id,
        channel: 'telegram',
        channelUserId: uid('tg'),
        displayName: null,
        username: handle,
        createdAt: 1,
      };
      await f.tx((r) => r.customers.insertIdentity(identity));
      expect(await ids(handle)).toEqual([c.id]);
      await f.tx((r) => r.customers.updateIdentity(identity.id, { username: null }));
      expect(await ids(handle)).toEqual([]);
      const renamed = word();
      expect(await ids(renamed)).toEqual([]);
      await f.tx((r) => r.customers.update(c.id, { displayName: `Someone ${renamed}` }));
      expect(await ids(renamed)).toEqual([c.id]);
      expect(await ids(w)).toEqual([c.id]);
      await f.tx((r) => r.customers.update(c.id, { mergedInto: 'other' }));
      expect(await ids(w)).toEqual([]);
      await f.tx((r) => r.customers.update(c.id, { mergedInto: null }));
      expect(await ids(w)).toEqual([c.id]);
    });

    it('backfills messages not indexed yet, in pages after an id', async () => {
      const w = word();
      const c = await f.conversation();
      const a = await f.message(c, { text: w });
      const b = await f.message(c, { text: w });
      await f.tx((r) => r.search.remove([a.id, b.id]));
      expect(await ids(w)).toEqual([]);
      const before = a.id.slice(0, -1);
      const last = await f.tx((r) => r.search.backfillMessages(before, 1));
      expect(last).toBe(a.id);
      expect(await ids(w)).toEqual([a.id]);
      await f.tx((r) => r.search.backfillMessages(last, 10));
      expect((await ids(w)).sort()).toEqual([a.id, b.id].sort());
      // Running it again changes nothing (documents are by id).
      await f.tx((r) => r.search.backfillMessages(before, 10));
      expect(await ids(w)).toHaveLength(2);
    });

    it('plans the search through the full-text index', async () => {
      const store = current();
      const pg = store.database.dialect === 'pg';
      const plan = await f.tx(async (r) => {
        // On a table this small PostgreSQL may rightly prefer reading it whole; with scans priced
        // out, the plan shows whether the GIN index can answer the query at all (an expression
        // that did not match the index's would leave only a scan).
        if (pg) await store.database.db.run(sql`set local enable_seqscan = off`);
        return (await r.search.explain({ terms: parseQuery('refund 退货').terms, kinds: ['message'], viewerId: 'a', limit: 10 })).join(
          '\n',
        );
      });
      if (pg) {
        expect(plan).toMatch(/Bitmap Index Scan on search_documents_terms/);
        expect(plan).not.toMatch(/Seq Scan on search_documents/);
      } else expect(plan).toMatch(/SCAN search_fts VIRTUAL TABLE INDEX/);
    });
  });

  describe('customers: lists, moves and merges', () => {
    it('lists unmerged customers newest first, paged before an id', async () => {
      const a = await f.customer();
      const b = await f.customer();
      const merged = await f.customer({ mergedInto: a.id });
      const c = await f.customer();
      const page = await f.tx((r) => r.customers.list({ limit: 2 }));
      expect(page.map((x) => x.id)).toEqual([c.id, b.id]);
      const next = await f.tx((r) => r.customers.list({ beforeId: b.id, limit: 1 }));
      expect(next.map((x) => x.id)).toEqual([a.id]);
      expect((await f.tx((r) => r.customers.list({ limit: 200 }))).map((x) => x.id)).not.toContain(merged.id);
    });

    it('moves identities and records merges until they are split', async () => {
      const into = await f.customer();
      const from = await f.customer();
      const identity: IdentityRow = {
        id: uid('idn'),
        customerId: from.id,
        channel: 'email',
        channelUserId: uid('mail'),
        displayName: null,
        username: null,
        createdAt: 1,
      };
      await f.tx((r) => r.customers.insertIdentity(identity));
      await f.tx((r) => r.customers.moveIdentities([identity.id], into.id));
      expect((await f.tx((r) => r.customers.identitiesOf(into.id))).map((i) => i.id)).toEqual([identity.id]);
      expect(await f.tx((r) => r.customers.identitiesOf(from.id))).toEqual([]);
      const row = {
        id: uid('mrg'),
        mergeId: uid('m'),
        intoId: into.id,
        fromId: from.id,
        identityId: identity.id,
        conversationIds: '["c1"]',
        by: 'a',
        at: 5,
        splitAt: null,
      };
      const later = { ...row, id: uid('mrg'), at: 6 };
      await f.tx(async (r) => {
        await r.customers.insertMerge(row);
        await r.customers.insertMerge(later);
      });
      expect(await f.tx((r) => r.customers.openMergeOf(identity.id))).toEqual(later);
      expect(await f.tx((r) => r.customers.mergesOf(from.id))).toEqual([row, later]);
      await f.tx((r) => r.customers.markSplit(later.id, 9));
      expect(await f.tx((r) => r.customers.openMergeOf(identity.id))).toEqual(row);
      expect(await f.tx((r) => r.customers.mergesOf(into.id))).toEqual([row]);
      expect(await f.tx((r) => r.customers.openMergeOf('no-such-identity'))).toBeUndefined();
    });
  });
}
