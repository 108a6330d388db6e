import { createDiscordAdapter, discordConfigFromEnv } from '../adapters/discord/index.js';
import { createEmailAdapter, emailConfigFromEnv } from '../adapters/email/index.js';
import { createTelegramAdapter, telegramConfigFromEnv } from '../adapters/telegram/index.js';
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
 * and their factories validate the rest.
 */
const CHANNELS: Record<ChannelId, (env: Env, deps: AdapterDeps) => ChannelAdapter | undefined> = {
  webchat: (_env, deps) => createWebchatAdapter({ ...deps, files: deps.webchatFiles }),
  telegram: (env, deps) => (env.TELEGRAM_BOT_TOKEN ? createTelegramAdapter(telegramConfigFromEnv(env, newSecret), deps) : undefined),
  discord: (env, deps) => (env.DISCORD_BOT_TOKEN ? createDiscordAdapter(discordConfigFromEnv(env), deps) : undefined),
  email: (env, deps) => (env.IMAP_HOST ? createEmailAdapter(emailConfigFromEnv(env), deps) : undefined),
};

export function buildChannelAdapters(env: Env, deps: AdapterDeps): ChannelAdapter[] {
  return Object.values(CHANNELS).flatMap((build) => build(env, deps) ?? []);
}
