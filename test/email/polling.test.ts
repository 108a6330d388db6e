/** Servers without IDLE: the adapter still picks up new mail, by polling. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { createEmailAdapter } from '../../adapters/email/index.js';
import { systemClock } from '../../src/domain/clock.js';
import { silentLogger } from '../../src/log.js';
import { startDovecot, type DovecotServer } from '../fakes/dovecot.js';
import { MemoryState } from '../support/memory-state.js';
import { RecordingDeliver } from '../support/recording-deliver.js';
import { eventually } from '../support/eventually.js';
import { emailConfig, rawMail } from './support.js';

let dovecot: DovecotServer;

beforeAll(async () => {
  dovecot = await startDovecot({ idle: false });
});
afterAll(async () => {
  await dovecot?.stop();
});

it('delivers new mail by polling when the server does not offer IDLE', async () => {
  const probe = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    logger: false,
  });
  await probe.connect();
  expect(probe.capabilities.has('IDLE')).toBe(false);
  await probe.logout();

  const rec = new RecordingDeliver();
  const adapter = createEmailAdapter(emailConfig(dovecot, { host: '127.0.0.1', port: 9 }, { pollIntervalMs: 300 }), {
    clock: systemClock,
    log: silentLogger,
    state: new MemoryState(),
  });
  await adapter.start(rec.deliver);
  try {
    await new Promise((r) => setTimeout(r, 500));
    await dovecot.append(rawMail({ messageId: '<polled-1@example.com>' }));
    await eventually(() => rec.stored.length === 1, 10_000, 'polled delivery');
    await dovecot.append(rawMail({ messageId: '<polled-2@example.com>' }));
    await eventually(() => rec.stored.length === 2, 10_000, 'second polled delivery');
    expect(rec.stored.map((m) => m.externalMessageId)).toEqual(['<polled-1@example.com>', '<polled-2@example.com>']);
    expect(rec.attempts.length).toBe(2);
  } finally {
    await adapter.stop();
  }
});
