/** Small durable key/value state for adapters (IMAP UIDVALIDITY + last UID, polling cursors). */
export interface ChannelStateStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}
