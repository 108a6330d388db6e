import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { eventually, startApp, tempDir } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import type { Running } from '../../src/main.js';

async function readyz(app: Running): Promise<{ status: number; body: any }> {
  const res = await fetch(`${app.url}/readyz`);
  return { status: res.status, body: await res.json() };
}

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
      started: true,
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
