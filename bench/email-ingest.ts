/**
 * Prints how fast the email adapter drains a backlog from a real Dovecot: N unseen emails, each
 * fetched, parsed (with a quoted reply to strip) and delivered. Run: npm run bench:email [-- N]
 */
import { ImapFlow } from 'imapflow';
import { createEmailAdapter } from '../adapters/email/index.js';
import { systemClock } from '../src/domain/clock.js';
import { silentLogger } from '../src/log.js';
import { startDovecot } from '../test/fakes/dovecot.js';
import { emailConfig, rawMail } from '../test/email/support.js';
import { eventually } from '../test/support/eventually.js';
import { MemoryState } from '../test/support/memory-state.js';
import { RecordingDeliver } from '../test/support/recording-deliver.js';

const n = Number(process.argv[2] ?? 500);
const dovecot = await startDovecot();
try {
  const box = await dovecot.createMailbox();
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    logger: false,
  });
  await client.connect();
  for (let i = 0; i < n; i++) {
    await client.append(
      box,
      rawMail({
        messageId: `<bench-${i}@example.com>`,
        body: `Where is order ${i}?\n\nOn Mon, 23 Nov 2026, Shop Support wrote:\n> Thanks for your order.`,
      }),
    );
  }
  await client.logout();

  const rec = new RecordingDeliver();
  const config = emailConfig(dovecot, { host: '127.0.0.1', port: 9 });
  const adapter = createEmailAdapter(
    { ...config, imap: { ...config.imap, mailbox: box } },
    { clock: systemClock, log: silentLogger, state: new MemoryState() },
  );
  const started = performance.now();
  await adapter.start(rec.deliver);
  await eventually(() => rec.stored.length === n, 300_000, 'backlog drained');
  const ms = performance.now() - started;
  await adapter.stop();
  console.log(
    `email backlog: ${n} messages delivered in ${ms.toFixed(0)} ms (${((n * 1000) / ms).toFixed(0)} messages/s), one IMAP connection`,
  );
} finally {
  await dovecot.stop();
}
