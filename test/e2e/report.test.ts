import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import type { Running } from '../../src/main.js';

/** RFC 4180 read back here, on its own, so the endpoint's CSV is checked by a reader that is not its writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += ch;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

const number = (cell: string) => (cell === '' ? null : Number(cell));

async function csv(app: Running, token: string, path: string) {
  const res = await fetch(app.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { res, rows: parseCsv(await res.text()) };
}

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

describe.each(backends)('reports /api/reports/summary and /timeseries (%s)', (_, backend) => {
  let app: Running;
  let drop: () => Promise<void>;
  let admin: { token: string };
  let agent: { id: string; token: string };
  beforeAll(async () => {
    const b = await backend();
    drop = b.drop;
    app = await startApp(b.env);
    admin = await app.createAgent('Ops', 'admin');
    agent = await app.createAgent('Ann');

    // One the FAQ answers, one waiting for a person (the bot tells them so), one answered, resolved and rated.
    const served = await WebchatCustomer.open(app.url);
    await served.say('How do I return an item?');
    const waiting = await WebchatCustomer.open(app.url);
    await waiting.say('human');
    const helped = await WebchatCustomer.open(app.url);
    await helped.say('人工');
    const conv = await eventually(
      () => app.store.tx((r) => r.conversations.latestForThread('webchat', helped.sessionId)),
      5000,
      'conversation',
    );
    await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/claim`);
    await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/messages`, { text: '您好，请问有什么可以帮您？' });
    await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/resolve`);
    await eventually(async () => (await helped.history()).items.some((i) => /1–5/.test(i.text)), 5000, 'CSAT question');
    await helped.say('4');
    await eventually(async () => (await app.store.tx((r) => r.conversations.get(conv.id)))?.csat === 4, 5000, 'CSAT recorded');
    // The bot did write in every conversation, the waiting one included.
    await eventually(async () => (await waiting.history()).items.some((i) => i.author === 'bot'), 5000, 'bot reply to the waiting one');
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it('is for admins only', async () => {
    for (const path of ['/api/reports/summary', '/api/reports/timeseries?metric=conversations', '/api/reports/summary?format=csv'])
      expect((await api(app, agent.token, 'GET', path)).status).toBe(403);
    expect((await fetch(`${app.url}/api/reports/summary`)).status).toBe(401);
  });

  it('summarizes the window: bot-resolved, hand-offs, first response by agents only, resolution, CSAT', async () => {
    const { status, body } = await api(app, admin.token, 'GET', '/api/reports/summary');
    expect(status).toBe(200);
    expect(body.total).toMatchObject({
      conversations: 3,
      botResolved: 1,
      botResolvedShare: 0.3333,
      handoffs: 2,
      resolved: 1,
      slaBreaches: 0,
    });
    // The bot's replies to the waiting customer are no first response: one answered, by the agent.
    expect(body.total.firstResponseSeconds.count).toBe(1);
    expect(body.total.firstResponseSeconds.median).toBeGreaterThanOrEqual(0);
    expect(body.total.resolutionSeconds.count).toBe(1);
    expect(body.total.csat).toEqual({ average: 4, responses: 1, responseRate: 1 });
    expect(body.slaBreachesRecorded === (body.notes.length === 0)).toBe(true);
  });

  it('groups by agent and channel, the rows adding up to the total', async () => {
    const { body } = await api(app, admin.token, 'GET', '/api/reports/summary?groupBy=agent');
    expect(body.groups.map((g: { key: string | null; conversations: number }) => [g.key, g.conversations])).toEqual([
      [null, 2],
      [agent.id, 1],
    ]);
    const byChannel = (await api(app, admin.token, 'GET', '/api/reports/summary?groupBy=channel')).body;
    expect(byChannel.groups).toHaveLength(1);
    expect(byChannel.groups[0]).toMatchObject({ key: 'webchat', conversations: 3, handoffs: 2 });
  });

  it('gives the summary as CSV that reads back to the same numbers', async () => {
    const json = (await api(app, admin.token, 'GET', '/api/reports/summary?groupBy=agent&tz=Asia/Shanghai')).body;
    const { res, rows } = await csv(app, admin.token, '/api/reports/summary?groupBy=agent&tz=Asia/Shanghai&format=csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="summary-by-agent-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const [header, ...data] = rows;
    expect(header![0]).toBe('row');
    const col = (row: string[], name: string) => row[header!.indexOf(name)]!;
    expect(data).toHaveLength(1 + json.groups.length);
    const pairs: [string[], typeof json.total][] = [
      [data[0]!, json.total],
      ...json.groups.map((g: unknown, i: number) => [data[i + 1]!, g] as const),
    ];
    for (const [row, f] of pairs) {
      expect(number(col(row, 'conversations'))).toBe(f.conversations);
      expect(number(col(row, 'bot_resolved_share'))).toBe(f.botResolvedShare);
      expect(number(col(row, 'handoffs'))).toBe(f.handoffs);
      expect(number(col(row, 'first_response_median_s'))).toBe(f.firstResponseSeconds.median);
      expect(number(col(row, 'resolution_p90_s'))).toBe(f.resolutionSeconds.p90);
      expect(number(col(row, 'csat_average'))).toBe(f.csat.average);
      expect(number(col(row, 'csat_response_rate'))).toBe(f.csat.responseRate);
    }
    expect(col(data[0]!, 'row')).toBe('total');
    expect(data.slice(1).map((r) => col(r, 'key'))).toEqual(json.groups.map((g: { key: string | null }) => g.key ?? ''));
  });

  it('gives a time series per day or hour, as JSON or CSV', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const { status, body } = await api(
      app,
      admin.token,
      'GET',
      `/api/reports/timeseries?metric=conversations&interval=hour&from=${today}&to=${today}`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ metric: 'conversations', interval: 'hour', tz: 'UTC', unit: 'count' });
    expect(body.points).toHaveLength(24);
    expect(body.points.reduce((a: number, p: { value: number }) => a + p.value, 0)).toBe(3);
    const days = (await api(app, admin.token, 'GET', '/api/reports/timeseries?metric=handoffs&tz=America/New_York')).body;
    expect(days.points.reduce((a: number, p: { value: number }) => a + p.value, 0)).toBe(2);
    const { res, rows } = await csv(app, admin.token, '/api/reports/timeseries?metric=csat_average&format=csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/filename="csat_average-day-/);
    expect(rows[0]).toEqual(['start', 'end', 'value']);
    expect(rows.slice(1).flatMap((r) => (r[2] === '' ? [] : [Number(r[2])]))).toEqual([4]);
  });

  it('refuses bad parameters with a 400 naming them', async () => {
    for (const [query, field] of [
      ['tz=Mars/Olympus', 'tz'],
      ['groupBy=customer', 'groupBy'],
      ['from=yesterday-ish', 'from'],
      ['from=2026-02-30', 'from'],
      ['from=2026-03-01&to=2026-02-01', 'from'],
      ['from=2020-01-01&to=2026-01-01', 'to'],
      ['since=2026-01-01', 'since'],
      ['format=xml', 'format'],
    ]) {
      const res = await api(app, admin.token, 'GET', `/api/reports/summary?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.message, query).toContain(field);
    }
    expect((await api(app, admin.token, 'GET', '/api/reports/timeseries')).status).toBe(400);
    expect((await api(app, admin.token, 'GET', '/api/reports/timeseries?metric=conversations&interval=minute')).status).toBe(400);
  });
});
