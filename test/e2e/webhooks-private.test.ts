import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { createWebhook } from '../../src/webhooks/manage.js';
import { isPrivateAddress } from '../../src/kit/private-address.js';
import { api, eventually, startApp, tempDir } from '../support/app.js';
import { webhookReceiver } from '../support/webhook-receiver.js';

describe('webhooks never reach private or loopback addresses unless allowed', () => {
  it('classifies addresses: loopback, private, link-local, mapped IPv6 refused; public ones allowed', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['93.184.216.34', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(isPrivateAddress(a), a).toBe(false);
  });

  it('refuses such a URL when the webhook is made, and refuses to deliver to one that resolves inward later', async () => {
    const rx = await webhookReceiver();
    const port = new URL(rx.url).port;
    const dir = await tempDir();
    try {
      const first = await startApp({}, dir.path);
      const { token, id: adminId } = await first.createAgent('Private Admin', 'admin');
      for (const url of [
        rx.url,
        `http://localhost:${port}/`,
        'http://[::1]/hook',
        'http://169.254.169.254/latest/meta-data',
        'http://10.0.0.5/',
      ]) {
        const res = await api(first, token, 'POST', '/api/webhooks', { url, events: ['note'] });
        expect(res.status, url).toBe(400);
        expect(JSON.stringify(res.body), url).toMatch(/private or loopback/);
      }
      expect((await api(first, token, 'POST', '/api/webhooks', { url: 'https://hooks.example.com/x', events: ['note'] })).status).toBe(201);
      await first.stop();

      // As if the names had pointed elsewhere when the webhooks were made: rows written past the API's check.
      const store = await openStore({ sqliteFile: `${dir.path}/switchboard.db` });
      const now = Date.now();
      const hooks = await store.tx(async (r) => {
        const byName = await createWebhook(r, { url: `http://localhost:${port}/by-name`, events: ['note'], by: adminId, now });
        const byIp = await createWebhook(r, { url: `http://127.0.0.1:${port}/by-ip`, events: ['note'], by: adminId, now });
        await r.events.append(null, { type: 'note', data: { messageId: 'private-check', agentId: adminId } }, now);
        return [byName.webhook.id, byIp.webhook.id];
      });
      await store.close();

      const second = await startApp({}, dir.path);
      try {
        for (const hookId of hooks) {
          const failed = await eventually(
            async () => {
              const log = await api(second, token, 'GET', `/api/webhooks/${hookId}/deliveries`);
              const item = (log.body.items as { status: string; lastError: string | null; attempts: number }[])[0];
              return item?.status === 'failed' ? item : undefined;
            },
            10_000,
            'the delivery refused',
          );
          // Refused outright, not retried: the address will not become public by waiting.
          expect(failed.attempts).toBe(1);
          expect(failed.lastError).toMatch(/refused: .*(127\.0\.0\.1|::1).*private or loopback|refused: 127\.0\.0\.1 is a private/);
        }
        expect(rx.received).toEqual([]);
      } finally {
        await second.stop();
      }
    } finally {
      await rx.close();
      await dir.rm();
    }
  });
});
