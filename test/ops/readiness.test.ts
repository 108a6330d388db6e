import BetterSqlite3 from 'better-sqlite3';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { eventually, startApp, tempDir } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import type { Running } from '../../src/main.js';
import { WebchatCustomer } from '../support/webchat-client.js';

async function readyz(app: Running): Promise<{ status: number; body: any }> {
  const res = await fetch(`${app.url}/readyz`);
  return { status: res.status, body: await res.json() };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('start-up: listening before the FAQ index is built', () => {
  it('answers /healthz at once and /readyz 503 `faq: building`; a message sent meanwhile is answered by the FAQ once it is in', async () => {
    const dir = await tempDir();
    const base = `http://127.0.0.1:${await freePort()}`;
    let settled = false;
    const starting = startApp({ PORT: new URL(base).port }, dir.path).finally(() => (settled = true));
    const seen: { healthz: number; readyz: number; reasons: string[] }[] = [];
    let said: Promise<{ status: number; body: any }> | undefined;
    let customer: WebchatCustomer | undefined;
    try {
      while (!settled) {
        const healthz = await fetch(`${base}/healthz`).then(
          (r) => r.status,
          () => 0,
        );
        const readyz = await fetch(`${base}/readyz`).then(
          async (r) => ({ status: r.status, body: (await r.json()) as { reasons: string[] } }),
          () => undefined,
        );
        if (readyz) seen.push({ healthz, readyz: readyz.status, reasons: readyz.body.reasons });
        // Once the database is open the web chat takes sessions; the message waits for the index.
        if (!said && readyz?.body.reasons.includes('faq: building') && !readyz.body.reasons.includes('database: connecting')) {
          const res = await fetch(`${base}/webchat/sessions`, { method: 'POST' });
          if (res.status === 201) {
            const { sessionId, secret } = (await res.json()) as { sessionId: string; secret: string };
            customer = WebchatCustomer.resume(base, sessionId, secret);
            said = customer.say('How do I return an item?', 'before-ready');
          } else expect(res.status).toBe(503);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      const app = await starting;
      try {
        const building = seen.filter((s) => s.readyz === 503 && s.reasons.includes('faq: building'));
        expect(building.length).toBeGreaterThan(0);
        expect(building.every((s) => s.healthz === 200)).toBe(true);
        expect(said, 'a message was sent while the FAQ index was being built').toBeDefined();
        expect((await said!).status).toBe(202);
        const ready = await readyz(app);
        expect(ready.status).toBe(200);
        expect(ready.body).toMatchObject({ ready: true, reasons: [], faq: { ok: true, state: 'ready' } });
        const items = await eventually(
          async () => {
            const { items } = await customer!.history();
            return items.some((i) => i.direction === 'out') ? items : undefined;
          },
          10_000,
          'the FAQ answer',
        );
        expect(items.filter((i) => i.direction === 'in').map((i) => i.text)).toEqual(['How do I return an item?']);
        // Answered by the FAQ, not handed to the queue for want of an index.
        expect(items.filter((i) => i.direction === 'out').map((i) => i.author)).toEqual(['bot']);
        const { items: queued } = (await (
          await fetch(`${app.url}/api/conversations?status=queued`, {
            headers: { authorization: `Bearer ${(await app.createAgent('ops')).token}` },
          })
        ).json()) as { items: unknown[] };
        expect(queued).toEqual([]);
      } finally {
        await app.stop();
      }
    } finally {
      await starting.catch(() => undefined);
      await dir.rm();
    }
  });
});

describe('/readyz on SQLite', () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
    app = await startApp({}, dir.path);
  });
  afterAll(async () => {
    await app?.stop();
    await dir?.rm();
  });

  it('is ready once started, with the database answering and every migration applied', async () => {
    const { status, body } = await readyz(app);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ready: true,
      reasons: [],
      started: true,
      faq: { ok: true, state: 'ready' },
      stopping: false,
      database: { ok: true, dialect: 'sqlite' },
      migrations: { ok: true },
      pollers: {},
      channels: [{ channel: 'webchat', state: 'running' }],
    });
    expect(body.migrations.applied).toBe(body.migrations.expected);
  });

  it('answers 503 while the database lacks a migration this build ships', async () => {
    const side = new BetterSqlite3(join(dir.path, 'switchboard.db'));
    try {
      const newest = side.prepare('select * from __drizzle_migrations order by created_at desc limit 1').get() as Record<string, unknown>;
      side.prepare('delete from __drizzle_migrations where created_at = ?').run(newest.created_at);
      const down = await readyz(app);
      expect(down.status).toBe(503);
      expect(down.body.ready).toBe(false);
      expect(down.body.database.ok).toBe(true);
      expect(down.body.migrations.ok).toBe(false);
      expect(down.body.reasons).toEqual(['migrations: not applied']);
      expect(Date.parse(down.body.migrations.applied)).toBeLessThan(Date.parse(down.body.migrations.expected));
      const columns = Object.keys(newest);
      side
        .prepare(`insert into __drizzle_migrations (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`)
        .run(Object.values(newest));
    } finally {
      side.close();
    }
    expect((await readyz(app)).status).toBe(200);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('/readyz with two instances on PostgreSQL and Telegram polling', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let telegram: FakeTelegramBotApi;
  const apps: Running[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    telegram = await FakeTelegramBotApi.start();
    const env = { DATABASE_URL: db.url, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot };
    apps.push(await startApp(env), await startApp(env));
  });
  afterAll(async () => {
    for (const a of apps) await a.stop();
    await telegram?.close();
    await db?.drop();
  });

  it('reports one leader polling and one follower on standby, both ready', async () => {
    const lock = 'switchboard:inbound:telegram';
    const bodies = await eventually(
      async () => {
        const all = await Promise.all(apps.map(readyz));
        const roles = all.map((r) => r.body.pollers[lock]).sort();
        return roles[0] === 'follower' && roles[1] === 'leader' ? all : undefined;
      },
      10_000,
      'a leader and a follower',
    );
    for (const { status, body } of bodies) {
      expect(status).toBe(200);
      expect(body.database).toEqual({ ok: true, dialect: 'pg' });
      expect(body.migrations.ok).toBe(true);
      const telegramState = body.channels.find((c: { channel: string }) => c.channel === 'telegram').state;
      expect(telegramState).toBe(body.pollers[lock] === 'leader' ? 'running' : 'standby');
    }
  });
});
