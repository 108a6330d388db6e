import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import type { Running } from '../../src/main.js';
import type { Clock } from '../../src/domain/clock.js';
import { DEFAULT_TARGETS } from '../../src/sla/settings.js';

/** The app's clock, moved by the test. */
let t = 0;
const clock: Clock = { now: () => new Date(t) };
const HOUR = 3_600_000;
/** Wednesday 2026-03-04 17:00 in Shanghai (UTC+8, no daylight saving). */
const WED_17 = Date.parse('2026-03-04T09:00:00Z');

const ENV = { BUSINESS_HOURS: 'mon-fri 09:00-18:00', BUSINESS_TIMEZONE: 'Asia/Shanghai' };

const backends: [string, () => Promise<{ env: Record<string, string>; drop: () => Promise<void> }>][] = [
  ['SQLite', async () => ({ env: {}, drop: async () => {} })],
];
if (TEST_DATABASE_URL)
  backends.push([
    'PostgreSQL',
    async () => {
      const db = await createTestDatabase();
      return { env: { DATABASE_URL: db.url }, drop: () => db.drop() };
    },
  ]);

describe.each(backends)('report times in business hours (%s, real app, injected clock)', (_, backend) => {
  let app: Running;
  let drop: () => Promise<void>;
  let admin: { id: string; token: string };
  let agent: { id: string; token: string };

  beforeAll(async () => {
    t = WED_17;
    const b = await backend();
    drop = b.drop;
    app = await startApp({ ...ENV, ...b.env }, undefined, { clock });
    admin = await app.createAgent('Ops', 'admin');
    agent = await app.createAgent('Ann');

    // Handed off at 17:00, an hour before closing; answered the next morning at 10:00, resolved at 11:00.
    const customer = await WebchatCustomer.open(app.url);
    await customer.say('human');
    const conv = await eventually(
      async () => {
        const c = await app.store.read((r) => r.conversations.latestForThread('webchat', customer.sessionId));
        return c?.status === 'queued' ? c : undefined;
      },
      5000,
      'queued',
    );
    t = WED_17 + 17 * HOUR;
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/claim`)).status).toBe(200);
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, { text: 'Good morning!' })).status).toBe(201);
    t = WED_17 + 18 * HOUR;
    expect((await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/resolve`)).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('a hand-off at 17:00 answered at 10:00 the next day is 2 business hours (17 by the wall clock)', async () => {
    const { status, body } = await api(app, admin.token, 'GET', '/api/reports/summary?groupBy=agent');
    expect(status).toBe(200);
    expect(body.total.firstResponseSeconds).toEqual({ median: 17 * 3600, p90: 17 * 3600, count: 1 });
    expect(body.total.firstResponseBusinessSeconds).toEqual({ median: 2 * 3600, p90: 2 * 3600 });
    // Opened at 17:00 too, resolved at 11:00: 18 hours, of which 1 + 2 open.
    expect(body.total.resolutionSeconds).toEqual({ median: 18 * 3600, p90: 18 * 3600, count: 1 });
    expect(body.total.resolutionBusinessSeconds).toEqual({ median: 3 * 3600, p90: 3 * 3600 });
    expect(body.groups).toHaveLength(1);
    expect(body.groups[0]).toMatchObject({
      key: agent.id,
      firstResponseBusinessSeconds: { median: 7200, p90: 7200 },
      resolutionBusinessSeconds: { median: 10800, p90: 10800 },
    });

    const csv = await fetch(`${app.url}/api/reports/summary?format=csv`, { headers: { authorization: `Bearer ${admin.token}` } });
    const [header, total] = (await csv.text())
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    const col = (name: string) => total![header!.indexOf(name)];
    expect(col('first_response_business_median_s')).toBe('7200');
    expect(col('resolution_business_p90_s')).toBe('10800');
  });

  it('follows the calendar in force: an admin’s stored settings replace the environment’s', async () => {
    const put = await api(app, admin.token, 'PUT', '/api/settings/sla', {
      timeZone: 'Asia/Shanghai',
      businessHours: '',
      holidays: [],
      targets: DEFAULT_TARGETS,
    });
    expect(put.status).toBe(200);
    const { body } = await api(app, admin.token, 'GET', '/api/reports/summary');
    // Around the clock, business time is wall-clock time.
    expect(body.total.firstResponseBusinessSeconds).toEqual({ median: 17 * 3600, p90: 17 * 3600 });
    expect(body.total.resolutionBusinessSeconds).toEqual({ median: 18 * 3600, p90: 18 * 3600 });
  });
});
