import type { DeliverResult, InboundMessage } from '../../src/domain/channel.js';

/**
 * Stands in for the pipeline at adapter level: keeps each external id once, like the store's
 * unique (channel, externalMessageId), and lets a test hold or fail a delivery to see what the
 * adapter acknowledges meanwhile.
 */
export class RecordingDeliver {
  readonly stored: InboundMessage[] = [];
  /** Every call, including those that failed and duplicates. */
  readonly attempts: InboundMessage[] = [];
  /** Called before storing; may await or throw to simulate a slow or failing store. */
  before: (m: InboundMessage) => Promise<void> | void = () => {};

  readonly deliver = async (m: InboundMessage): Promise<DeliverResult> => {
    this.attempts.push(m);
    await this.before(m);
    const i = this.stored.findIndex((s) => s.externalMessageId === m.externalMessageId);
    if (i >= 0) return { messageId: String(i), conversationId: m.threadKey, duplicate: true };
    this.stored.push(m);
    return { messageId: String(this.stored.length - 1), conversationId: m.threadKey, duplicate: false };
  };

  texts(threadKey?: string): string[] {
    return this.stored.filter((m) => threadKey === undefined || m.threadKey === threadKey).map((m) => m.text);
  }

  /** The next `n` deliveries fail as if the store were down. */
  failNext(n: number): void {
    let left = n;
    const previous = this.before;
    this.before = async (m) => {
      if (left > 0) {
        left--;
        throw new Error('store unavailable');
      }
      await previous(m);
    };
  }

  /** Holds every delivery until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const previous = this.before;
    this.before = async (m) => {
      await gate;
      await previous(m);
    };
    return () => {
      this.before = previous;
      release();
    };
  }
}
