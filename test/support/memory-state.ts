import type { ChannelStateStore } from '../../src/domain/state-port.js';

/** The adapters' key-value state kept in a map a test can read. */
export class MemoryState implements ChannelStateStore {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async set(key: string, value: string) {
    this.values.set(key, value);
  }
}
