import { describe, expect, it } from 'vitest';
import { startSwitchboard, type Running } from '../../src/main.js';
import { createLogger } from '../../src/log.js';
import { api, eventually, SAMPLE_FAQ, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';

const DAY = 86_400_000;

describe('RETENTION_DAYS in the running service', () => {
  it('purges a conversation closed longer ago than the setting, soon after start, and keeps its row, status and CSAT', async () => {
    const dir = await tempDir();
    let now = Date.now();
    const clock = { now: () => new Date(now) };
    const start = () =>
      startSwitchboard(
        { PORT: '0', HOST: '127.0.0.1', FAQ_DIR: SAMPLE_FAQ, DATA_DIR: dir.path, RETENTION_DAYS: '30' },
        { clock, log: createLogger('silent') },
      );
    let app: Running = await start();
    try {
      const agent = await app.createAgent('Ann');
      const customer = await WebchatCustomer.open(app.url);
      await customer.say('please delete my address 12 Elm Street later');
      await customer.say('human');
      const conv = await eventually(
        () => app.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId)),
        5000,
        'conversation',
      );
      await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/claim`);
      await api(app, agent.token, 'POST', `/api/conversations/${conv.id}/resolve`);
      await eventually(
        async () => (await customer.history()).items.some((i) => /from 1 \(poor\) to 5/.test(i.text)),
        5000,
        'CSAT question',
      );
      await customer.say('4');
      await eventually(async () => (await app.store.tx((r) => r.conversations.get(conv.id)))?.status === 'closed', 5000, 'closed');
      const texts = async () => (await app.store.tx((r) => r.messages.list(conv.id, { includeInternal: true }))).map((m) => m.text);
      expect(await texts()).toContain('please delete my address 12 Elm Street later');

      // 31 days on: the job purges it shortly after start.
      await app.stop();
      now += 31 * DAY;
      app = await start();
      await eventually(async () => (await texts()).every((t) => t === ''), 5_000, 'purged');
      const row = await app.store.tx((r) => r.conversations.get(conv.id));
      expect(row).toMatchObject({ status: 'closed', csat: 4, redactedAt: now });
    } finally {
      await app.stop();
      await dir.rm();
    }
  }, 60_000);
});
