import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import type { Running } from '../../src/main.js';
import { runBackup, runRestore } from '../../src/ops/cli-backup.js';

/** Runs a backup/restore command as the CLI does, capturing what it prints. */
async function cli(run: typeof runBackup, args: string[], env: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env });
  return { code, stdout, stderr };
}

/** Every conversation the agent API shows, each with its messages, in a comparable form. */
async function everyConversation(app: Running, token: string) {
  const list = await api(app, token, 'GET', '/api/conversations');
  const out = [];
  for (const item of list.body.items as { id: string }[]) {
    const d = (await api(app, token, 'GET', `/api/conversations/${item.id}`)).body;
    out.push({
      id: d.conversation.id,
      status: d.conversation.status,
      messages: d.messages.map((m: { id: string; author: string; text: string }) => `${m.id} ${m.author}: ${m.text}`),
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** Customers chatting (FAQ answers, a hand-off) and an agent replying, so the database holds every kind of row. */
async function converse(app: Running, token: string, customers: number) {
  const queued = async () => (await api(app, token, 'GET', '/api/conversations?status=queued')).body.items.length as number;
  const before = await queued();
  for (let i = 0; i < customers; i++) {
    const c = await WebchatCustomer.open(app.url);
    await c.say('How do I return an item?');
    await c.say(`Customer ${i} asks something the FAQ cannot know about a violin`);
  }
  await eventually(async () => (await queued()) === before + customers, 15_000, 'every hand-off');
  const first = (await api(app, token, 'GET', '/api/conversations?status=queued')).body.items[0];
  await api(app, token, 'POST', `/api/conversations/${first.id}/claim`);
  await api(app, token, 'POST', `/api/conversations/${first.id}/messages`, { text: 'Hello from the agent.' });
}

describe('backup while running, restore into a fresh data directory (SQLite)', () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let out: Awaited<ReturnType<typeof tempDir>>;
  let token: string;
  beforeAll(async () => {
    dir = await tempDir();
    out = await tempDir();
    app = await startApp({}, dir.path);
    token = (await app.createAgent('Ops', 'admin')).token;
    await converse(app, token, 4);
  });
  afterAll(async () => {
    await app?.stop();
    await dir?.rm();
    await out?.rm();
  });

  it('reads every conversation back from the restored copy', async () => {
    const file = join(out.path, 'switchboard-backup.db');
    const before = await everyConversation(app, token);
    expect(before).toHaveLength(4);

    // Customers keep writing while the backup runs; the copy is consistent either way.
    const busy = converse(app, token, 2);
    const backup = await cli(runBackup, [file], { DATA_DIR: dir.path });
    await busy;
    expect(backup).toMatchObject({ code: 0, stderr: '' });
    expect(backup.stdout).toMatch(/integrity ok/);
    const conversationsInBackup = Number(/(\d+) conversations/.exec(backup.stdout)![1]);
    expect(conversationsInBackup).toBeGreaterThanOrEqual(4);

    const fresh = join(out.path, 'fresh');
    const restore = await cli(runRestore, [file], { DATA_DIR: fresh });
    expect(restore).toMatchObject({ code: 0, stderr: '' });
    expect(restore.stdout).toContain(`${conversationsInBackup} conversations`);

    const restored = await startApp({}, fresh);
    try {
      const after = await everyConversation(restored, token);
      expect(after).toHaveLength(conversationsInBackup);
      // Each conversation that existed before the backup began is there with every message.
      for (const c of before) expect(after.find((a) => a.id === c.id)).toEqual(c);
      expect((await fetch(`${restored.url}/readyz`)).status).toBe(200);
    } finally {
      await restored.stop();
    }

    // The restored directory now holds data: restoring again needs --force.
    const again = await cli(runRestore, [file], { DATA_DIR: fresh });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds data.*--force/);
    expect((await cli(runRestore, [file, '--force'], { DATA_DIR: fresh })).code).toBe(0);
  });

  it('refuses a damaged or foreign file and leaves the target alone', async () => {
    const junk = join(out.path, 'junk.db');
    writeFileSync(junk, 'this is not a database'.repeat(100));
    const target = join(out.path, 'untouched');
    const refused = await cli(runRestore, [junk], { DATA_DIR: target });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/fails its integrity check.*nothing was changed/);
    expect((await cli(runRestore, [join(out.path, 'missing.db')], { DATA_DIR: target })).stderr).toMatch(/no such file/);
    expect((await cli(runBackup, [], { DATA_DIR: target })).code).toBe(2);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('backup and restore on PostgreSQL (pg_dump / pg_restore)', () => {
  it('restores a dump taken while running into a fresh database', async () => {
    const source = await createTestDatabase();
    const target = await createTestDatabase();
    const out = await tempDir();
    const app = await startApp({ DATABASE_URL: source.url });
    try {
      const token = (await app.createAgent('Ops', 'admin')).token;
      await converse(app, token, 3);
      const before = await everyConversation(app, token);
      const file = join(out.path, 'switchboard.dump');
      const backup = await cli(runBackup, [file], { DATABASE_URL: source.url });
      expect(backup).toMatchObject({ code: 0, stderr: '' });

      expect((await cli(runRestore, [file], { DATABASE_URL: target.url })).code).toBe(0);
      // The target now has conversations: a second restore must be forced.
      expect((await cli(runRestore, [file], { DATABASE_URL: target.url })).stderr).toMatch(/already holds 3 conversations/);
      expect((await cli(runRestore, [file, '--force'], { DATABASE_URL: target.url })).code).toBe(0);

      const restored = await startApp({ DATABASE_URL: target.url });
      try {
        expect(await everyConversation(restored, token)).toEqual(before);
      } finally {
        await restored.stop();
      }
    } finally {
      await app.stop();
      await source.drop();
      await target.drop();
      await out.rm();
    }
  });
});
