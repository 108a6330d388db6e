import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import type { Clock } from '../../src/domain/clock.js';
import { decodeLogged } from '../../src/domain/events.js';

// Tuesday 2026-12-01 10:00 UTC, in hours; both instances share this clock.
let t = Date.parse('2026-12-01T10:00:00Z');
const clock: Clock = { now: () => new Date(t) };
const ENV = { BUSINESS_HOURS: 'mon-fri 09:00-18:00', SLA_TARGETS: 'urgent:15m/4h', SLA_CHECK_SECONDS: '0.1' };

async function leads(app: Running): Promise<boolean> {
  const body = (await (await fetch(`${app.url}/readyz`)).json()) as { pollers: Record<string, string> };
  return body.pollers['switchboard:sla'] === 'leader';
}

async function breaches(app: Running, id: string): Promise<string[]> {
  return (await app.store.tx((r) => r.events.after(0, { conversationId: id, limit: 1000 })))
    .map(decodeLogged)
    .flatMap((e) => (e.type === 'sla.breached' ? [e.data.target] : []));
}

describe.skipIf(!TEST_DATABASE_URL)('SLAs with two instances on one PostgreSQL', () => {
  let a: Running;
  let b: Running;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startApp({ ...ENV, DATABASE_URL: db.url }, undefined, { clock });
    b = await startApp({ ...ENV, DATABASE_URL: db.url }, undefined, { clock });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  it('a setting saved through one instance is in force on the other at once', async () => {
    const admin = await a.createAgent('Ops', 'admin');
    const settings = {
      timeZone: 'Asia/Shanghai',
      businessHours: 'mon-fri 09:00-18:00',
      holidays: [],
      targets: {
        urgent: { firstResponseMinutes: 15, resolutionMinutes: 240 },
        high: { firstResponseMinutes: 60, resolutionMinutes: 480 },
        normal: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
        low: { firstResponseMinutes: 480, resolutionMinutes: 2880 },
      },
    };
    expect((await api(b, admin.token, 'GET', '/api/settings/sla')).body.source).toBe('environment');
    expect((await api(a, admin.token, 'PUT', '/api/settings/sla', settings)).status).toBe(200);
    expect((await api(b, admin.token, 'GET', '/api/settings/sla')).body).toMatchObject({ source: 'database', settings });
    // Back to the environment's UTC hours for the next test: the same values, saved again.
    expect((await api(b, admin.token, 'PUT', '/api/settings/sla', { ...settings, timeZone: 'UTC' })).status).toBe(200);
  });

  it('each breach is written once while both run the pipeline, and once more after the leader stops', async () => {
    const customer = await WebchatCustomer.open(a.url);
    await customer.say('human');
    const conv = await eventually(
      () => a.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId)),
      10_000,
      'conversation',
    );
    await a.store.tx((r) => r.conversations.update(conv.id, { priority: 'urgent' }));

    t += 16 * 60_000;
    await eventually(async () => ((await breaches(b, conv.id)).length ? true : undefined), 10_000, 'first-response breach');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await breaches(b, conv.id)).toEqual(['first_response']);

    // Exactly one instance runs the timer; when it stops, the other takes it over.
    const [aLeads, bLeads] = await Promise.all([leads(a), leads(b)]);
    expect([aLeads, bLeads].filter(Boolean)).toHaveLength(1);
    const [leader, other] = aLeads ? [a, b] : [b, a];
    await leader.stop();
    t += 4 * 3_600_000;
    await eventually(async () => ((await breaches(other, conv.id)).length === 2 ? true : undefined), 15_000, 'resolution breach');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await breaches(other, conv.id)).toEqual(['first_response', 'resolution']);
  });
});
