/**
 * Prints how fast the email adapter drains a backlog from a real Dovecot: N unseen emails, each
 * fetched, parsed (with a quoted reply to strip) and delivered. Run: npm run bench:email [-- N]
 */
import { ImapFlow } from 'imapflow';
import { createEmailAdapter } from '../adapters/email/index.js';
import { systemClock } from '../src/domain/clock.js';
import { silentLogger } from '../src/log.js';
import { startDovecot } from '../test/fakes/dovecot.js';
import { emailConfig, memoryState, rawMail, recordingDeliver, waitFor } from '../test/email/support.js';

const n = Number(process.argv[2] ?? 500);
const dovecot = await startDovecot();
try {
  const box = await dovecot.createMailbox();
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
  await client.connect();
  for (let i = 0; i < n; i++) {
    await client.append(box, rawMail({ messageId: `<bench-${i}@example.com>`, body: `Where is order ${i}?\n\nOn Mon, 23 Nov 2026, Shop Support wrote:\n> Thanks for your order.` }));
  }
  await client.logout();

  const rec = recordingDeliver();
  const config = emailConfig(dovecot, { host: '127.0.0.1', port: 9 });
  const adapter = createEmailAdapter({ ...config, imap: { ...config.imap, mailbox: box } }, { clock: systemClock, log: silentLogger, state: memoryState() });
  const started = performance.now();
  await adapter.start(rec.deliver);
  await waitFor('backlog drained', () => rec.stored.length === n, 300_000);
  const ms = performance.now() - started;
  await adapter.stop();
  console.log(`email backlog: ${n} messages delivered in ${ms.toFixed(0)} ms (${((n * 1000) / ms).toFixed(0)} messages/s), one IMAP connection`);
} finally {
  await dovecot.stop();
}
