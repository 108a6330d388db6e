import { createDiscordAdapter } from '../../adapters/discord/index.js';
import type { DiscordConfig } from '../../adapters/discord/config.js';
import type { ChannelAdapter } from '../../src/domain/channel.js';
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
  close(): Promise<void>;
}

export async function startHarness(config: Partial<DiscordConfig> = {}, opts: { start?: boolean } = {}): Promise<Harness> {
  const fake = await FakeDiscordApi.start();
  fake.heartbeatIntervalMs = 250;
  const state = new MemoryState();
  const make = () =>
    createDiscordAdapter(
      { token: fake.token, apiUrl: fake.apiUrl, cdnUrl: fake.cdnUrl, retryDelayMs: 20, readyTimeoutMs: 5000, ...config },
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
