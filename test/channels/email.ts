import { startDovecot } from '../fakes/dovecot.js';
import { startSmtpReceiver } from '../fakes/smtp-receiver.js';
import { emailEnv, rawMail } from '../email/support.js';
import { startApp, tempDir } from '../support/app.js';
import type { ChannelCustomer, ChannelHarness } from './contract.js';

/** The running app reading a real Dovecot over IMAP and answering through a real SMTP receiver. */
export async function emailHarness(): Promise<ChannelHarness> {
  const [dovecot, smtp, dir] = await Promise.all([startDovecot(), startSmtpReceiver(), tempDir()]);
  const mailbox = await dovecot.createMailbox();
  const app = await startApp(emailEnv(dovecot, smtp, mailbox), dir.path);
  let nextCustomer = 1;
  return {
    channel: 'email',
    app,
    async newCustomer(name?: string): Promise<ChannelCustomer> {
      const address = `customer${nextCustomer++}@example.com`;
      const from = name ? `${name} <${address}>` : address;
      const sent: { messageId: string; raw: string }[] = [];
      return {
        async says(text) {
          const first = sent[0]?.messageId;
          const messageId = `<${sent.length + 1}.${address}>`;
          // Later mails answer the first, as a mail client keeps one thread.
          const raw = rawMail({ from, messageId, subject: first ? 'Re: Question' : 'Question', body: text, ...(first ? { inReplyTo: first, references: first } : {}) });
          sent.push({ messageId, raw });
          await dovecot.append(raw, { mailbox });
          return messageId;
        },
        async redeliverLast() {
          const last = sent.at(-1);
          if (!last) throw new Error('nothing to redeliver');
          await dovecot.append(last.raw, { mailbox });
        },
        async received() {
          return smtp.messages.filter((m) => m.envelope.to.includes(address)).map((m) => (m.parsed.text ?? '').trim());
        },
      };
    },
    async close() {
      await app.stop();
      await Promise.all([dovecot.stop(), smtp.stop(), dir.rm()]);
    },
  };
}
