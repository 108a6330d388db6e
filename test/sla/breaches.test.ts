import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.js';
import { applyTransition, openConversation } from '../../src/lifecycle/apply.js';
import { decodeLogged } from '../../src/domain/events.js';
import { newId } from '../../src/domain/ids.js';
import type { Clock } from '../../src/domain/clock.js';
import { emitBreaches } from '../../src/sla/breaches.js';
import { currentPolicy, SLA_SETTINGS_KEY } from '../../src/sla/policy.js';
import { DEFAULT_SLA_SETTINGS, type SlaSettings } from '../../src/sla/settings.js';
import { tempDir } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

// Tuesday 2026-12-01 10:00 UTC, in hours.
const T0 = Date.parse('2026-12-01T10:00:00Z');
const SETTINGS: SlaSettings = { ...DEFAULT_SLA_SETTINGS, businessHours: 'mon-fri 09:00-18:00' };
const at = (ms: number): Clock => ({ now: () => new Date(ms) });

async function handedOff(store: Store, priority: 'urgent' | 'normal' = 'urgent') {
  return store.tx(async (r) => {
    const customerId = newId(T0);
    await r.customers.insert({
      id: customerId,
      displayName: null,
      email: null,
      locale: 'en',
      createdAt: T0,
      erasedAt: null,
      tier: 'standard',
      notes: null,
      mergedInto: null,
    });
    const c = await openConversation(
      r,
      {
        id: newId(T0),
        customerId,
        channel: 'webchat',
        threadKey: newId(T0),
        team: null,
        priority,
        locale: 'en',
        subject: null,
        lastMessageAt: T0,
      },
      { by: 'customer', now: T0 },
    );
    return applyTransition(r, c, { type: 'handoff' }, { by: 'customer', now: T0 });
  });
}

const breaches = async (store: Store, id: string) =>
  (await store.tx((r) => r.events.after(0, { conversationId: id, limit: 100 })))
    .map(decodeLogged)
    .flatMap((e) => (e.type === 'sla.breached' ? [e.data.target] : []));

describe('sla.breached on SQLite: once per target across runs and a restart', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: Store;
  const open = () => openStore({ sqliteFile: `${dir.path}/switchboard.db` });
  beforeAll(async () => {
    dir = await tempDir();
    store = await open();
  });
  afterAll(async () => {
    await store?.close();
    await dir?.rm();
  });

  it('writes nothing before the due time, one event at it, none on later runs or after reopening the database', async () => {
    const c = await handedOff(store);
    expect(await emitBreaches(store, at(T0 + 14 * 60_000), SETTINGS)).toBe(0);
    expect(await breaches(store, c.id)).toEqual([]);
    expect(await emitBreaches(store, at(T0 + 16 * 60_000), SETTINGS)).toBe(1);
    expect(await emitBreaches(store, at(T0 + 17 * 60_000), SETTINGS)).toBe(0);
    await store.close();
    store = await open();
    expect(await emitBreaches(store, at(T0 + 18 * 60_000), SETTINGS)).toBe(0);
    expect(await breaches(store, c.id)).toEqual(['first_response']);
    expect(await store.tx((r) => r.conversations.get(c.id))).toMatchObject({
      firstResponseBreachedAt: T0 + 16 * 60_000,
      resolutionBreachedAt: null,
    });
    // Urgent resolution is 4 business hours: 14:00 the same day.
    expect(await emitBreaches(store, at(T0 + 4 * 3_600_000 + 1), SETTINGS)).toBe(1);
    expect(await breaches(store, c.id)).toEqual(['first_response', 'resolution']);
  });

  it('a first reply before the due time means no first-response breach; resolving stops the resolution clock', async () => {
    const c = await handedOff(store);
    await store.tx((r) => r.conversations.update(c.id, { waitingSince: null, firstRespondedAt: T0 + 60_000 }));
    const resolved = await store.tx(async (r) =>
      applyTransition(r, (await r.conversations.get(c.id, { lock: true }))!, { type: 'resolve' }, { by: 'ann', now: T0 + 120_000 }),
    );
    expect(resolved.status).toBe('resolved');
    await emitBreaches(store, at(T0 + 86_400_000), SETTINGS);
    expect(await breaches(store, c.id)).toEqual([]);
  });

  it('a priority raised after the hand-off moves the due time the timer uses', async () => {
    const c = await handedOff(store, 'normal');
    const later = at(T0 + 30 * 60_000);
    await emitBreaches(store, later, SETTINGS);
    expect(await breaches(store, c.id)).toEqual([]);
    await store.tx((r) => r.conversations.update(c.id, { priority: 'urgent' }));
    await emitBreaches(store, later, SETTINGS);
    expect(await breaches(store, c.id)).toEqual(['first_response']);
  });
});

describe.runIf(TEST_DATABASE_URL)('sla.breached on PostgreSQL: two instances, once', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    db = await createTestDatabase();
    a = await openStore({ databaseUrl: db.url, sqliteFile: '' });
    b = await openStore({ databaseUrl: db.url, sqliteFile: '' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('two instances running the timer at once write each breach once', async () => {
    const convs = await Promise.all(Array.from({ length: 5 }, () => handedOff(a)));
    const clock = at(T0 + 5 * 3_600_000);
    const runs = await Promise.all([
      ...Array.from({ length: 4 }, () => emitBreaches(a, clock, SETTINGS)),
      ...Array.from({ length: 4 }, () => emitBreaches(b, clock, SETTINGS)),
    ]);
    // Five conversations, two targets each: ten events in all, whichever instance wrote them.
    expect(runs.reduce((x, y) => x + y, 0)).toBe(10);
    for (const c of convs) expect((await breaches(b, c.id)).sort()).toEqual(['first_response', 'resolution']);
  });

  it('a setting saved through one instance is the policy of the other at once', async () => {
    await a.tx((r) =>
      r.settings.set({
        key: SLA_SETTINGS_KEY,
        value: JSON.stringify({ ...SETTINGS, timeZone: 'Asia/Shanghai' }),
        updatedAt: T0,
        updatedBy: 'ops',
      }),
    );
    const policy = await b.read((r) => currentPolicy(r, SETTINGS));
    expect(policy).toMatchObject({ source: 'database', updatedBy: 'ops', settings: { timeZone: 'Asia/Shanghai' } });
  });
});
