import {
  DiscordAPIError,
  GatewayDispatchEvents,
  InteractionResponseType,
  InteractionType,
  REST,
  Routes,
  type APIInteraction,
  type APIUser,
  type Client,
} from 'discord.js';
import type { ChannelAdapter, Deliver, OutboundMessage } from '../../src/domain/channel.js';
import { ChannelError } from '../../src/domain/errors.js';
import type { ChannelStateStore } from '../../src/domain/state-port.js';
import { backoffDelay, type Backoff } from '../../src/kit/backoff.js';
import { sleep } from '../../src/kit/sleep.js';
import type { Logger } from '../../src/log.js';
import { ChannelCursors } from './channel-cursors.js';
import type { DiscordConfig } from './config.js';
import { createGatewayClient, sendingRestOptions } from './gateway-client.js';
import { createInbound, type Inbound } from './inbound.js';
import type { GatewayMessage } from './normalize.js';
import { createFileOpener, DEFAULT_MAX_DOWNLOAD_BYTES } from './files.js';
import { createReplySender, discordLimits } from './send-reply.js';

export interface DiscordAdapterDeps {
  log: Logger;
  /** Channel state: per-channel cursors for catching up, and how far a multi-part reply got. */
  state: ChannelStateStore;
}

/** Close reasons discord.js does not recover from; retrying cannot help until the bot's settings change. */
const FATAL_GATEWAY_ERRORS = /disallowed intents|invalid intents|authentication failed|token/i;

/** The Discord channel: one gateway connection in, REST out. See README.md. */
export function createDiscordAdapter(config: DiscordConfig, deps: DiscordAdapterDeps): ChannelAdapter {
  const log = deps.log.child({ channel: 'discord' });
  const retryDelayMs = config.retryDelayMs ?? 1000;
  const reconnectBackoff: Backoff = { initialMs: retryDelayMs, maxMs: 60_000 };
  const readyTimeoutMs = config.readyTimeoutMs ?? 15_000;
  // Sending never needs the gateway, so every instance can send without having started.
  const rest = new REST(sendingRestOptions(config)).setToken(config.token);
  const attachmentLimits = discordLimits(config.maxUploadBytes);
  const sendReply = createReplySender({ rest, state: deps.state, limits: attachmentLimits });
  const openFile = createFileOpener({ cdnUrl: config.cdnUrl, maxBytes: config.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES });
  let client: Client | undefined;
  let inbound: Inbound | undefined;
  let me: APIUser | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let stopped = true;

  /** Logs in; resolves once READY arrived or `readyTimeoutMs` passed, rejects only on a setting that must change. */
  const connect = async (failures: number): Promise<void> => {
    const c = createGatewayClient(config);
    client = c;
    c.ws.on(GatewayDispatchEvents.MessageCreate, (data: GatewayMessage) => inbound?.onMessage(data));
    c.ws.on(GatewayDispatchEvents.InteractionCreate, (data: APIInteraction) => {
      if (data.type === InteractionType.MessageComponent) inbound?.onInteraction(data);
    });
    // A fresh session (not a resume) may have missed messages: Discord does not replay them.
    c.on('shardReady', () => {
      log.info('discord: connected', { bot: c.user?.username });
      if (inbound) inbound.catchUp(c.rest);
    });
    c.on('shardReconnecting', () => inbound?.markGap());
    c.on('shardResume', (_id, replayed) => log.info('discord: session resumed', { replayed }));
    c.on('shardDisconnect', (event) => log.error('discord: gateway closed for good', { code: event.code }));
    c.on('error', (err) => log.error('discord: client error', { error: err }));

    const login = c.login(config.token);
    const settled = new AbortController();
    const waited = sleep(readyTimeoutMs, settled.signal).then(() => 'timeout' as const);
    const outcome = await Promise.race([
      login.then(
        () => 'ready' as const,
        (err: unknown) => err,
      ),
      waited,
    ]);
    settled.abort();
    if (outcome === 'ready') return;
    if (outcome === 'timeout') {
      log.warn('discord: gateway not ready yet, still connecting in the background', { waitedMs: readyTimeoutMs });
      login.catch((err: unknown) => retryLater(c, err, failures));
      return;
    }
    if (outcome instanceof Error && FATAL_GATEWAY_ERRORS.test(outcome.message)) {
      await c.destroy();
      throw new ChannelError(
        `Discord gateway refused the bot: ${outcome.message} (for "disallowed intents", enable the Message Content intent in the Developer Portal)`,
        {
          retryable: false,
          code: 'discord_gateway_refused',
          cause: outcome,
        },
      );
    }
    retryLater(c, outcome, failures);
  };

  const retryLater = (c: Client, err: unknown, failures: number) => {
    void c.destroy();
    if (stopped || client !== c) return;
    const delay = backoffDelay(reconnectBackoff, failures + 1);
    log.error('discord: connecting to the gateway failed, retrying', { error: err, retryInMs: delay });
    reconnectTimer = setTimeout(() => {
      if (!stopped) connect(failures + 1).catch((e: unknown) => log.error('discord: gateway refused the bot', { error: e }));
    }, delay);
  };

  return {
    channel: 'discord',
    // Discord sends each event to every connected session: two instances on one bot token
    // would both receive, and both store, every message.
    singleConsumer: true,
    attachmentLimits,

    async start(deliver: Deliver) {
      stopped = false;
      try {
        me = (await rest.get(Routes.user('@me'))) as APIUser;
      } catch (err) {
        if (err instanceof DiscordAPIError && err.status === 401) {
          throw new ChannelError(
            'Discord refused DISCORD_BOT_TOKEN (401 Unauthorized); copy the token from the Bot page of the Developer Portal',
            {
              retryable: false,
              code: 'discord_unauthorized',
            },
          );
        }
        log.warn('discord: cannot reach Discord yet, connecting in the background', { error: err });
      }
      const cursors = new ChannelCursors(deps.state, log, config.catchUpChannels);
      await cursors.load();
      const acknowledge = (id: string, token: string) =>
        rest.post(Routes.interactionCallback(id, token), { body: { type: InteractionResponseType.DeferredMessageUpdate }, auth: false });
      inbound = createInbound({ deliver, cursors, botId: () => client?.user?.id ?? me?.id, acknowledge, openFile, log, retryDelayMs });
      inbound.markGap();
      try {
        await connect(0);
      } catch (err) {
        stopped = true;
        await inbound.stop();
        inbound = undefined;
        throw err;
      }
    },

    send: (m: OutboundMessage) => sendReply(m),

    async stop() {
      stopped = true;
      clearTimeout(reconnectTimer);
      const c = client;
      client = undefined;
      await c?.destroy();
      await inbound?.stop();
      inbound = undefined;
    },
  };
}
