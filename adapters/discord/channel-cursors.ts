import type { ChannelStateStore } from '../../src/domain/state-port.js';
import type { Logger } from '../../src/log.js';

const KEY = 'discord:channel-cursors';

export interface Cursor {
  /** The newest message id in this channel that needs nothing more (stored, or not for us). */
  last: string;
  /** Messages fetched over REST carry no guild id; the mention rule needs it. */
  guildId?: string;
}

/**
 * Per channel, how far inbound got, for catching up after the gateway lost messages (Discord
 * does not redeliver). Kept for the most recently active channels only, newest last, in one
 * channel-state entry; writes are coalesced so a busy channel does not write per message in
 * parallel.
 */
export class ChannelCursors {
  private readonly cursors = new Map<string, Cursor>();
  private saving: Promise<void> | undefined;
  private dirty = false;

  constructor(
    private readonly state: ChannelStateStore,
    private readonly log: Logger,
    private readonly maxChannels = 200,
  ) {}

  async load(): Promise<void> {
    const saved = await this.state.get(KEY);
    this.cursors.clear();
    for (const [id, cursor] of saved ? (JSON.parse(saved) as [string, Cursor][]) : []) this.cursors.set(id, cursor);
  }

  has(channelId: string): boolean {
    return this.cursors.has(channelId);
  }

  /** Starts tracking a channel just before `messageId`, so that message is caught up if it is never stored. */
  track(channelId: string, messageId: string, guildId: string | undefined): void {
    if (this.cursors.has(channelId)) return;
    this.cursors.set(channelId, { last: String(BigInt(messageId) - 1n), ...(guildId ? { guildId } : {}) });
    while (this.cursors.size > this.maxChannels) this.cursors.delete(this.cursors.keys().next().value!);
    this.save();
  }

  /** Moves a tracked channel's cursor forward (never back) and marks it most recently active. */
  advance(channelId: string, messageId: string): void {
    const cursor = this.cursors.get(channelId);
    if (!cursor || BigInt(messageId) <= BigInt(cursor.last)) return;
    this.cursors.delete(channelId);
    this.cursors.set(channelId, { ...cursor, last: messageId });
    this.save();
  }

  forget(channelId: string): void {
    if (this.cursors.delete(channelId)) this.save();
  }

  get(channelId: string): Cursor | undefined {
    return this.cursors.get(channelId);
  }

  /** Channel ids, most recently active first. */
  recent(): string[] {
    return [...this.cursors.keys()].reverse();
  }

  /** Resolves once everything recorded so far is written. */
  async flush(): Promise<void> {
    while (this.saving) await this.saving;
  }

  private save(): void {
    this.dirty = true;
    this.saving ??= this.writeLoop().finally(() => (this.saving = undefined));
  }

  private async writeLoop(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      try {
        await this.state.set(KEY, JSON.stringify([...this.cursors]));
      } catch (err) {
        // The next change writes again; until then a catch-up may fetch a little more than needed.
        this.log.warn('discord: saving channel cursors failed', { error: err });
        return;
      }
    }
  }
}
