/**
 * The durable IMAP position: the highest UID handled in a mailbox, valid only for the UIDVALIDITY it
 * was read under (a recreated mailbox renumbers its messages). One key, so both change together.
 */
import type { ChannelStateStore } from '../../src/domain/state-port.js';

export interface Cursor {
  uidValidity: string;
  lastUid: number;
}

export class CursorStore {
  private readonly key: string;

  constructor(
    private readonly state: ChannelStateStore,
    account: { user: string; host: string; mailbox: string },
  ) {
    this.key = `imap:${account.user}@${account.host}/${account.mailbox}`;
  }

  async load(): Promise<Cursor | undefined> {
    const value = await this.state.get(this.key);
    if (!value) return undefined;
    const parsed = JSON.parse(value) as Partial<Cursor>;
    return typeof parsed.uidValidity === 'string' && typeof parsed.lastUid === 'number'
      ? { uidValidity: parsed.uidValidity, lastUid: parsed.lastUid }
      : undefined;
  }

  save(cursor: Cursor): Promise<void> {
    return this.state.set(this.key, JSON.stringify(cursor));
  }
}
