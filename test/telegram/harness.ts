import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTelegramAdapter } from '../../adapters/telegram/index.js';
import type { TelegramConfig } from '../../adapters/telegram/config.js';
import type { AdapterRoute, ChannelAdapter, OutboundMessage } from '../../src/domain/channel.js';
import { silentLogger } from '../../src/log.js';
import { MemoryState } from '../support/memory-state.js';
import { RecordingDeliver } from '../support/recording-deliver.js';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';

const openGates = new Set<() => void>();

/** A promise a test opens when it wants a held delivery to finish; the harness opens any left shut on close. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  openGates.add(open);
  return { promise, open };
}

export interface Harness {
  fake: FakeTelegramBotApi;
  adapter: ChannelAdapter;
  recorder: RecordingDeliver;
  state: MemoryState;
  close(): Promise<void>;
}

export async function startHarness(config: Partial<TelegramConfig> = {}, opts: { start?: boolean } = {}): Promise<Harness> {
  const fake = await FakeTelegramBotApi.start();
  const state = new MemoryState();
  const adapter = createTelegramAdapter(
    { token: fake.token, apiRoot: fake.apiRoot, pollTimeoutSeconds: 1, retryDelayMs: 20, ...config },
    { log: silentLogger, state },
  );
  const recorder = new RecordingDeliver();
  if (opts.start !== false) await adapter.start(recorder.deliver);
  return {
    fake,
    adapter,
    recorder,
    state,
    async close() {
      for (const open of openGates) open();
      openGates.clear();
      await adapter.stop();
      await fake.close();
    },
  };
}

/**
 * Serves adapter routes on loopback the way the app mounts them, so the fake can post to
 * them. Routes are looked up per request: the server's URL is needed to build the adapter.
 */
export async function serveRoutes(routes: () => readonly AdapterRoute[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: (req) => {
      const path = new URL(req.url).pathname;
      const route = routes().find((r) => r.method === req.method && r.path === path);
      return route ? route.handle(req, {}, { clientIp: '127.0.0.1' }) : new Response('not found', { status: 404 });
    },
  }) as Server;
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const alice = { id: 1001, first_name: 'Alice', last_name: 'Ng', username: 'alice', language_code: 'en' };
export const bo = { id: 1002, first_name: 'Bo', language_code: 'zh-hans' };

/** An agent's reply to Alice as the outbox hands it to the adapter (`extra` for files, a quote, another author). */
export function reply(text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    outboxId: `out-${Math.random()}`,
    conversationId: 'conv-1',
    channel: 'telegram',
    threadKey: String(alice.id),
    to: { channelUserId: String(alice.id) },
    text,
    author: 'agent',
    ...extra,
  };
}
