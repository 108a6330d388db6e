import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.js';
import { newId } from '../../src/domain/ids.js';
import { purgeExpired } from '../../src/privacy/retention.js';
import { REDACT_BATCH } from '../../src/privacy/redact.js';
import { parseQuery } from '../../src/domain/search-text.js';
import type { ConversationEvent } from '../../src/domain/conversation.js';
import type { MessageRow } from '../../src/store/ports.js';
import { seedConversation } from '../support/memory-store.js';
import { tempDir } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

const DAY = 86_400_000;
const closedLifecycle: ConversationEvent[] = [
  { type: 'handoff' },
  { type: 'claim', agentId: 'agent-1' },
  { type: 'resolve' },
  { type: 'close' },
];

const backends: { name: string; open: () => Promise<{ store: Store; dispose: () => Promise<void> }> }[] = [
  {
    name: 'SQLite',
    open: async () => {
      const dir = await tempDir();
      const store = await openStore({ sqliteFile: `${dir.path}/switchboard.db` });
      return { store, dispose: async () => (await store.close(), await dir.rm()) };
    },
  },
];
if (TEST_DATABASE_URL) {
  backends.push({
    name: 'PostgreSQL',
    open: async () => {
      const db = await createTestDatabase();
      const store = await openStore({ databaseUrl: db.url, sqliteFile: '' });
      return { store, dispose: async () => (await store.close(), await db.drop()) };
    },
  });
}

for (const backend of backends) {
  describe(`RETENTION_DAYS purge (${backend.name})`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeAll(async () => ({ store, dispose } = await backend.open()));
    afterAll(async () => dispose?.());

    async function conversationWith(now: number, events: ConversationEvent[], messages: number) {
      return store.tx(async (r) => {
        const c = await seedConversation(r, now, events);
        for (let i = 0; i < messages; i++) {
          const m: MessageRow = {
            id: newId(now),
            conversationId: c.id,
            channel: 'webchat',
            externalId: `ext-${c.id}-${i}`,
            direction: i % 2 ? 'out' : 'in',
            author: i % 2 ? 'agent' : 'customer',
            agentId: null,
            text: `my card ends in ${1000 + i}`,
            meta: JSON.stringify({ attachments: [{ name: `scan-${i}.png`, url: `https://files.example/${i}` }] }),
            createdAt: now,
          };
          await r.messages.insert(m);
        }
        return c;
      });
    }

    it('blanks bodies and attachment references of conversations closed longer than the limit, in small batches, leaving reports alone', async () => {
      const t0 = Date.parse('2026-01-01T00:00:00Z');
      const old = await conversationWith(t0, closedLifecycle, REDACT_BATCH * 2 + 50);
      const recent = await conversationWith(t0 + 9 * DAY, closedLifecycle, 3);
      const open = await conversationWith(t0, [{ type: 'handoff' }], 3);
      const report = () => store.read((r) => r.reports.figures({ from: 0, to: t0 + 100 * DAY }, 'agent'));
      const before = await report();
      const clock = { now: () => new Date(t0 + 10 * DAY) };
      // Search finds a body until it is purged, and never after (the index goes with the text).
      const found = async (id: string) =>
        (
          await store.tx((r) => r.search.search({ terms: parseQuery('card 1000').terms, kinds: ['message'], viewerId: null, limit: 50 }))
        ).filter((h) => h.conversationId === id).length;
      expect(await found(old.id)).toBe(1);

      // A request arriving while the purge runs is served between its batches, not after it.
      let purgeDone = false;
      const purge = purgeExpired(store, clock, 7 * DAY).then((n) => ((purgeDone = true), n));
      await new Promise((r) => setImmediate(r));
      await store.tx((r) => r.agents.list());
      expect(purgeDone).toBe(false);
      expect(await purge).toBe(1);

      const messages = (id: string) => store.tx((r) => r.messages.list(id, { includeInternal: true }));
      const purged = await messages(old.id);
      expect(purged).toHaveLength(REDACT_BATCH * 2 + 50);
      expect(purged.every((m) => m.text === '' && m.meta === null)).toBe(true);
      // Platform ids stay, so a late duplicate is still recognised.
      expect(purged.every((m) => m.externalId?.startsWith('ext-'))).toBe(true);
      expect((await store.tx((r) => r.conversations.get(old.id)))?.redactedAt).toBe(t0 + 10 * DAY);
      expect(await found(old.id)).toBe(0);
      expect(await found(recent.id)).toBe(1);
      for (const kept of [recent, open]) {
        const rows = await messages(kept.id);
        expect(rows.map((m) => m.text)).toEqual(['my card ends in 1000', 'my card ends in 1001', 'my card ends in 1002']);
        expect(rows.every((m) => m.meta !== null)).toBe(true);
      }
      expect(await report()).toEqual(before);
      // Done once: the next run finds nothing to do.
      expect(await purgeExpired(store, clock, 7 * DAY)).toBe(0);
      // Later, the recent one is due too.
      expect(await purgeExpired(store, { now: () => new Date(t0 + 17 * DAY) }, 7 * DAY)).toBe(1);
    });
  });
}
