import { startDovecot } from '../fakes/dovecot.js';
import { startSmtpReceiver } from '../fakes/smtp-receiver.js';
import { emailEnv, rawMail } from '../email/support.js';
import { startApp, tempDir } from '../support/app.js';
import type { ChannelCustomer, ChannelHarness } from './contract.js';

/** The running app reading a real Dovecot over IMAP and answering through a real SMTP receiver. */
export async function emailHarness(extraEnv: Record<string, string> = {}): Promise<ChannelHarness> {
  const [dovecot, smtp, dir] = await Promise.all([startDovecot(), startSmtpReceiver(), tempDir()]);
  const mailbox = await dovecot.createMailbox();
  const app = await startApp({ ...extraEnv, ...emailEnv(dovecot, smtp, mailbox) }, dir.path);
  let nextCustomer = 1;
  return {
    channel: 'email',
    app,
    async newCustomer(name?: string): Promise<ChannelCustomer> {
      const address = `customer${nextCustomer++}@example.com`;
      const from = name ? `${name} <${address}>` : address;
      const sent: { messageId: string; raw: string }[] = [];
      const received = () => smtp.messages.filter((m) => m.envelope.to.includes(address)).map((m) => (m.parsed.text ?? '').trim());
      const numbered = async () =>
        [...(received().at(-1) ?? '').matchAll(/^(\d+)\. (.+)$/gm)].map((m) => ({ n: m[1]!, label: m[2]!.trim() }));
      const customer: ChannelCustomer = {
        async says(text) {
          const first = sent[0]?.messageId;
          const messageId = `<${sent.length + 1}.${address}>`;
          // Later mails answer the first, as a mail client keeps one thread.
          const raw = rawMail({
            from,
            messageId,
            subject: first ? 'Re: Question' : 'Question',
            body: text,
            ...(first ? { inReplyTo: first, references: first } : {}),
          });
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
          return received();
        },
        async lastChoices() {
          return (await numbered()).map((c) => c.label);
        },
        // Mail has no buttons: the customer answers with the number, as a full-width digit here (an IME's).
        async picks(label) {
          const choice = (await numbered()).find((c) => c.label === label);
          if (!choice) throw new Error(`no choice "${label}" in the last email`);
          return customer.says(String.fromCharCode(0xff10 + Number(choice.n)));
        },
      };
      return customer;
    },
    async close() {
      await app.stop();
      await Promise.all([dovecot.stop(), smtp.stop(), dir.rm()]);
    },
  };
}
