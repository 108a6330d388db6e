import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import type { MessageRow } from '../../../src/store/ports.js';
import { fixtures, uid } from './fixtures.js';

export function messagesContract(current: () => Store) {
  const f = fixtures(current);

  describe('messages', () => {
    it('inserts once per channel and external id, and finds a message by it', async () => {
      const c = await f.conversation();
      const ext = uid('ext');
      const first = await f.message(c, { externalId: ext, text: 'first', meta: '{"a":1}' });
      const again = await f.tx((r) => r.messages.insert({ ...first, id: uid('msg'), text: 'again' }));
      expect(again).toBe(false);
      expect(await f.tx((r) => r.messages.findByExternal('webchat', ext))).toEqual(first);
      expect(await f.tx((r) => r.messages.findByExternal('telegram', ext))).toBeUndefined();
      // Messages without an external id (outbound, notes) never conflict with each other.
      await f.message(c, { direction: 'out', author: 'bot' });
      await f.message(c, { direction: 'out', author: 'bot' });
      expect(await f.tx((r) => r.messages.list(c.id, { includeInternal: true }))).toHaveLength(3);
    });

    it('reads messages by id, and records an external id learnt after sending', async () => {
      const c = await f.conversation();
      const a = await f.message(c);
      const b = await f.message(c, { direction: 'out', author: 'agent', agentId: 'agent-1' });
      expect(await f.tx((r) => r.messages.get(b.id))).toEqual(b);
      expect(await f.tx((r) => r.messages.get('no-such-message'))).toBeUndefined();
      const both = await f.tx((r) => r.messages.byIds([b.id, a.id, 'no-such-message']));
      expect(both.sort((x, y) => x.id.localeCompare(y.id))).toEqual([a, b]);
      expect(await f.tx((r) => r.messages.byIds([]))).toEqual([]);
      const ext = uid('sent');
      await f.tx((r) => r.messages.setExternalId(b.id, ext));
      expect(await f.tx((r) => r.messages.findByExternal('webchat', ext))).toEqual({ ...b, externalId: ext });
    });

    it('lists a conversation in order, with or without internal notes, and its recent and last inbound messages', async () => {
      const c = await f.conversation();
      const in1 = await f.message(c, { text: 'one' });
      const out1 = await f.message(c, { direction: 'out', author: 'bot', text: 'two' });
      const note = await f.message(c, { direction: 'internal', author: 'agent', text: 'note' });
      const in2 = await f.message(c, { text: 'three' });
      const out2 = await f.message(c, { direction: 'out', author: 'agent', text: 'four' });
      const ids = (rows: { id: string }[]) => rows.map((m) => m.id);
      expect(ids(await f.tx((r) => r.messages.list(c.id, { includeInternal: true })))).toEqual([in1.id, out1.id, note.id, in2.id, out2.id]);
      expect(ids(await f.tx((r) => r.messages.list(c.id, { includeInternal: false })))).toEqual([in1.id, out1.id, in2.id, out2.id]);
      expect(ids(await f.tx((r) => r.messages.recent(c.id, 2)))).toEqual([in2.id, out2.id]);
      expect(ids(await f.tx((r) => r.messages.recent(c.id, 10)))).toEqual([in1.id, out1.id, in2.id, out2.id]);
      expect(await f.tx((r) => r.messages.lastInbound(c.id))).toEqual(in2);
      const empty = await f.conversation();
      expect(await f.tx((r) => r.messages.lastInbound(empty.id))).toBeUndefined();
      expect(await f.tx((r) => r.messages.list(empty.id, { includeInternal: true }))).toEqual([]);
    });

    it('pages a conversation back in time, newest first, stable while messages are added', async () => {
      const c = await f.conversation();
      const m1 = await f.message(c, { text: 'one' });
      const note = await f.message(c, { direction: 'internal', author: 'agent', text: 'note' });
      const m2 = await f.message(c, { direction: 'out', author: 'bot', text: 'two' });
      const m3 = await f.message(c, { text: 'three' });
      const ids = (rows: { id: string }[]) => rows.map((m) => m.id);
      const page = (limit: number, before?: string, includeInternal = true) =>
        f.tx((r) => r.messages.page(c.id, { includeInternal, limit, before }));
      const first = await page(2);
      expect(ids(first)).toEqual([m3.id, m2.id]);
      await f.message(c, { text: 'four, after the first page was read' });
      expect(ids(await page(2, first.at(-1)!.id))).toEqual([note.id, m1.id]);
      expect(ids(await page(2, m2.id, false))).toEqual([m1.id]);
      expect(await page(2, m1.id)).toEqual([]);
    });

    it("gives each conversation's last customer-visible message and last message from the customer", async () => {
      const a = await f.conversation();
      const b = await f.conversation();
      const silent = await f.conversation();
      const fromA = await f.message(a, { text: 'where is my order?' });
      const lastA = await f.message(a, { direction: 'out', author: 'bot', text: 'an agent will answer' });
      await f.message(a, { direction: 'internal', author: 'agent', text: 'a note' });
      await f.message(b, { text: 'first' });
      const lastB = await f.message(b, { text: 'second' });
      await f.message(silent, { direction: 'internal', author: 'agent' });
      const line = (m: MessageRow) => ({ text: m.text, author: m.author, createdAt: m.createdAt });
      const lines = await f.tx((r) => r.messages.lastLinesOf([a.id, b.id, silent.id]));
      expect(lines.get(a.id)).toEqual({ last: line(lastA), fromCustomer: line(fromA) });
      expect(lines.get(b.id)).toEqual({ last: line(lastB), fromCustomer: line(lastB) });
      expect(lines.has(silent.id)).toBe(false);
      expect((await f.tx((r) => r.messages.lastLinesOf([]))).size).toBe(0);
    });

    it('reads the last lines of more conversations than one prepared list holds', async () => {
      const c = await f.conversation();
      const spoke = await f.message(c, { text: 'the last of many' });
      const ids = [...Array.from({ length: 600 }, () => uid('conv')), c.id];
      const lines = await f.tx((r) => r.messages.lastLinesOf(ids));
      expect(lines.size).toBe(1);
      expect(lines.get(c.id)?.last?.text).toBe(spoke.text);
    });
  });
}
