import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/main.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { englishFaqCopy } from './support.js';

const SHOWROOM = ['Where is your showroom?', 'Is your showroom open to visitors?', 'Where can I find your showroom?'];
const OTHER = 'Do you plant a tree for every order?';

describe('gaps report: GET /api/faq/gaps and `faq gaps`', () => {
  let app: Running;
  let data: Awaited<ReturnType<typeof tempDir>>;
  let faqDir: string;

  beforeAll(async () => {
    data = await tempDir();
    faqDir = englishFaqCopy();
    app = await startApp({ FAQ_DIR: faqDir, FAQ_MIN_SUGGEST_CONFIDENCE: '1' }, data.path);
  });
  afterAll(async () => {
    await app?.stop();
    await data?.rm();
    if (faqDir) await rm(faqDir, { recursive: true, force: true });
  });

  it('groups the handed-off questions by similarity, largest group first; admins only', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const answered = await WebchatCustomer.open(app.url);
    await answered.say('How do I return an item?');
    for (const question of [SHOWROOM[0]!, OTHER, SHOWROOM[1]!, SHOWROOM[2]!]) {
      const customer = await WebchatCustomer.open(app.url);
      await customer.say(question);
      await eventually(
        async () => (await app.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId)))?.status === 'queued',
        5000,
        'hand-off',
      );
    }

    const agent = await app.createAgent('Ann');
    expect((await api(app, agent.token, 'GET', '/api/faq/gaps')).status).toBe(403);
    const admin = await app.createAgent('Ops', 'admin');
    const { status, body } = await api(app, admin.token, 'GET', `/api/faq/gaps?since=${since}`);
    expect(status).toBe(200);
    expect(body.total).toBe(4);
    expect(body.groups.map((g: { count: number }) => g.count)).toEqual([3, 1]);
    expect(body.groups[0].examples.map((e: { text: string }) => e.text).sort()).toEqual([...SHOWROOM].sort());
    expect(body.groups[1].examples.map((e: { text: string }) => e.text)).toEqual([OTHER]);
    expect(body.groups[0].examples[0]).toMatchObject({
      conversationId: expect.any(String),
      messageId: expect.any(String),
      at: expect.any(String),
    });

    expect((await api(app, admin.token, 'GET', '/api/faq/gaps?since=last-tuesday')).status).toBe(400);
    const later = await api(app, admin.token, 'GET', `/api/faq/gaps?since=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(later.body).toMatchObject({ total: 0, groups: [] });

    // The command reads the same database (the app's SQLite file, which it keeps in WAL mode).
    const cli = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, '..', '..', 'src', 'cli.ts'), 'faq', 'gaps', '--since', since, '--json'],
        { env: { ...process.env, DATA_DIR: data.path, DATABASE_URL: '' } },
        (err, stdout) => resolve({ code: err ? 1 : 0, stdout }),
      ),
    );
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout).groups.map((g: { count: number }) => g.count)).toEqual([3, 1]);
  });
});
