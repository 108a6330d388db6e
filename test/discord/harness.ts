import { createDiscordAdapter } from '../../adapters/discord/index.js';
import type { DiscordConfig } from '../../adapters/discord/config.js';
import type { ChannelAdapter, OutboundMessage } from '../../src/domain/channel.js';
import { silentLogger } from '../../src/log.js';
import { MemoryState } from '../support/memory-state.js';
import { RecordingDeliver } from '../support/recording-deliver.js';
import { FakeDiscordApi } from '../fakes/discord-api.js';

export interface Harness {
  fake: FakeDiscordApi;
  adapter: ChannelAdapter;
  recorder: RecordingDeliver;
  state: MemoryState;
  /** A second adapter on the same fake and state, as after a restart. */
  restart(): Promise<void>;
  /** The same, with settings that need the fake's ids (support channels made after the fake started). */
  restartWith(config: Partial<DiscordConfig>): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(config: Partial<DiscordConfig> = {}, opts: { start?: boolean } = {}): Promise<Harness> {
  const fake = await FakeDiscordApi.start();
  fake.heartbeatIntervalMs = 250;
  const state = new MemoryState();
  const make = (more: Partial<DiscordConfig> = {}) =>
    createDiscordAdapter(
      { token: fake.token, apiUrl: fake.apiUrl, cdnUrl: fake.cdnUrl, retryDelayMs: 20, readyTimeoutMs: 5000, ...config, ...more },
      { log: silentLogger, state },
    );
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
    async restartWith(more) {
      await h.adapter.stop();
      h.adapter = make(more);
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

/** An agent's reply to Ann in `threadKey` (a channel id) as the outbox hands it to the adapter. */
export function reply(threadKey: string, text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    outboxId: `out-${Math.random()}`,
    conversationId: 'conv-1',
    channel: 'discord',
    threadKey,
    to: { channelUserId: ann.id },
    text,
    author: 'agent',
    ...extra,
  };
}
