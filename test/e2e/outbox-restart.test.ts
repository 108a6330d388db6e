import { afterAll, describe, expect, it } from 'vitest';
import { enqueueReply } from '../../src/outbox/enqueue.js';
import { openStore } from '../../src/store/store.js';
import { eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';

describe('outbox survives a restart', () => {
  const dirs: Awaited<ReturnType<typeof tempDir>>[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => d.rm())));

  it('a reply left pending when the app stopped is delivered exactly once after restart', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const first = await startApp({}, dir.path);
    const customer = await WebchatCustomer.open(first.url);
    await customer.say('human');
    await eventually(async () => (await customer.history()).items.length === 2, 10_000, 'holding reply');
    const conversation = (await first.store.tx((r) => r.conversations.list({ status: 'queued', limit: 10 })))[0]!;
    await first.stop();

    // What a crash leaves behind: one row committed but never sent, one mid-send with its lease expired.
    const store = await openStore({ sqliteFile: `${dir.path}/switchboard.db` });
    await store.tx(async (r) => {
      const now = Date.now();
      await enqueueReply(r, { conversation, author: 'bot', text: 'pending before the crash', now });
      const m = await enqueueReply(r, { conversation, author: 'bot', text: 'leased before the crash', now });
      const rows = await r.outbox.forMessages([m.id]);
      await r.outbox.update(rows.get(m.id)!.id, { leaseUntil: now - 1 });
    });
    await store.close();

    const second = await startApp({}, dir.path);
    try {
      const customerAgain = WebchatCustomer.resume(second.url, customer.sessionId, customer.secret);
      const items = await eventually(
        async () => {
          const h = await customerAgain.history();
          return h.items.length >= 4 ? h.items : undefined;
        },
        10_000,
        'pending replies',
      );
      await new Promise((r) => setTimeout(r, 500));
      const after = (await customerAgain.history()).items;
      expect(after).toHaveLength(4);
      expect(items.slice(2).map((i) => i.text)).toEqual(['pending before the crash', 'leased before the crash']);
      const outbox = await second.store.tx((r) => r.outbox.forMessages(after.map((i) => i.id)));
      expect([...outbox.values()].every((o) => o.status === 'sent' && o.attempts === 1)).toBe(true);
    } finally {
      await second.stop();
    }
  });
});
