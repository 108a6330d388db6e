import { createDiscordAdapter } from '../../adapters/discord/index.js';
import type { DiscordConfig } from '../../adapters/discord/config.js';
import type { ChannelAdapter, DeliverResult, InboundMessage } from '../../src/domain/channel.js';
import type { ChannelStateStore } from '../../src/domain/state-port.js';
import { silentLogger } from '../../src/log.js';
import { FakeDiscordApi } from '../fakes/discord-api.js';

/** Stands in for the pipeline at adapter level: keeps each external id once, like the store; a test may make storing fail. */
export class RecordingDeliver {
  readonly stored: InboundMessage[] = [];
  readonly attempts: InboundMessage[] = [];
  /** Called before storing; may throw to simulate a failing store. */
  before: (m: InboundMessage) => Promise<void> | void = () => {};

  readonly deliver = async (m: InboundMessage): Promise<DeliverResult> => {
    this.attempts.push(m);
    await this.before(m);
    const i = this.stored.findIndex((s) => s.externalMessageId === m.externalMessageId);
    if (i >= 0) return { messageId: String(i), conversationId: m.threadKey, duplicate: true };
    this.stored.push(m);
    return { messageId: String(this.stored.length - 1), conversationId: m.threadKey, duplicate: false };
  };

  texts(): string[] {
    return this.stored.map((m) => m.text);
  }
}

export class MemoryState implements ChannelStateStore {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async set(key: string, value: string) {
    this.values.set(key, value);
  }
}

export interface Harness {
  fake: FakeDiscordApi;
  adapter: ChannelAdapter;
  recorder: RecordingDeliver;
  state: MemoryState;
  /** A second adapter on the same fake and state, as after a restart. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(config: Partial<DiscordConfig> = {}, opts: { start?: boolean } = {}): Promise<Harness> {
  const fake = await FakeDiscordApi.start();
  fake.heartbeatIntervalMs = 250;
  const state = new MemoryState();
  const make = () => createDiscordAdapter({ token: fake.token, apiUrl: fake.apiUrl, retryDelayMs: 20, readyTimeoutMs: 5000, ...config }, { log: silentLogger, state });
  const recorder = new RecordingDeliver();
  const h: Harness = {
    fake,
    adapter: make(),
    recorder,
    state,
    async restart() {
      await h.adapter.stop();
      h.adapter = make();
      await h.adapter.start(recorder.deliver);
    },
    async close() {
      await h.adapter.stop();
      await fake.close();
    },
  };
  if (opts.start !== false) await h.adapter.start(recorder.deliver);
  return h;
}

export const ann = { id: '210000000000000001', username: 'ann_k', global_name: 'Ann K' };
export const ben = { id: '210000000000000002', username: 'ben' };
