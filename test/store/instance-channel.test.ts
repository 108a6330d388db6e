/**
 * The instances' notification channel on a real PostgreSQL: a signal reaches the other instance
 * and not its sender, a payload the server would refuse is not sent, a visitors signal's shape is
 * checked on receipt, a wake-up sent inside a transaction arrives only if it commits, and a
 * notification that does not parse is ignored.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.js';
import type { RelayedSignal } from '../../src/domain/relayed-signal.js';
import { eventually } from '../support/eventually.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

const quiet = { info: () => {}, warn: () => {} };

describe.skipIf(!TEST_DATABASE_URL)('instances notification channel (PostgreSQL LISTEN/NOTIFY)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: Store;
  let b: Store;
  const leave: (() => Promise<void>)[] = [];
  const got = { a: [] as RelayedSignal[], b: [] as RelayedSignal[], bEvents: 0 };

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await openStore({ databaseUrl: db.url, sqliteFile: '' });
    b = await openStore({ databaseUrl: db.url, sqliteFile: '' });
    leave.push(await a.joinInstances(db.url, quiet), await b.joinInstances(db.url, quiet));
    a.onRelayedSignal((s) => got.a.push(s));
    b.onRelayedSignal((s) => got.b.push(s));
    b.onEvents(() => got.bEvents++);
  });
  afterAll(async () => {
    for (const l of leave) await l();
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('a signal reaches the other instance, never its sender; one too big for NOTIFY is refused', async () => {
    const typing: RelayedSignal = {
      to: 'agents',
      event: 'typing',
      data: { conversationId: 'c1', text: '你好'.repeat(500) },
      holder: { assigneeId: null },
    };
    expect(a.relaySignal(typing)).toBe(true);
    await eventually(() => got.b.length === 1, 5_000, 'the signal on B');
    expect(got.b[0]).toEqual(typing);
    expect(a.relaySignal({ to: 'session', sessionId: 's1', event: 'typing', data: { text: 'x'.repeat(8000) } })).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(got.a).toEqual([]);
    expect(got.b).toHaveLength(1);
  });

  it('a visitors signal is delivered when well formed; one naming no visitor (but a hello) or another change is ignored', async () => {
    const raw = new pg.Client({ connectionString: db.url });
    await raw.connect();
    const before = got.b.length;
    const send = (s: unknown) => raw.query(`select pg_notify('switchboard', $1)`, [JSON.stringify({ o: 'x', s })]);
    await send({ to: 'visitors', event: 'ping', data: { visitorId: 7 } });
    await send({ to: 'visitors', event: 'reload', data: { visitorId: 'v'.repeat(16) } });
    await send({ to: 'visitors', event: 'ping', data: null });
    const good: RelayedSignal = { to: 'visitors', event: 'ping', data: { visitorId: 'v'.repeat(16), visits: 2 } };
    await send(good);
    const hello: RelayedSignal = { to: 'visitors', event: 'hello', data: {} };
    await send(hello);
    await raw.end();
    await eventually(() => got.b.length > before + 1, 5_000, 'the well-formed ones on B');
    await new Promise((r) => setTimeout(r, 100));
    expect(got.b.slice(before)).toEqual([good, hello]);
  });

  it('a wake-up goes with the commit: none for a rolled-back transaction, malformed notifications ignored', async () => {
    const raw = new pg.Client({ connectionString: db.url });
    await raw.connect();
    await raw.query(`select pg_notify('switchboard', 'not json'), pg_notify('switchboard', '{"o":"x","s":{"event":1}}')`);
    await raw.end();
    const note = { type: 'note', data: { messageId: 'm', agentId: 'a' } } as const;
    const before = got.bEvents;
    await expect(
      a.tx(async (r) => {
        await r.events.append(null, note, 1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await new Promise((r) => setTimeout(r, 300));
    expect(got.bEvents, 'no wake-up for a rolled-back append').toBe(before);
    await a.tx((r) => r.events.append(null, note, 1));
    await eventually(() => got.bEvents > before, 5_000, 'the committed append waking B');
  });

  it('the safety net: a check wakes everything the first time and after commits no notification reported, and not otherwise', async () => {
    // A third instance that never joined the channel hears nothing of A's commits but by checking.
    const c = await openStore({ databaseUrl: db.url, sqliteFile: '' });
    try {
      const woken = { events: 0, outbox: 0, webhooks: 0 };
      c.onEvents(() => woken.events++);
      c.onOutbox(() => woken.outbox++);
      c.onWebhookDeliveries(() => woken.webhooks++);
      await c.checkForeignEvents();
      expect(woken, 'the first check wakes everything').toEqual({ events: 1, outbox: 1, webhooks: 1 });
      await c.checkForeignEvents();
      expect(woken, 'nothing new, no wake-up').toEqual({ events: 1, outbox: 1, webhooks: 1 });
      await a.tx((r) => r.events.append(null, { type: 'note', data: { messageId: 'm2', agentId: 'a' } }, 2));
      await new Promise((r) => setTimeout(r, 200));
      expect(woken.events, 'no notification reaches an instance off the channel').toBe(1);
      await c.checkForeignEvents();
      expect(woken).toEqual({ events: 2, outbox: 2, webhooks: 2 });
    } finally {
      await c.close();
    }
  });
});
