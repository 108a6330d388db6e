import { createWebchatAdapter } from '../adapters/webchat/index.js';
import type { ChannelAdapter, ChannelId } from './domain/channel.js';
import { newSecret } from './domain/ids.js';
import type { ChannelStateStore } from './domain/state-port.js';
import type {
  WebchatFiles,
  WebchatInvitations,
  WebchatOffline,
  WebchatPolicy,
  WebchatStore,
  WidgetAvailability,
} from './domain/webchat.js';
import type { RateLimiter } from './domain/rate-limit.js';
import type { Clock } from './domain/clock.js';
import type { Logger } from './log.js';
import type { StreamPolicy } from './kit/sse.js';
import type { SessionSignals } from './kit/signals.js';
import type { Visitors } from './kit/visitors.js';

/** What the composition root gives every adapter. Adapters never read process.env themselves. */
export interface AdapterDeps {
  clock: Clock;
  log: Logger;
  /** Durable key/value state (cursors, UIDs); each adapter prefixes its keys with its channel id. */
  state: ChannelStateStore;
  /** The web chat's sessions and visible messages. */
  webchat: WebchatStore;
  /** Caps and keep-alive of event streams (the web chat's and the agents'). */
  streams: StreamPolicy;
  /** Request counting shared by every instance (in memory on SQLite, in the database on PostgreSQL). */
  limiter: RateLimiter;
  webchatPolicy: WebchatPolicy;
  /** Ephemeral signals (agent typing) to web chat streams. */
  signals?: SessionSignals;
  /** Who is on the shop's site now (widget.js page views). */
  visitors?: Visitors;
  /** A web chat visitor is typing (and, with WIDGET_DRAFT_PREVIEW, what): told to the agents who may see the chat. */
  customerTyping?: (sessionId: string, text: string | undefined) => Promise<void>;
  /** Business hours and agents online, for the widget's offline mode. */
  availability?: () => Promise<WidgetAvailability>;
  /** Offline replies by email (the web chat's seen and contact requests). */
  offline?: WebchatOffline;
  /** Web chat customers' uploads and files (src/attachments/webchat-files.ts). */
  webchatFiles?: WebchatFiles;
  /** Proactive invitations: the rules widget.js evaluates, and agents' manual invitations. */
  invitations?: WebchatInvitations;
}

type Env = Record<string, string | undefined>;

/**
 * Every channel, keyed by id so a channel added to ChannelId without an entry here fails to
 * compile. Web chat is built-in and always on; the others are on when their credentials are set,
 * and their factories validate the rest. They are imported only then: their libraries (discord.js,
 * grammy, imapflow, mailparser, nodemailer) were about 50 MB of a web-chat-only process's RSS.
 */
const CHANNELS: Record<ChannelId, (env: Env, deps: AdapterDeps) => Promise<ChannelAdapter | undefined>> = {
  webchat: async (_env, deps) => createWebchatAdapter({ ...deps, files: deps.webchatFiles }),
  telegram: async (env, deps) => {
    if (!env.TELEGRAM_BOT_TOKEN) return undefined;
    const { createTelegramAdapter, telegramConfigFromEnv } = await import('../adapters/telegram/index.js');
    return createTelegramAdapter(telegramConfigFromEnv(env, newSecret), deps);
  },
  discord: async (env, deps) => {
    if (!env.DISCORD_BOT_TOKEN) return undefined;
    const { createDiscordAdapter, discordConfigFromEnv } = await import('../adapters/discord/index.js');
    return createDiscordAdapter(discordConfigFromEnv(env), deps);
  },
  email: async (env, deps) => {
    if (!env.IMAP_HOST) return undefined;
    const { createEmailAdapter, emailConfigFromEnv } = await import('../adapters/email/index.js');
    return createEmailAdapter(emailConfigFromEnv(env), deps);
  },
};

export async function buildChannelAdapters(env: Env, deps: AdapterDeps): Promise<ChannelAdapter[]> {
  const built: ChannelAdapter[] = [];
  for (const build of Object.values(CHANNELS)) {
    const adapter = await build(env, deps);
    if (adapter) built.push(adapter);
  }
  return built;
}
