/** The email channel: an IMAP mailbox in, SMTP out. */
import type { ChannelAdapter, Deliver, OutboundMessage } from '../../src/domain/channel.js';
import { EMAIL_DEFAULTS, type EmailConfig } from './config.js';
import { checkAttachments, composeReply, emailLimits } from './compose.js';
import { ImapInbox, type InboxDeps } from './imap-inbox.js';
import { SmtpSender } from './smtp-sender.js';

export function createEmailAdapter(config: EmailConfig, deps: InboxDeps): ChannelAdapter {
  const sender = new SmtpSender(config.smtp);
  let inbox: ImapInbox | undefined;
  const attachmentLimits = emailLimits(config.maxAttachmentBytes ?? EMAIL_DEFAULTS.maxAttachmentBytes);

  return {
    channel: 'email',
    // Two readers of one mailbox would race on every message; with several instances only the leader reads.
    singleConsumer: true,
    attachmentLimits,
    async start(deliver: Deliver) {
      inbox = new ImapInbox(config, deps, deliver);
      await inbox.start();
    },
    /** The Message-ID is derived from the outbox id, so a resend after a crash is recognisably the same email. */
    async send(m: OutboundMessage) {
      checkAttachments(m.attachments ?? [], attachmentLimits);
      const mail = composeReply(m, config.from);
      await sender.send(mail);
      return { externalId: mail.messageId };
    },
    async stop() {
      await inbox?.stop();
      inbox = undefined;
      sender.close();
    },
  };
}
