/**
 * Watches one IMAP mailbox: IDLE for new mail (imapflow falls back to polling where IDLE is missing),
 * a periodic sync as a safety net, reconnect with backoff after a drop.
 *
 * Nothing lost, nothing twice: a message is flagged \Seen only after `deliver` resolved (it is stored);
 * the cursor (UIDVALIDITY + last UID) resumes after a restart; every sync also sweeps unseen messages
 * of the last week below the cursor, which picks up anything whose delivery failed or was cut short
 * (and, on a first start, the unread mail already waiting). Re-delivering one is harmless because
 * the pipeline dedupes by Message-ID.
 */
import { ImapFlow } from 'imapflow';
import type { Deliver } from '../../src/domain/channel.js';
import type { Clock } from '../../src/domain/clock.js';
import type { ChannelStateStore } from '../../src/domain/state-port.js';
import { ValidationError } from '../../src/domain/errors.js';
import { backoffDelay, type Backoff } from '../../src/kit/backoff.js';
import { CoalescedRunner } from '../../src/kit/coalesced-runner.js';
import { sleep } from '../../src/kit/sleep.js';
import type { Logger } from '../../src/log.js';
import type { EmailConfig } from './config.js';
import { CursorStore } from './cursor.js';
import { EMAIL_DEFAULTS } from './config.js';
import { fetchMessage } from './fetch-message.js';
import { bareAddress } from './message-ids.js';

export interface InboxDeps {
  clock: Clock;
  log: Logger;
  state: ChannelStateStore;
}

type InboxSettings = Pick<EmailConfig, 'imap' | 'from' | 'maxMessageBytes' | 'maxAttachmentBytes' | 'pollIntervalMs' | 'idleDelayMs'>;

const RECONNECT: Backoff = { initialMs: 500, maxMs: 60_000 };
/** Restart IDLE before servers and NAT boxes give up on a silent connection. */
const MAX_IDLE_MS = 4 * 60_000;
const STOP_GRACE_MS = 10_000;
const CONNECT_TIMEOUT_MS = 30_000;
const FIRST_CONNECT_WAIT_MS = 10_000;
/** How far back the sweep looks for unseen mail (by arrival date). */
const SWEEP_DAYS = 7;
/** Pauses before the sweep tries a message again whose delivery failed. */
const REDELIVERY: Backoff = { initialMs: 30_000, maxMs: 30 * 60_000 };

/** A time limit on a wait that must not keep the process alive by itself. */
const timeLimit = (ms: number) => sleep(ms, undefined, { ref: false });

export class ImapInbox {
  private client: ImapFlow | undefined;
  private stopping = false;
  /** Runs a sync now, or once more after the running one: new-mail events never get lost in between. */
  private readonly syncs = new CoalescedRunner(() => this.syncOnce(), {
    onError: (err) => this.log.warn('imap sync interrupted', { err }),
    mayRunAgain: () => !this.stopping,
  });
  private failures = 0;
  private connecting: Promise<void> | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  /** Messages whose delivery failed, by UIDVALIDITY:UID, and when the sweep may try them again. */
  private readonly retryAt = new Map<string, { attempts: number; at: number }>();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly cursor: CursorStore;
  private readonly log: Logger;
  private readonly ownAddress: string;

  constructor(
    private readonly settings: InboxSettings,
    private readonly deps: InboxDeps,
    private readonly deliver: Deliver,
  ) {
    this.cursor = new CursorStore(deps.state, settings.imap);
    this.ownAddress = bareAddress(settings.from);
    this.log = deps.log.child({ channel: 'email', mailbox: settings.imap.mailbox });
  }

  /**
   * Waits for the first connection only so long: wrong credentials or a missing mailbox fail start-up
   * with a clear error, while a server that is down or slow is retried in the background.
   */
  async start(): Promise<void> {
    this.stopping = false;
    const first = this.connect(true);
    this.connecting = first.then(() => undefined);
    const problem = await Promise.race([first, timeLimit(FIRST_CONNECT_WAIT_MS).then(() => undefined)]);
    if (problem) {
      this.stopping = true;
      throw problem;
    }
    // A first attempt that outlives the wait and then finds a configuration problem is retried like any other.
    void first.then((late) => late && this.scheduleReconnect());
    this.pollTimer = setInterval(() => this.requestSync(), this.settings.pollIntervalMs);
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.reconnectTimer);
    // A message being delivered gets time to finish; a connect or sync stuck on a dead socket does not hold up shutdown.
    await Promise.race([this.connecting, timeLimit(STOP_GRACE_MS)]);
    await Promise.race([this.syncs.running, timeLimit(STOP_GRACE_MS)]);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await Promise.race([client.logout().catch(() => undefined), timeLimit(2_000)]);
    client.close();
  }

  requestSync(): void {
    if (!this.stopping) this.syncs.request();
  }

  /** Connects and opens the mailbox. On a first attempt, a configuration problem is returned instead of retried. */
  private async connect(first = false): Promise<ValidationError | undefined> {
    const { imap, idleDelayMs } = this.settings;
    const client = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: imap.secure,
      auth: { user: imap.user, pass: imap.password },
      logger: false,
      connectionTimeout: CONNECT_TIMEOUT_MS,
      autoIdleDelay: idleDelayMs,
      maxIdleTime: MAX_IDLE_MS,
    });
    this.client = client;
    client.on('error', (err: Error) => this.log.warn('imap connection error', { err }));
    client.on('exists', () => this.requestSync());
    client.on('mailboxOpen', () => this.requestSync());
    client.on('close', () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.log.warn('imap connection closed; reconnecting');
      this.scheduleReconnect();
    });
    let opening = false;
    try {
      await client.connect();
      opening = true;
      await client.mailboxOpen(imap.mailbox);
      if (this.stopping) {
        client.close();
        return undefined;
      }
      this.failures = 0;
      this.log.info('imap connected', { host: imap.host, idle: client.capabilities.has('IDLE') });
      this.requestSync();
      return undefined;
    } catch (err) {
      const e = err as Error & { authenticationFailed?: boolean; responseText?: string };
      const problem = e.authenticationFailed
        ? new ValidationError(
            `email channel: IMAP login as ${imap.user} at ${imap.host} failed: ${e.responseText ?? e.message}`,
            'IMAP_PASSWORD',
          )
        : opening && client.usable
          ? new ValidationError(`email channel: mailbox "${imap.mailbox}" cannot be opened: ${e.responseText ?? e.message}`, 'IMAP_MAILBOX')
          : undefined;
      this.log.error('imap connect failed', { err: problem ?? err, host: imap.host, port: imap.port });
      if (this.client === client) this.client = undefined;
      client.close();
      if (first && problem) return problem;
      this.scheduleReconnect();
      return undefined;
    }
  }

  private scheduleReconnect(): void {
    if (this.stopping || this.reconnectTimer) return;
    const delay = backoffDelay(RECONNECT, ++this.failures);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connecting = this.connect().then(() => undefined);
    }, delay);
  }

  private async syncOnce(): Promise<void> {
    const client = this.client;
    if (!client?.usable || !client.mailbox) return;
    const box = client.mailbox;
    const uidValidity = box.uidValidity.toString();
    let cursor = await this.cursor.load();
    if (cursor?.uidValidity !== uidValidity) {
      if (cursor)
        this.log.warn('mailbox UIDVALIDITY changed; re-reading its unseen mail (known Message-IDs are skipped)', {
          from: cursor.uidValidity,
          to: uidValidity,
        });
      // A new (or renumbered) mailbox: older mail counts as handled unless it is still unseen — the sweep below takes those.
      cursor = { uidValidity, lastUid: Math.max(0, box.uidNext - 1) };
      await this.cursor.save(cursor);
    }

    const lastUid = cursor.lastUid;
    const now = this.deps.clock.now().getTime();
    // Old unread mail (say, a backlog from before switchboard) is left to people: answering it now would surprise everyone.
    const unseen = (await client.search({ seen: false, since: new Date(now - SWEEP_DAYS * 86_400_000) }, { uid: true })) || [];
    const newer = ((await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || []).filter((u) => u > lastUid);
    const sweep = unseen.filter((u) => u <= lastUid && (this.retryAt.get(`${uidValidity}:${u}`)?.at ?? 0) <= now);

    for (const uid of sweep.sort((a, b) => a - b)) {
      if (this.stopping) return;
      await this.handle(client, uid, uidValidity);
    }
    for (const uid of newer.sort((a, b) => a - b)) {
      if (this.stopping) return;
      await this.handle(client, uid, uidValidity);
      await this.cursor.save({ uidValidity, lastUid: uid });
    }
  }

  /**
   * Fetches, delivers and acknowledges one message. A failure specific to this message leaves it
   * unseen; the sweep retries it with growing pauses, so one bad message never blocks the others.
   */
  private async handle(client: ImapFlow, uid: number, uidValidity: string): Promise<void> {
    const key = `${uidValidity}:${uid}`;
    const position = { mailbox: this.settings.imap.mailbox, uidValidity, fetchedAt: this.deps.clock.now() };
    try {
      const message = await fetchMessage(client, uid, position, {
        maxMessageBytes: this.settings.maxMessageBytes,
        maxAttachmentBytes: this.settings.maxAttachmentBytes ?? EMAIL_DEFAULTS.maxAttachmentBytes,
        ownAddress: this.ownAddress,
      });
      if (!message) return;
      const result = await this.deliver(message);
      this.log.debug('email delivered', { uid, messageId: message.externalMessageId, duplicate: result.duplicate });
    } catch (err) {
      if (!client.usable) throw err;
      const attempts = (this.retryAt.get(key)?.attempts ?? 0) + 1;
      const pause = backoffDelay(REDELIVERY, attempts);
      this.retryAt.set(key, { attempts, at: this.deps.clock.now().getTime() + pause });
      this.log.error('email not delivered; it stays unseen and will be retried', { uid, attempts, retryInMs: pause, err });
      return;
    }
    this.retryAt.delete(key);
    await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
  }
}
