/**
 * Offline replies by email (issue 15): an agent's reply on a web chat conversation goes to the
 * chat as usual; once the chat delivery is recorded, an email copy is queued for
 * WIDGET_EMAIL_AFTER later, and sent through the email channel's adapter unless the visitor saw
 * the reply in the chat by then. One conversation, two channels: every copy of a conversation
 * hangs under one thread root Message-ID, and the visitor's answer by email joins the
 * conversation (src/pipeline/webchat-email-join.ts).
 *
 * Durable and never doubled: the copy is a row of its own (email_copies, one per message) queued
 * in the transaction that records the chat delivery, leased like the outbox (several instances on
 * PostgreSQL skip each other's rows), and its Message-ID is derived from the message id, so a
 * resend after a crash mid-send is recognisably the same email.
 */
import type { ChannelAdapter, OutboundMessage } from '../domain/channel.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../log.js';
import type { EmailCopyRow, OutboxRow } from '../store/ports.js';
import type { Repos, Store } from '../store/store.js';
import { LeasePump } from './lease-pump.js';
import { attemptSend, OUTBOX_GIVE_UP_AFTER_MS, sendWithin } from './send-attempt.js';

/** Mail clients keep References short; so do we: the root and the latest copies. */
const MAX_CHAIN = 19;

/** The thread root every copy of a conversation shares: `<webchat.<conversation id>@<EMAIL_FROM domain>>`. */
export function threadRoot(conversationId: string, domain: string): string {
  return `<webchat.${conversationId}@${domain}>`;
}

/** The conversation id in a thread root we made, whatever the domain. */
export function conversationOfRoot(id: string): string | undefined {
  return /^<webchat\.([A-Za-z0-9_-]{1,64})@[^<>@\s]+>$/.exec(id)?.[1];
}

/** `Support <support@shop.example>` → `shop.example`. */
export function fromDomain(from: string): string {
  const bare = (/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from).trim();
  return bare.slice(bare.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * The outbox's second phase: called in the transaction that records a chat delivery, queues the
 * email copy of an agent's web chat reply (`afterMs` from now).
 */
export function queueEmailCopy(afterMs: number) {
  return async (r: Repos, row: OutboxRow, m: OutboundMessage, now: number): Promise<void> => {
    if (m.channel !== 'webchat' || m.author !== 'agent') return;
    await r.emailCopies.insert({
      messageId: row.messageId,
      conversationId: row.conversationId,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now + afterMs,
      leaseUntil: null,
      leaseOwner: null,
      lastError: null,
      externalId: null,
      createdAt: now,
      sentAt: null,
    });
  };
}

/** The visitor's chat showed the replies: copies not sent yet are not needed. */
export async function visitorSawChat(store: Store, clock: Clock, sessionId: string): Promise<number> {
  const now = clock.now().getTime();
  return store.tx(async (r) => {
    const c = await r.conversations.latestForThread('webchat', sessionId);
    return c ? r.emailCopies.skipPending(c.id, now, now, 'seen in the chat') : 0;
  });
}

export interface EmailCopyWorkerOptions {
  store: Store;
  /** The email channel's adapter: copies go through its send, like any email reply. */
  email: ChannelAdapter;
  clock: Clock;
  log: Logger;
  /** EMAIL_FROM's domain, for the thread root. */
  domain: string;
  /** WIDGET_NAME, for the subject. */
  shopName: string;
  owner?: string;
  leaseMs?: number;
  pollMs?: number;
  sendTimeoutMs?: number;
}

/** Sends due email copies; every instance runs one, like the outbox worker. */
export class EmailCopyWorker {
  private readonly pump: LeasePump<EmailCopyRow>;

  constructor(private readonly o: EmailCopyWorkerOptions) {
    this.pump = new LeasePump<EmailCopyRow>({
      clock: o.clock,
      lease: (now, leaseUntil, room) => o.store.tx((r) => r.emailCopies.leaseDue(now, leaseUntil, room, o.owner)),
      handle: (row) => this.sendOne(row),
      nextDueAt: () => o.store.read((r) => r.emailCopies.nextDueAt()),
      onError: (err, row) =>
        row
          ? o.log.error('email copy bookkeeping failed', { messageId: row.messageId, err })
          : o.log.error('email copy drain failed', { err }),
      leaseMs: o.leaseMs ?? 60_000,
      maxInFlight: 10,
      pollMs: o.pollMs ?? 1000,
    });
  }

  start(): void {
    this.pump.start();
  }

  kick(): void {
    this.pump.kick();
  }

  stop(): Promise<void> {
    return this.pump.stop();
  }

  private async sendOne(row: EmailCopyRow): Promise<void> {
    const { store, clock, log } = this.o;
    const mail = await store.read((r) => this.compose(r, row));
    if (typeof mail === 'string') {
      await store.tx((r) => r.emailCopies.update(row.messageId, { status: 'skipped', lastError: mail, leaseUntil: null }));
      return;
    }
    await attemptSend({
      row,
      clock,
      limits: { giveUpAfterMs: OUTBOX_GIVE_UP_AFTER_MS },
      send: async (attempt) => {
        const { externalId } = await sendWithin(this.o.email.send(mail), this.o.sendTimeoutMs ?? 30_000, 'email');
        const now = clock.now().getTime();
        await store.tx((r) =>
          r.emailCopies.update(row.messageId, {
            status: 'sent',
            attempts: attempt,
            externalId,
            sentAt: now,
            leaseUntil: null,
            lastError: null,
          }),
        );
      },
      failed: async ({ attempt, error: ce, decision }) => {
        const lastError = `${ce.code}: ${ce.message}`.slice(0, 500);
        log.warn('email copy send failed', { messageId: row.messageId, attempt, error: lastError, giveUp: decision.giveUp });
        await store.tx((r) =>
          r.emailCopies.update(
            row.messageId,
            decision.giveUp === false
              ? { attempts: attempt, lastError, nextAttemptAt: decision.nextAttemptAt, leaseUntil: null }
              : { status: 'failed', attempts: attempt, lastError, leaseUntil: null },
          ),
        );
      },
    });
  }

  /** The email for a copy, or why there is none (the reason it is skipped). */
  private async compose(r: Repos, row: EmailCopyRow): Promise<OutboundMessage | string> {
    const [message, conversation] = [await r.messages.get(row.messageId), await r.conversations.get(row.conversationId)];
    if (!message || !conversation) return 'the reply is gone';
    let customer = await r.customers.get(conversation.customerId);
    for (let hops = 0; customer?.mergedInto && hops < 10; hops++) customer = await r.customers.get(customer.mergedInto);
    if (!customer || customer.erasedAt !== null) return 'the customer was erased';
    if (!customer.email) return 'no email address';
    const root = threadRoot(conversation.id, this.o.domain);
    const earlier = await r.emailCopies.sentIds(conversation.id, MAX_CHAIN);
    const zh = (customer.locale ?? conversation.locale ?? '').toLowerCase().startsWith('zh');
    const footer = zh
      ? '——\n您可以直接回复此邮件，或回到网站上的聊天窗口继续对话。'
      : '--\nYou can answer this email, or carry on in the chat on our site.';
    return {
      outboxId: `webchat-copy.${row.messageId}`,
      conversationId: conversation.id,
      channel: 'email',
      threadKey: root,
      to: { channelUserId: customer.email, email: customer.email, displayName: customer.displayName ?? undefined },
      text: `${message.text}\n\n${footer}`,
      author: 'agent',
      replyTo: {
        externalMessageId: earlier.at(-1) ?? root,
        subject: zh ? `您与${this.o.shopName}的对话` : `Your chat with ${this.o.shopName}`,
        references: [root, ...earlier],
      },
    };
  }
}
