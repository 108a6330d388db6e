/**
 * Discord's HTTP API and Gateway on loopback, speaking the real wire format, so the real
 * discord.js client can be pointed at it (`rest.api` = `apiUrl`; the gateway URL is what
 * `GET /gateway/bot` answers, or `gatewayUrl` given explicitly).
 *
 * REST (`/api/v10/…`, `Authorization: Bot <token>`): `GET /gateway/bot`, `GET /users/@me`,
 * `GET /channels/:id`, `GET /channels/:id/messages?after=&limit=`, `POST /channels/:id/messages`
 * (content limit, message_reference, allowed_mentions, nonce + enforce_nonce), rate-limit
 * headers on every answer, 429 with `retry_after`, 403 50007 for users who blocked the bot.
 *
 * Gateway (JSON encoding, no compression): HELLO → IDENTIFY → READY (+ GUILD_CREATE per guild),
 * HEARTBEAT/ACK, MESSAGE_CREATE dispatches with increasing sequence numbers, RESUME replaying
 * what was dispatched after the client's sequence (then RESUMED), INVALID_SESSION otherwise.
 * Dispatches made while no session exists are lost, as on Discord; while a resumable session
 * is disconnected they are kept for its RESUME.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ConnectionFaults } from './connection-faults.js';
import { multipartBoundary, parseMultipart } from './multipart.js';
import { eventually } from '../support/eventually.js';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { APIAttachment, APIMessage, APIUser } from 'discord.js';

const DISCORD_EPOCH = 1_420_070_400_000n;
const CONTENT_LIMIT = 2000;
const MESSAGE_CONTENT_INTENT = 1 << 15;

export interface FakeUser {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
}

export interface SentMessage {
  id: string;
  channel_id: string;
  content: string;
  message_reference?: { message_id: string; fail_if_not_exists?: boolean };
  allowed_mentions?: { parse?: string[]; replied_user?: boolean };
  nonce?: string;
  /** Action rows of buttons sent with the message (choices the customer can click). */
  components?: { type: number; components: { type: number; style: number; label?: string; custom_id?: string }[] }[];
  /** Files uploaded with the message (multipart `files[n]`), as received. */
  files?: { key: string; filename: string; contentType?: string; content: Buffer }[];
  /** Date.now() when accepted. */
  at: number;
}

/** An interaction callback the bot made (POST /interactions/:id/:token/callback). */
export interface InteractionCallback {
  interactionId: string;
  token: string;
  type: number;
}

export interface RestCall {
  method: string;
  path: string;
  body: unknown;
  at: number;
}

export interface InjectedFailure {
  method: 'GET' | 'POST';
  /** Matched against the path after /api/v10, e.g. `/channels/123/messages`. */
  path: string;
  status: number;
  /** 429: seconds, sent as `retry_after` in the body and as the Retry-After header. */
  retryAfter?: number;
  message?: string;
  code?: number;
  /** How many calls fail before the route works again (default 1). */
  times?: number;
  /** How many matching calls succeed before the failures start (default 0). */
  after?: number;
}

interface Channel {
  id: string;
  type: 0 | 1;
  guildId?: string;
  /** DM: the customer. */
  recipient?: FakeUser;
  name?: string;
  messages: APIMessage[];
}

interface Session {
  id: string;
  seq: number;
  socket: WebSocket | null;
  /** Every dispatch of this session, for RESUME. */
  log: { s: number; t: string; d: unknown }[];
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

export class FakeDiscordApi {
  readonly token: string;
  readonly bot: FakeUser;
  readonly applicationId: string;
  readonly sent: SentMessage[] = [];
  readonly calls: RestCall[] = [];
  /** Every accepted interaction callback, in order. */
  readonly interactionCallbacks: InteractionCallback[] = [];
  /** Interactions dispatched and not yet answered: id → token. */
  private interactions = new Map<string, string>();
  /** IDENTIFY payloads received, newest last. */
  readonly identifies: { intents: number; token: string }[] = [];
  readonly resumes: { session_id: string; seq: number }[] = [];
  heartbeats = 0;
  /** Sent in HELLO; short in tests so heartbeats really happen. */
  heartbeatIntervalMs = 41_250;
  /** Runs right after READY is dispatched and before GUILD_CREATE, e.g. to dispatch a message in that window. */
  afterReady: (() => void) | undefined;
  /** Discord streams GUILD_CREATE after READY as guilds load; a delay widens that window. */
  guildCreateDelayMs = 0;
  /** Off, IDENTIFY with the Message Content intent is closed with 4014, as for a bot without it enabled in the Developer Portal. */
  messageContentIntentEnabled = true;

  private server!: Server;
  private wss!: WebSocketServer;
  private lastSnowflake = 0n;
  private channels = new Map<string, Channel>();
  private guilds = new Map<string, { id: string; name: string }>();
  private blocked = new Set<string>();
  private failures: InjectedFailure[] = [];
  /** Resets and never-answered REST requests (see connection-faults.ts). */
  readonly connectionFaults = new ConnectionFaults();
  private sessions = new Map<string, Session>();
  private current: Session | null = null;
  private nonces = new Map<string, SentMessage>();
  /** What the CDN serves, by path (`/attachments/<channel>/<message>/<name>`). */
  private cdnFiles = new Map<string, Buffer>();
  /** Every CDN download, by path. */
  readonly cdnRequests: string[] = [];
  /** Largest upload accepted (a server without boosts: 10 MB). */
  uploadLimitBytes = 10 * 1024 * 1024;
  private listeners = new Set<() => void>();

  private constructor(token: string, bot: FakeUser) {
    this.token = token;
    this.bot = bot;
    this.applicationId = bot.id;
  }

  /** `port` lets a test bring the API up where a client is already trying to reach it. */
  static async start(opts: { token?: string; port?: number } = {}): Promise<FakeDiscordApi> {
    const botId = '1100000000000000001';
    const token = opts.token ?? `${Buffer.from(botId).toString('base64url')}.GfAkE1.${'t'.repeat(38)}`;
    const fake = new FakeDiscordApi(token, { id: botId, username: 'Switchboard Support', bot: true, global_name: null });
    fake.server = createServer((req, res) => void fake.handle(req, res));
    fake.wss = new WebSocketServer({ server: fake.server, path: '/gateway' });
    fake.wss.on('connection', (socket) => fake.onConnection(socket));
    await new Promise<void>((resolve) => fake.server.listen(opts.port ?? 0, '127.0.0.1', resolve));
    return fake;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** What DISCORD_CDN_URL must be set to: attachment URLs on cdn.discordapp.com are served here. */
  get cdnUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/gateway`;
  }

  /** True while a client is identified or resumed on an open socket. */
  get connected(): boolean {
    return this.current?.socket?.readyState === 1;
  }

  async close(): Promise<void> {
    this.connectionFaults.clear();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- driving the fake from tests ----

  /** The DM channel between the bot and this user (made on first use). */
  dmChannel(user: FakeUser): string {
    const existing = [...this.channels.values()].find((c) => c.type === 1 && c.recipient?.id === user.id);
    if (existing) return existing.id;
    const id = this.snowflake();
    this.channels.set(id, { id, type: 1, recipient: user, messages: [] });
    return id;
  }

  /** A guild with one text channel; announced in GUILD_CREATE on every IDENTIFY. Returns the channel id. */
  guildChannel(name = 'support'): { guildId: string; channelId: string } {
    const guildId = this.snowflake();
    this.guilds.set(guildId, { id: guildId, name: `${name} guild` });
    const channelId = this.snowflake();
    this.channels.set(channelId, { id: channelId, type: 0, guildId, name, messages: [] });
    return { guildId, channelId };
  }

  /**
   * A customer writes: the message is stored in the channel (visible to `GET …/messages`) and
   * dispatched as MESSAGE_CREATE. In a DM channel by default.
   */
  pushMessage(
    author: FakeUser,
    content: string,
    opts: {
      channelId?: string;
      mentions?: FakeUser[];
      /** With `content`, the CDN serves those bytes at the attachment's URL. */
      attachments?: (Partial<APIAttachment> & { content?: Buffer })[];
      replyTo?: string;
      dispatch?: boolean;
    } = {},
  ): APIMessage {
    const channel = this.channels.get(opts.channelId ?? this.dmChannel(author));
    if (!channel) throw new Error(`fake Discord: no channel ${opts.channelId}`);
    const id = this.snowflake();
    const replied = opts.replyTo ? channel.messages.find((m) => m.id === opts.replyTo) : undefined;
    const message = {
      id,
      channel_id: channel.id,
      author: apiUser(author),
      content,
      timestamp: timestampOf(id),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: (opts.mentions ?? []).map(apiUser),
      mention_roles: [],
      attachments: (opts.attachments ?? []).map(({ content, ...a }, i) => {
        const path = `/attachments/${channel.id}/${id}/${encodeURIComponent(a.filename ?? `file${i}`)}`;
        if (content) this.cdnFiles.set(path, content);
        // Signed as Discord signs them: expiry (hex seconds), issued, and a signature.
        const signed = `${path}?ex=${Math.floor(Date.now() / 1000 + 86_400).toString(16)}&is=${Math.floor(Date.now() / 1000).toString(16)}&hm=${'ab'.repeat(32)}&`;
        return {
          id: this.snowflake(),
          filename: `file${i}`,
          size: content?.length ?? 0,
          url: `https://cdn.discordapp.com${signed}`,
          proxy_url: `https://media.discordapp.net${signed}`,
          ...a,
        };
      }),
      embeds: [],
      pinned: false,
      type: opts.replyTo ? 19 : 0,
      ...(opts.replyTo
        ? {
            message_reference: {
              type: 0,
              message_id: opts.replyTo,
              channel_id: channel.id,
              ...(channel.guildId ? { guild_id: channel.guildId } : {}),
            },
            referenced_message: replied ?? null,
          }
        : {}),
    } as APIMessage;
    channel.messages.push(message);
    if (opts.dispatch !== false) this.dispatchMessage(message);
    return message;
  }

  /**
   * The customer clicks the button whose custom_id is `customId` under one of the bot's
   * messages: an INTERACTION_CREATE of type 3 (message component), as Discord dispatches it.
   */
  pushInteraction(user: FakeUser, sent: SentMessage, customId: string): { id: string; token: string } {
    if (!sent.components?.some((row) => row.components.some((b) => b.custom_id === customId)))
      throw new Error(`message ${sent.id} has no button ${customId}`);
    const channel = this.channels.get(sent.channel_id)!;
    const id = this.snowflake();
    const token = `interaction-token-${id}`;
    this.interactions.set(id, token);
    const apiUser = { id: user.id, username: user.username, global_name: user.global_name ?? null, discriminator: '0', avatar: null };
    this.dispatch('INTERACTION_CREATE', {
      id,
      application_id: this.applicationId,
      type: 3,
      token,
      version: 1,
      channel_id: channel.id,
      channel: { id: channel.id, type: channel.type },
      ...(channel.guildId
        ? {
            guild_id: channel.guildId,
            member: { user: apiUser, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
          }
        : { user: apiUser }),
      message: { ...this.messagePayload(sent), components: sent.components },
      data: { custom_id: customId, component_type: 2 },
      locale: 'en-US',
      app_permissions: '0',
      entitlements: [],
      authorizing_integration_owners: {},
      attachment_size_limit: 10_485_760,
    });
    return { id, token };
  }

  /** MESSAGE_CREATE for a message again, under a new sequence number (Discord may deliver twice). */
  dispatchMessage(message: APIMessage): void {
    const guildId = this.channels.get(message.channel_id)?.guildId;
    this.dispatch('MESSAGE_CREATE', {
      ...message,
      ...(guildId ? { guild_id: guildId, member: { roles: [], joined_at: message.timestamp, deaf: false, mute: false, flags: 0 } } : {}),
    });
  }

  /** Answers messages to this user's DM channel with 403 50007. */
  block(user: FakeUser): void {
    this.blocked.add(user.id);
  }

  failNext(failure: InjectedFailure): void {
    this.failures.push({ times: 1, ...failure });
  }

  /**
   * Drops the gateway connection without a close frame. The session stays resumable unless
   * `endSession`, in which case the client's RESUME gets INVALID_SESSION and it identifies anew.
   */
  dropConnection(opts: { endSession?: boolean } = {}): void {
    const session = this.current;
    const socket = session?.socket;
    if (session) session.socket = null;
    if (session && opts.endSession) {
      this.sessions.delete(session.id);
      this.current = null;
    }
    socket?.terminate();
  }

  sentTo(channelId: string): SentMessage[] {
    return this.sent.filter((m) => m.channel_id === channelId);
  }

  /** Resolves once `predicate` holds (checked on every change and every 50 ms). */
  async waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    await eventually(predicate, timeoutMs, `${what} (fake Discord)`, this.listeners);
  }

  // ---- gateway ----

  private onConnection(socket: WebSocket): void {
    const send = (payload: unknown) => socket.send(JSON.stringify(payload));
    send({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null });
    let identified = false;
    socket.on('message', (raw) => {
      let payload: { op: number; d: any };
      try {
        payload = JSON.parse(String(raw));
      } catch {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      switch (payload.op) {
        case 1:
          this.heartbeats++;
          send({ op: 11, d: null, s: null, t: null });
          break;
        case 2: {
          if (identified) return socket.close(4005, 'Already authenticated.');
          if (payload.d?.token !== this.token) return socket.close(4004, 'Authentication failed.');
          if (!this.messageContentIntentEnabled && (payload.d.intents & MESSAGE_CONTENT_INTENT) !== 0)
            return socket.close(4014, 'Disallowed intent(s).');
          identified = true;
          this.identifies.push({ intents: payload.d.intents, token: payload.d.token });
          const session: Session = { id: this.snowflake(), seq: 0, socket, log: [] };
          this.sessions.set(session.id, session);
          this.current = session;
          this.dispatch('READY', {
            v: 10,
            user: {
              id: this.bot.id,
              username: this.bot.username,
              global_name: null,
              discriminator: '0',
              avatar: null,
              bot: true,
              verified: true,
              flags: 0,
            },
            guilds: [...this.guilds.keys()].map((id) => ({ id, unavailable: true })),
            session_id: session.id,
            resume_gateway_url: this.gatewayUrl,
            shard: [0, 1],
            application: { id: this.applicationId, flags: 0 },
          });
          this.afterReady?.();
          const announce = () => {
            for (const guild of this.guilds.values()) this.dispatch('GUILD_CREATE', this.guildPayload(guild));
          };
          if (this.guildCreateDelayMs > 0) setTimeout(announce, this.guildCreateDelayMs);
          else announce();
          break;
        }
        case 6: {
          const session = this.sessions.get(payload.d?.session_id);
          if (payload.d?.token !== this.token) return socket.close(4004, 'Authentication failed.');
          if (!session) return send({ op: 9, d: false, s: null, t: null });
          identified = true;
          this.resumes.push({ session_id: session.id, seq: payload.d.seq });
          session.socket = socket;
          this.current = session;
          for (const event of session.log.filter((e) => e.s > payload.d.seq)) send({ op: 0, ...event });
          this.dispatch('RESUMED', {});
          break;
        }
        default:
          if (!identified) socket.close(4003, 'Not authenticated.');
      }
      this.changed();
    });
    socket.on('close', (code) => {
      const session = [...this.sessions.values()].find((s) => s.socket === socket);
      if (!session) return;
      session.socket = null;
      // Closing with 1000/1001 ends the session on Discord; other closes leave it resumable.
      if (code === 1000 || code === 1001) this.sessions.delete(session.id);
      if (this.current === session && !this.sessions.has(session.id)) this.current = null;
      this.changed();
    });
  }

  private dispatch(t: string, d: unknown): void {
    const session = this.current;
    if (!session) return;
    const event = { s: ++session.seq, t, d };
    session.log.push(event);
    if (session.socket?.readyState === 1) session.socket.send(JSON.stringify({ op: 0, ...event }));
    this.changed();
  }

  private guildPayload(guild: { id: string; name: string }) {
    const channels = [...this.channels.values()].filter((c) => c.guildId === guild.id);
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      owner_id: '1',
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      system_channel_flags: 0,
      premium_tier: 0,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 2,
      members: [],
      voice_states: [],
      presences: [],
      threads: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      channels: channels.map((c) => ({ id: c.id, type: 0, name: c.name, position: 0, permission_overwrites: [], guild_id: guild.id })),
    };
  }

  // ---- REST ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (await this.connectionFaults.take(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname.startsWith('/attachments/')) return this.serveCdn(url, res);
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const { body, files } = await readBody(req);
    let answer: Answer;
    if (!url.pathname.startsWith('/api/v10/')) {
      answer = error(404, 0, '404: Not Found');
    } else if (req.headers.authorization !== `Bot ${this.token}` && !path.startsWith('/interactions/')) {
      // Interaction callbacks are authorised by the interaction's token, not the bot's.
      answer = error(401, 0, '401: Unauthorized');
    } else {
      this.calls.push({ method: req.method ?? 'GET', path, body, at: Date.now() });
      answer = this.injected(req.method ?? 'GET', path) ?? this.route(req.method ?? 'GET', path, url.searchParams, body, files);
    }
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': answer.status === 429 ? '0' : '4',
      'x-ratelimit-reset': String(Date.now() / 1000 + 1),
      'x-ratelimit-reset-after': '1',
      'x-ratelimit-bucket': bucketOf(path),
      ...answer.headers,
    });
    res.end(answer.status === 204 ? undefined : JSON.stringify(answer.body));
    this.changed();
  }

  private route(method: string, path: string, query: URLSearchParams, body: unknown, files: NonNullable<SentMessage['files']>): Answer {
    if (method === 'GET' && path === '/gateway/bot') {
      return ok({
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      });
    }
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (method === 'POST' && callback) return this.interactionCallback(callback[1]!, callback[2]!, body as { type?: number } | null);
    if (method === 'GET' && path === '/users/@me')
      return ok({ ...this.bot, global_name: null, discriminator: '0', avatar: null, bot: true, verified: true, flags: 0 });
    const channelMatch = /^\/channels\/(\d+)(\/messages)?$/.exec(path);
    const channel = channelMatch ? this.channels.get(channelMatch[1]!) : undefined;
    if (channelMatch && !channel) return error(404, 10003, 'Unknown Channel');
    if (channel && method === 'GET' && !channelMatch![2]) return ok(this.channelPayload(channel));
    if (channel && method === 'GET') return ok(this.history(channel, query));
    if (channel && method === 'POST') return this.createMessage(channel, body as Record<string, unknown> | null, files);
    return error(404, 0, '404: Not Found');
  }

  /** The CDN: the bytes at a signed URL; 404 for anything unknown, as an expired or deleted file. */
  private serveCdn(url: URL, res: ServerResponse): void {
    this.cdnRequests.push(url.pathname);
    const content = url.searchParams.get('hm') ? this.cdnFiles.get(url.pathname) : undefined;
    if (!content) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('This content is no longer available.');
    } else {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': content.length });
      res.end(content);
    }
    this.changed();
  }

  /** Each interaction may be answered once, with its own token (Discord: 40060 "already acknowledged"). */
  private interactionCallback(id: string, token: string, body: { type?: number } | null): Answer {
    const expected = this.interactions.get(id);
    if (expected === undefined || expected !== token) {
      if (this.interactionCallbacks.some((c) => c.interactionId === id))
        return error(400, 40060, 'Interaction has already been acknowledged.');
      return error(404, 10062, 'Unknown interaction');
    }
    if (typeof body?.type !== 'number') return error(400, 50035, 'Invalid Form Body');
    this.interactions.delete(id);
    this.interactionCallbacks.push({ interactionId: id, token, type: body.type });
    return { status: 204, body: null };
  }

  private channelPayload(c: Channel) {
    const last = c.messages.at(-1)?.id ?? null;
    if (c.type === 1)
      return {
        id: c.id,
        type: 1,
        last_message_id: last,
        flags: 0,
        recipients: [
          {
            id: c.recipient!.id,
            username: c.recipient!.username,
            global_name: c.recipient!.global_name ?? null,
            discriminator: '0',
            avatar: null,
          },
        ],
      };
    return {
      id: c.id,
      type: 0,
      guild_id: c.guildId,
      name: c.name,
      position: 0,
      permission_overwrites: [],
      last_message_id: last,
      nsfw: false,
      topic: null,
      rate_limit_per_user: 0,
      parent_id: null,
    };
  }

  /** Like Discord: newest first; with `after`, the oldest `limit` messages after that id. */
  private history(c: Channel, query: URLSearchParams): APIMessage[] {
    const limit = Math.min(Math.max(Number(query.get('limit') ?? 50), 1), 100);
    const after = query.get('after');
    const list = after ? c.messages.filter((m) => BigInt(m.id) > BigInt(after)).slice(0, limit) : c.messages.slice(-limit);
    return [...list].reverse();
  }

  private createMessage(c: Channel, body: Record<string, unknown> | null, files: NonNullable<SentMessage['files']> = []): Answer {
    if (!body) return error(400, 50109, 'The request body contains invalid JSON.');
    if (c.type === 1 && this.blocked.has(c.recipient!.id)) return error(403, 50007, 'Cannot send messages to this user');
    const content = typeof body.content === 'string' ? body.content : '';
    if (content.trim() === '' && files.length === 0) return error(400, 50006, 'Cannot send an empty message');
    if (files.length > 10) return error(400, 50035, 'Invalid Form Body: files: Must be 10 or fewer in length.');
    if (files.some((f) => f.content.length > this.uploadLimitBytes)) return error(413, 40005, 'Request entity too large');
    if (content.length > CONTENT_LIMIT) {
      return {
        status: 400,
        body: {
          message: 'Invalid Form Body',
          code: 50035,
          errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } },
        },
      };
    }
    const nonce = typeof body.nonce === 'string' ? body.nonce : undefined;
    if (nonce && body.enforce_nonce === true && this.nonces.has(nonce)) return ok(this.messagePayload(this.nonces.get(nonce)!));
    const ref = body.message_reference as SentMessage['message_reference'] | undefined;
    const known = ref ? c.messages.some((m) => m.id === ref.message_id) : false;
    if (ref && !known && ref.fail_if_not_exists !== false) {
      return {
        status: 400,
        body: {
          message: 'Invalid Form Body',
          code: 50035,
          errors: { message_reference: { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }] } },
        },
      };
    }
    const sent: SentMessage = {
      id: this.snowflake(),
      channel_id: c.id,
      content,
      ...(ref && known ? { message_reference: ref } : {}),
      ...(body.allowed_mentions ? { allowed_mentions: body.allowed_mentions } : {}),
      ...(nonce ? { nonce } : {}),
      ...(Array.isArray(body.components) && body.components.length ? { components: body.components as SentMessage['components'] } : {}),
      ...(files.length ? { files } : {}),
      at: Date.now(),
    };
    this.sent.push(sent);
    if (nonce && body.enforce_nonce === true) this.nonces.set(nonce, sent);
    const message = this.messagePayload(sent);
    c.messages.push(message);
    this.dispatch('MESSAGE_CREATE', { ...message, ...(c.guildId ? { guild_id: c.guildId } : {}) });
    return ok(message);
  }

  private messagePayload(s: SentMessage): APIMessage {
    const author: APIUser = {
      id: this.bot.id,
      username: this.bot.username,
      global_name: null,
      discriminator: '0',
      avatar: null,
      bot: true,
    };
    return {
      id: s.id,
      channel_id: s.channel_id,
      author,
      content: s.content,
      timestamp: timestampOf(s.id),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: s.message_reference ? 19 : 0,
      ...(s.nonce ? { nonce: s.nonce } : {}),
      ...(s.message_reference
        ? { message_reference: { type: 0, message_id: s.message_reference.message_id, channel_id: s.channel_id } }
        : {}),
    };
  }

  private injected(method: string, path: string): Answer | undefined {
    const i = this.failures.findIndex((f) => f.method === method && f.path === path);
    if (i < 0) return undefined;
    const f = this.failures[i]!;
    if (f.after) {
      f.after--;
      return undefined;
    }
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.failures.splice(i, 1);
    if (f.status === 429) {
      const seconds = f.retryAfter ?? 1;
      return {
        status: 429,
        body: { message: f.message ?? 'You are being rate limited.', retry_after: seconds, global: false, code: 0 },
        headers: { 'retry-after': String(Math.ceil(seconds)), 'x-ratelimit-reset-after': String(seconds), 'x-ratelimit-scope': 'user' },
      };
    }
    return error(f.status, f.code ?? 0, f.message ?? `${f.status}: injected`);
  }

  private snowflake(): string {
    const stamp = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    this.lastSnowflake = stamp > this.lastSnowflake ? stamp : this.lastSnowflake + 1n;
    return String(this.lastSnowflake);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function error(status: number, code: number, message: string): Answer {
  return { status, body: { message, code } };
}

function timestampOf(snowflake: string): string {
  return new Date(Number((BigInt(snowflake) >> 22n) + DISCORD_EPOCH)).toISOString();
}

/** One bucket per route and channel, as Discord's per-channel message buckets. */
function bucketOf(path: string): string {
  return Buffer.from(path.replace(/\/messages.*$/, '/messages'))
    .toString('hex')
    .slice(0, 32);
}

/**
 * A JSON body, or multipart/form-data as discord.js sends files: `payload_json` plus `files[n]`
 * parts. Unreadable JSON is null (answered 50109).
 */
async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: NonNullable<SentMessage['files']> }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const boundary = multipartBoundary(req.headers['content-type']);
  if (!boundary) return { body: parseJson(raw.toString('utf8')), files: [] };
  const parts = parseMultipart(raw, boundary);
  if (!parts) return { body: null, files: [] };
  const payload = parts.find((p) => p.name === 'payload_json');
  const files = parts
    .filter((p) => /^files\[\d+\]$/.test(p.name) && p.filename !== undefined)
    .map((p) => ({ key: p.name, filename: p.filename!, ...(p.contentType ? { contentType: p.contentType } : {}), content: p.content }));
  return { body: payload ? parseJson(payload.content.toString('utf8')) : {}, files };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A user as Discord's API shows it inside a message (as author or mention). */
function apiUser(u: FakeUser) {
  return {
    id: u.id,
    username: u.username,
    global_name: u.global_name ?? null,
    discriminator: '0',
    avatar: null,
    ...(u.bot ? { bot: true } : {}),
  };
}
