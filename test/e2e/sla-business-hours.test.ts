import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import type { Clock } from '../../src/domain/clock.js';
import { decodeLogged } from '../../src/domain/events.js';
import { emitBreaches } from '../../src/sla/breaches.js';
import { DEFAULT_SLA_SETTINGS } from '../../src/sla/settings.js';

/** The app's clock, moved by the test. */
let t = Date.parse('2026-03-06T21:00:00Z');
const clock: Clock = { now: () => new Date(t) };

const ENV = {
  BUSINESS_HOURS: 'mon-fri 09:00-18:00',
  BUSINESS_TIMEZONE: 'America/New_York',
  // Monday after the spring-forward weekend is a holiday: the week starts Tuesday.
  HOLIDAYS: '2026-03-09',
  SLA_TARGETS: 'urgent:15m/4h,high:1h/8h,normal:4h/24h,low:8h/48h',
  SLA_CHECK_SECONDS: '0.1',
};

describe('SLAs in business hours (real app, injected clock)', () => {
  let app: Running;
  let admin: { id: string; token: string };
  let agent: { id: string; token: string };

  beforeAll(async () => {
    app = await startApp(ENV, undefined, { clock });
    admin = await app.createAgent('Ops', 'admin');
    agent = await app.createAgent('Ann');
  });
  afterAll(async () => app?.stop());

  async function handOff(text: string) {
    const customer = await WebchatCustomer.open(app.url);
    await customer.say(text);
    const conv = await eventually(
      () => app.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId)),
      5000,
      'conversation',
    );
    const reply = await eventually(
      async () => (await customer.history()).items.find((i) => i.author === 'bot')?.text,
      5000,
      'holding reply',
    );
    return { customer, id: conv.id, reply };
  }
  const get = async (id: string) => (await api(app, agent.token, 'GET', `/api/conversations/${id}`)).body.conversation;
  const breachEvents = async (id: string) =>
    (await app.store.tx((r) => r.events.after(0, { conversationId: id, limit: 1000 })))
      .map(decodeLogged)
      .filter((e) => e.type === 'sla.breached');

  it('due times run over the weekend, the DST change and the holiday, and follow a priority change', async () => {
    // Friday 2026-03-06 16:00 EST, in hours: 2 h left today, then Tuesday 2026-03-10 (EDT from Sunday).
    t = Date.parse('2026-03-06T21:00:00Z');
    const { id } = await handOff('human');
    const c = await get(id);
    expect(c).toMatchObject({
      priority: 'normal',
      slaStartedAt: '2026-03-06T21:00:00.000Z',
      // The bot's holding reply went out; bot replies never meet the first-response target.
      firstRespondedAt: null,
      // 4 h: Fri 16:00-18:00 EST + Tue 09:00-11:00 EDT.
      firstResponseDueAt: '2026-03-10T15:00:00.000Z',
      // 24 h: 2 h Fri + 9 h Tue + 9 h Wed + 4 h Thu → Thu 13:00 EDT.
      resolutionDueAt: '2026-03-12T17:00:00.000Z',
      breached: { firstResponse: null, resolution: null },
      overdue: false,
    });
    expect(c.slaDueAt).toBe(c.firstResponseDueAt);

    // Another part of the team workflow raises the priority; the due times follow it.
    await app.store.tx((r) => r.conversations.update(id, { priority: 'urgent' }));
    const urgent = await get(id);
    expect(urgent).toMatchObject({ firstResponseDueAt: '2026-03-06T21:15:00.000Z', resolutionDueAt: '2026-03-10T15:00:00.000Z' });
    const listed = (await api(app, agent.token, 'GET', '/api/conversations?status=queued')).body.items.find(
      (x: { id: string }) => x.id === id,
    );
    expect(listed).toMatchObject({ firstResponseDueAt: '2026-03-06T21:15:00.000Z', priority: 'urgent' });
  });

  it('writes sla.breached once per target, however many timer runs see it, and keeps the breach after a late reply', async () => {
    t = Date.parse('2026-03-06T21:00:00Z');
    const { id } = await handOff('human');
    await app.store.tx((r) => r.conversations.update(id, { priority: 'urgent' }));
    expect(await breachEvents(id)).toEqual([]);

    // 16:16 EST: the 15-minute first-response target has passed.
    t = Date.parse('2026-03-06T21:16:00Z');
    const [event] = await eventually(
      async () => {
        const e = await breachEvents(id);
        return e.length ? e : undefined;
      },
      5000,
      'breach event',
    );
    expect(event).toMatchObject({
      type: 'sla.breached',
      data: { target: 'first_response', dueAt: Date.parse('2026-03-06T21:15:00Z'), priority: 'urgent' },
    });
    // More runs (the app's own every 100 ms, and two here at once) add nothing.
    await Promise.all([emitBreaches(app.store, clock, DEFAULT_SLA_SETTINGS), emitBreaches(app.store, clock, DEFAULT_SLA_SETTINGS)]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await breachEvents(id)).toHaveLength(1);
    expect(await get(id)).toMatchObject({ overdue: true, breached: { firstResponse: '2026-03-06T21:15:00.000Z', resolution: null } });

    // A late reply meets the target; the breach stays on record. Bot replies never counted.
    await api(app, agent.token, 'POST', `/api/conversations/${id}/claim`);
    await api(app, agent.token, 'POST', `/api/conversations/${id}/messages`, { text: 'Sorry for the wait!' });
    expect(await get(id)).toMatchObject({
      firstRespondedAt: '2026-03-06T21:16:00.000Z',
      firstResponseDueAt: null,
      slaDueAt: null,
      overdue: false,
      breached: { firstResponse: '2026-03-06T21:15:00.000Z' },
    });

    // Resolution (4 h: 2 h Fri + 2 h Tue) passes next Tuesday 11:00 EDT: its own event, once.
    t = Date.parse('2026-03-10T15:01:00Z');
    await eventually(async () => ((await breachEvents(id)).length === 2 ? true : undefined), 5000, 'resolution breach');
    await emitBreaches(app.store, clock, DEFAULT_SLA_SETTINGS);
    expect((await breachEvents(id)).map((e) => (e.type === 'sla.breached' ? e.data.target : ''))).toEqual(['first_response', 'resolution']);
  });

  it('the holding reply out of hours says when the team is back, in English and in Chinese', async () => {
    // Saturday 2026-03-07 12:00 EST; Monday is a holiday: back Tuesday 09:00.
    t = Date.parse('2026-03-07T17:00:00Z');
    const en = await handOff('human');
    expect(en.reply).toBe(
      "I've passed your message to our team. We're away right now; our team is back Tuesday 09:00 (America/New_York) and a person will reply here then.",
    );
    const zh = await handOff('人工');
    expect(zh.reply).toBe('已为您转接人工客服。现在是非工作时间，客服将于 周二 09:00 (America/New_York) 回来，届时会在这里回复您。');
    // Out of hours nothing counts until Tuesday's opening: 4 h at normal priority → Tuesday 13:00 EDT.
    expect(await get(en.id)).toMatchObject({ firstResponseDueAt: '2026-03-10T17:00:00.000Z' });
  });

  it('the holding reply in hours says how many are ahead and the usual wait (median first response of the last day)', async () => {
    // Wednesday 2026-03-11 10:00 EDT. Earlier tests' replies are older than a day by now; two
    // conversations answered after 20 and 30 minutes make the median 25.
    t = Date.parse('2026-03-11T14:00:00Z');
    for (const minutes of [20, 30]) {
      const { id } = await handOff('human');
      await api(app, agent.token, 'POST', `/api/conversations/${id}/claim`);
      t += minutes * 60_000;
      await api(app, agent.token, 'POST', `/api/conversations/${id}/messages`, { text: 'Here to help.' });
      t -= minutes * 60_000;
    }
    t = Date.parse('2026-03-11T15:00:00Z');
    const queued = (await api(app, agent.token, 'GET', '/api/conversations?status=queued')).body.items.length as number;
    const en = await handOff('human');
    expect(en.reply).toBe(
      `I've passed your message to our team; ${queued} ${queued === 1 ? 'customer is' : 'customers are'} ahead of you. The usual wait is about 25 minutes; a person will reply here.`,
    );
    t += 1000;
    const zh = await handOff('人工');
    expect(zh.reply).toBe(`已为您转接人工客服，前面还有 ${queued + 1} 位客户在等待，通常等待约 25 分钟。客服人员会在这里回复您，请稍候。`);
  });

  it('settings API: any agent reads, only admins change, bad values are 400s with nothing written, a change is audited and applies at once', async () => {
    const before = await api(app, agent.token, 'GET', '/api/settings/sla');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      source: 'environment',
      settings: { timeZone: 'America/New_York', businessHours: 'mon-fri 09:00-18:00', holidays: ['2026-03-09'] },
    });
    const next = {
      timeZone: 'Asia/Shanghai',
      businessHours: 'mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00',
      holidays: ['2026-10-01'],
      targets: {
        urgent: { firstResponseMinutes: 10, resolutionMinutes: 120 },
        high: { firstResponseMinutes: 30, resolutionMinutes: 240 },
        normal: { firstResponseMinutes: 120, resolutionMinutes: 960 },
        low: { firstResponseMinutes: 480, resolutionMinutes: 2880 },
      },
    };
    expect((await api(app, agent.token, 'PUT', '/api/settings/sla', next)).status).toBe(403);
    const bad: [unknown, RegExp][] = [
      [{ ...next, timeZone: 'Mars/Olympus' }, /timeZone/],
      [{ ...next, businessHours: 'mon-fri 18:00-09:00' }, /businessHours: "18:00-09:00" ends before it starts/],
      [{ ...next, holidays: ['2026-13-01'] }, /holidays\.0/],
      [
        { ...next, targets: { ...next.targets, low: { firstResponseMinutes: 60, resolutionMinutes: 30 } } },
        /targets: low: the resolution target is shorter/,
      ],
      [
        { ...next, targets: { ...next.targets, urgent: { firstResponseMinutes: -1, resolutionMinutes: 30 } } },
        /targets\.urgent\.firstResponseMinutes/,
      ],
      [{ ...next, extra: true }, /extra|key/i],
      ['not json', /./],
    ];
    for (const [body, message] of bad) {
      const res = await api(app, admin.token, 'PUT', '/api/settings/sla', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(String(res.body?.error?.message)).toMatch(message);
    }
    expect((await api(app, agent.token, 'GET', '/api/settings/sla')).body.source).toBe('environment');

    t = Date.parse('2026-03-11T15:30:00Z');
    const saved = await api(app, admin.token, 'PUT', '/api/settings/sla', next);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ source: 'database', updatedBy: admin.id, settings: next });
    expect((await api(app, agent.token, 'GET', '/api/settings/sla')).body).toMatchObject({ source: 'database', settings: next });

    const audit = (await api(app, admin.token, 'GET', '/api/audit?since=2026-03-11T00:00:00Z')).body.items as {
      action: string;
      actorId: string;
      detail: { before: { timeZone: string }; after: { timeZone: string } };
    }[];
    const change = audit.filter((a) => a.action === 'settings.update');
    expect(change).toHaveLength(1);
    expect(change[0]).toMatchObject({
      actorId: admin.id,
      detail: { before: { timeZone: 'America/New_York' }, after: { timeZone: 'Asia/Shanghai' } },
    });

    // Views use the new policy at once: 23:30 Wednesday in Shanghai is closed; a new hand-off waits for Thursday 09:00 CST.
    const { id, reply } = await handOff('human');
    expect(reply).toContain('back Thursday 09:00 (Asia/Shanghai)');
    expect(await get(id)).toMatchObject({ firstResponseDueAt: '2026-03-12T03:00:00.000Z' });
  });
});
