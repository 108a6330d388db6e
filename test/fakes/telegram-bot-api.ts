/**
 * A Telegram Bot API server on loopback that speaks the real wire format
 * (`POST /bot<token>/<method>` with JSON, form or query parameters; `{ ok, result }` /
 * `{ ok: false, error_code, description, parameters }` answers), so the real grammY client
 * can be pointed at it through `client.apiRoot`.
 *
 * Tests push customer updates, read what the bot sent, block chats and inject failures.
 * Updates are kept until confirmed, as Telegram does: by a later getUpdates `offset`, or by
 * a 2xx answer from the webhook (non-2xx and network errors are retried).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { eventually } from '../support/eventually.js';
import { ConnectionFaults } from './connection-faults.js';
import { multipartBoundary, parseMultipart } from './multipart.js';
import type { AddressInfo } from 'node:net';
import type { CallbackQuery, Chat, InlineKeyboardMarkup, Message, Update, User } from 'grammy/types';

export interface SentMessage {
  chat_id: number;
  message_id: number;
  /** As sent, markup included. */
  text: string;
  /** What the customer sees once Telegram parsed the markup. */
  shown: string;
  parse_mode?: string;
  /** From reply_parameters.message_id or the older reply_to_message_id. */
  reply_to_message_id?: number;
  /** An inline keyboard sent with the message (choices the customer can tap). */
  reply_markup?: InlineKeyboardMarkup;
  date: number;
  /** sendPhoto / sendDocument / sendMediaGroup: the file this message carries, as uploaded (multipart). */
  file?: UploadedFile & { kind: 'photo' | 'document' };
  /** Set on every message of one sendMediaGroup album. */
  media_group_id?: string;
}

/** A file part of a multipart/form-data request, as received. */
export interface UploadedFile {
  name: string;
  content: Buffer;
}

/** An answerCallbackQuery the bot made. */
export interface AnsweredCallback {
  callback_query_id: string;
  text?: string;
}

export interface InjectedFailure {
  method: string;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
  /** Only calls for this chat fail. */
  chatId?: number;
  /** How many calls fail before the method works again (default 1). */
  times?: number;
  /** How many matching calls succeed before the failures start (default 0). */
  after?: number;
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
}

interface Webhook {
  url: string;
  secret?: string;
  maxConnections: number;
}

type Answer = { status: number; body: unknown };

class ApiFailure extends Error {
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const ok = (result: unknown): Answer => ({ status: 200, body: { ok: true, result } });

export class FakeTelegramBotApi {
  readonly token: string;
  readonly bot: User;
  /** Every accepted sendMessage, in the order the fake answered them. */
  readonly sent: SentMessage[] = [];
  /** Every method call, including failed ones. */
  readonly calls: ApiCall[] = [];
  /** Resets and never-answered requests (see connection-faults.ts); match on `req.url` to pick a method. */
  readonly connectionFaults = new ConnectionFaults();
  /** Every accepted answerCallbackQuery, in order. */
  readonly answeredCallbacks: AnsweredCallback[] = [];
  private callbackQueries = new Set<string>();
  private nextCallbackId = 1;
  /** Retry delay for failed webhook deliveries (Telegram waits longer; tests want speed). */
  webhookRetryMs = 50;

  private server!: Server;
  private nextUpdateId = 100_000;
  private nextMessageId = new Map<number, number>();
  /** Pushed and not yet confirmed, ascending by update_id. */
  private pending: Update[] = [];
  private waiters = new Set<() => void>();
  private pollAbort: (() => void) | null = null;
  private failures: InjectedFailure[] = [];
  private chats = new Map<number, Chat>();
  private messages = new Map<number, Set<number>>();
  private blocked = new Set<number>();
  private files = new Map<string, { path: string; content: Buffer }>();
  private webhook: Webhook | null = null;
  private inFlightChats = new Set<number>();
  private inFlightUpdates = new Set<number>();
  private webhookTimer: NodeJS.Timeout | null = null;
  private lastWebhookError: { date: number; message: string } | null = null;
  private closed = false;
  private changeListeners = new Set<() => void>();

  private constructor(token: string, bot: User) {
    this.token = token;
    this.bot = bot;
  }

  static async start(opts: { token?: string; botUsername?: string } = {}): Promise<FakeTelegramBotApi> {
    const token = opts.token ?? '123456789:TEST-token_abcdefghijklmnopqrstuvw';
    const botId = Number(token.split(':')[0]);
    const fake = new FakeTelegramBotApi(token, {
      id: botId,
      is_bot: true,
      first_name: 'Switchboard Support',
      username: opts.botUsername ?? 'switchboard_support_bot',
    });
    fake.server = createServer((req, res) => void fake.handle(req, res));
    fake.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** What grammY's `client.apiRoot` must be set to. */
  get apiRoot(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.connectionFaults.clear();
    if (this.webhookTimer) clearTimeout(this.webhookTimer);
    this.pollAbort?.();
    for (const wake of this.waiters) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- driving the fake from tests ----

  /** Queues an update as Telegram would; returns it with its update_id. */
  pushUpdate(update: Omit<Update, 'update_id'>): Update {
    const full = { update_id: this.nextUpdateId++, ...update };
    for (const m of [full.message, full.edited_message]) {
      if (m) this.remember(m.chat, m.message_id);
    }
    this.pending.push(full);
    this.wakePollers();
    this.changed();
    return full;
  }

  /**
   * Queues an update again under its own update_id, as Telegram does when it thinks delivery
   * failed. A webhook gets it again; a poller only if its offset is not already past it.
   */
  redeliver(update: Update): void {
    this.pending.push({ ...update });
    this.pending.sort((a, b) => a.update_id - b.update_id);
    this.wakePollers();
    this.changed();
  }

  /** The same message again under a new update_id, as after a lost acknowledgement on a restarted bot. */
  duplicate(update: Update): Update {
    const { update_id: _, ...rest } = update;
    return this.pushUpdate(rest);
  }

  /** A customer's private-chat message; chat id = user id, as in Telegram. */
  pushMessage(
    from: { id: number; first_name?: string; last_name?: string; username?: string; language_code?: string },
    content: Partial<Message> & { text?: string },
  ): Update {
    const user: User = { is_bot: false, first_name: from.first_name ?? `User ${from.id}`, ...from };
    const chat = content.chat ?? { id: user.id, type: 'private', first_name: user.first_name, username: user.username };
    const message = {
      message_id: this.newMessageId(chat.id),
      date: Math.floor(Date.now() / 1000),
      chat,
      from: user,
      ...content,
    } as Message;
    return this.pushUpdate({ message } as Omit<Update, 'update_id'>);
  }

  /**
   * The customer taps the inline-keyboard button whose callback_data is `data` under one of the
   * bot's messages, as Telegram reports it: a callback_query update carrying that message.
   */
  pushCallbackQuery(
    from: { id: number; first_name?: string; username?: string; language_code?: string },
    sent: SentMessage,
    data: string,
  ): Update {
    const buttons = sent.reply_markup?.inline_keyboard.flat() ?? [];
    if (!buttons.some((b) => 'callback_data' in b && b.callback_data === data))
      throw new Error(`message ${sent.message_id} has no button with callback_data ${data}`);
    const user: User = { is_bot: false, first_name: from.first_name ?? `User ${from.id}`, ...from };
    const chat = this.chats.get(sent.chat_id)!;
    const message = {
      message_id: sent.message_id,
      date: sent.date,
      chat,
      from: this.bot,
      text: sent.shown,
      reply_markup: sent.reply_markup,
    } as Message;
    const id = String(this.nextCallbackId++);
    this.callbackQueries.add(id);
    const callback_query: CallbackQuery = { id, from: user, message, chat_instance: String(sent.chat_id), data };
    return this.pushUpdate({ callback_query });
  }

  /** Registers a downloadable file and returns its file_id. */
  addFile(content: Buffer, path = `documents/file_${this.files.size}.bin`): string {
    const fileId = `BQACAgIAAxkBAAI${this.files.size}${'x'.repeat(20)}`;
    this.files.set(fileId, { path, content });
    return fileId;
  }

  /** Answers sendMessage to this chat with 403 "bot was blocked by the user". */
  block(chatId: number): void {
    this.blocked.add(chatId);
  }

  failNext(failure: InjectedFailure): void {
    this.failures.push({ times: 1, ...failure });
  }

  /** Updates that were pushed and not yet confirmed by offset or webhook 2xx. */
  get pendingCount(): number {
    return this.pending.length;
  }

  get webhookInfo(): Webhook | null {
    return this.webhook;
  }

  sentTo(chatId: number): SentMessage[] {
    return this.sent.filter((m) => m.chat_id === chatId);
  }

  /** Resolves once `predicate` holds (checked on every change and every 50 ms); rejects after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    await eventually(predicate, timeoutMs, `${what} (fake Telegram)`, this.changeListeners);
  }

  // ---- the wire protocol ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (await this.connectionFaults.take(req, res)) return this.changed();
    const url = new URL(req.url ?? '/', 'http://fake');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) return this.serveFile(fileMatch[1]!, fileMatch[2]!, res);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    let answer: Answer;
    if (!match) {
      answer = { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
    } else if (match[1] !== this.token) {
      answer = { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    } else {
      const method = match[2]!;
      try {
        const params = { ...Object.fromEntries(url.searchParams), ...(await readParams(req)) };
        this.calls.push({ method, params, at: Date.now() });
        answer = await this.call(method, params, res);
      } catch (e) {
        if (!(e instanceof ApiFailure)) throw e;
        const body: Record<string, unknown> = { ok: false, error_code: e.error_code, description: e.description };
        if (e.parameters) body.parameters = e.parameters;
        answer = { status: e.error_code, body };
      }
    }
    if (res.destroyed) return;
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
    this.changed();
  }

  private async call(method: string, p: Record<string, unknown>, res: ServerResponse): Promise<Answer> {
    this.injectedFailure(method, p);
    switch (method) {
      case 'getMe':
        return ok({ ...this.bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false });
      case 'getUpdates':
        return ok(await this.getUpdates(p, res));
      case 'sendMessage':
        return ok(this.sendMessage(p));
      case 'sendPhoto':
      case 'sendDocument': {
        const kind = method === 'sendPhoto' ? 'photo' : 'document';
        return ok(this.sendFile(p, kind, this.uploaded(p, p[kind])));
      }
      case 'sendMediaGroup':
        return ok(this.sendMediaGroup(p));
      case 'answerCallbackQuery': {
        const id = typeof p.callback_query_id === 'string' || typeof p.callback_query_id === 'number' ? String(p.callback_query_id) : '';
        if (!this.callbackQueries.has(id))
          throw new ApiFailure(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        this.answeredCallbacks.push({ callback_query_id: id, ...(typeof p.text === 'string' ? { text: p.text } : {}) });
        return ok(true);
      }
      case 'setWebhook':
        return this.setWebhook(p);
      case 'deleteWebhook':
        this.webhook = null;
        if (bool(p.drop_pending_updates)) this.pending = [];
        return { status: 200, body: { ok: true, result: true, description: 'Webhook was deleted' } };
      case 'getWebhookInfo':
        return ok({
          url: this.webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.pending.length,
          max_connections: this.webhook?.maxConnections,
          ...(this.lastWebhookError
            ? { last_error_date: this.lastWebhookError.date, last_error_message: this.lastWebhookError.message }
            : {}),
        });
      case 'getFile': {
        const fileId = String(p.file_id ?? '');
        const file = this.files.get(fileId);
        if (!file) throw new ApiFailure(400, 'Bad Request: invalid file_id');
        return ok({ file_id: fileId, file_unique_id: fileId.slice(-12), file_size: file.content.length, file_path: file.path });
      }
      default:
        throw new ApiFailure(404, 'Not Found');
    }
  }

  private injectedFailure(method: string, p: Record<string, unknown>): void {
    const i = this.failures.findIndex((f) => f.method === method && (f.chatId === undefined || Number(p.chat_id) === f.chatId));
    if (i < 0) return;
    const f = this.failures[i]!;
    if (f.after) {
      f.after--;
      return;
    }
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.failures.splice(i, 1);
    throw new ApiFailure(f.error_code, f.description, f.parameters);
  }

  private async getUpdates(p: Record<string, unknown>, res: ServerResponse): Promise<Update[]> {
    if (this.webhook) {
      throw new ApiFailure(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    // A newer getUpdates ends the one still waiting, exactly like Telegram.
    this.pollAbort?.();
    const offset = p.offset === undefined ? undefined : Number(p.offset);
    if (offset !== undefined && offset > 0) {
      this.pending = this.pending.filter((u) => u.update_id >= offset);
    }
    const limit = Math.min(Math.max(Number(p.limit ?? 100), 1), 100);
    const allowed = parseJson<string[]>(p.allowed_updates);
    const pick = () => {
      const list = this.pending.filter((u) => !allowed?.length || allowed.some((k) => k in u));
      return offset !== undefined && offset < 0 ? list.slice(offset).slice(0, limit) : list.slice(0, limit);
    };
    const timeoutMs = Number(p.timeout ?? 0) * 1000;
    if (pick().length === 0 && timeoutMs > 0) {
      let aborted = false;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          res.off('close', onClose);
          if (this.pollAbort === abort) this.pollAbort = null;
          resolve();
        };
        const abort = () => {
          aborted = true;
          wake();
        };
        const onClose = () => wake();
        const timer = setTimeout(wake, timeoutMs);
        this.waiters.add(wake);
        this.pollAbort = abort;
        res.on('close', onClose);
      });
      if (aborted)
        throw new ApiFailure(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    }
    return pick();
  }

  /** The file a send names: an uploaded part (`attach://<field>`) or the file_id of a file Telegram has. */
  private uploaded(p: Record<string, unknown>, ref: unknown): UploadedFile {
    const value = typeof ref === 'string' ? ref : '';
    const attach = /^attach:\/\/(.+)$/.exec(value);
    if (attach) {
      const part = p[attach[1]!];
      if (!isUpload(part)) throw new ApiFailure(400, `Bad Request: file ${attach[1]} not found in the request`);
      return part;
    }
    const known = this.files.get(value);
    if (!known) throw new ApiFailure(400, 'Bad Request: wrong file identifier/HTTP URL specified');
    return { name: known.path.split('/').at(-1)!, content: known.content };
  }

  private sendFile(
    p: Record<string, unknown>,
    kind: 'photo' | 'document',
    file: UploadedFile,
    album?: { id: string; caption?: unknown; parse_mode?: unknown },
  ): Message {
    const chatId = Number(p.chat_id);
    const chat = this.chats.get(chatId);
    if (!chat) throw new ApiFailure(400, 'Bad Request: chat not found');
    if (this.blocked.has(chatId)) throw new ApiFailure(403, 'Forbidden: bot was blocked by the user');
    if (file.content.length === 0) throw new ApiFailure(400, 'Bad Request: file must be non-empty');
    if (file.content.length > 50 * 1024 * 1024) throw new ApiFailure(413, 'Request Entity Too Large');
    if (kind === 'photo' && file.content.length > 10 * 1024 * 1024) throw new ApiFailure(400, 'Bad Request: PHOTO_INVALID_DIMENSIONS');
    const source = album ?? p;
    const caption = typeof source.caption === 'string' ? source.caption : '';
    const parseMode = typeof source.parse_mode === 'string' && source.parse_mode !== '' ? source.parse_mode : undefined;
    const visible = parseMode ? visibleText(caption, parseMode) : caption;
    if (visible.length > 1024) throw new ApiFailure(400, 'Bad Request: message caption is too long');
    const markup = parseJson<InlineKeyboardMarkup>(p.reply_markup);
    const reply = parseJson<{ message_id?: number }>(p.reply_parameters);
    const known = reply?.message_id !== undefined && this.messages.get(chatId)?.has(reply.message_id);
    const messageId = this.newMessageId(chatId);
    this.remember(chat, messageId);
    const date = Math.floor(Date.now() / 1000);
    this.sent.push({
      chat_id: chatId,
      message_id: messageId,
      text: caption,
      shown: visible,
      parse_mode: parseMode,
      reply_to_message_id: known ? reply.message_id : undefined,
      ...(markup ? { reply_markup: markup } : {}),
      date,
      file: { kind, ...file },
      ...(album ? { media_group_id: album.id } : {}),
    });
    const fileId = this.addFile(file.content, `${kind}s/${file.name}`);
    const media =
      kind === 'photo'
        ? { photo: [{ file_id: fileId, file_unique_id: fileId.slice(-12), width: 1, height: 1, file_size: file.content.length }] }
        : { document: { file_id: fileId, file_unique_id: fileId.slice(-12), file_name: file.name, file_size: file.content.length } };
    return {
      message_id: messageId,
      date,
      chat,
      from: this.bot,
      ...media,
      ...(visible ? { caption: visible } : {}),
      ...(album ? { media_group_id: album.id } : {}),
    };
  }

  /** 2–10 photos, or 2–10 documents, sent as one album; only the first item's caption is shown under it. */
  private sendMediaGroup(p: Record<string, unknown>): Message[] {
    const media = parseJson<{ type: string; media: string; caption?: string; parse_mode?: string }[]>(p.media) ?? [];
    if (media.length < 2 || media.length > 10) throw new ApiFailure(400, 'Bad Request: wrong number of media specified');
    const kinds = new Set(media.map((m) => m.type));
    if (kinds.size !== 1 || ![...kinds].every((k) => k === 'photo' || k === 'document'))
      throw new ApiFailure(400, 'Bad Request: MEDIA_INVALID: documents can be grouped only with documents, photos with photos');
    if (p.reply_markup !== undefined) throw new ApiFailure(400, 'Bad Request: reply markup is not allowed in media groups');
    const files = media.map((m) => this.uploaded(p, m.media));
    const id = String(this.nextUpdateId++);
    return media.map((m, i) =>
      this.sendFile(i === 0 ? p : { ...p, reply_parameters: undefined }, m.type as 'photo' | 'document', files[i]!, {
        id,
        caption: m.caption,
        parse_mode: m.parse_mode,
      }),
    );
  }

  private sendMessage(p: Record<string, unknown>): Message {
    const chatId = Number(p.chat_id);
    const chat = this.chats.get(chatId);
    if (!chat) throw new ApiFailure(400, 'Bad Request: chat not found');
    if (this.blocked.has(chatId)) throw new ApiFailure(403, 'Forbidden: bot was blocked by the user');
    const text = typeof p.text === 'string' ? p.text : '';
    const parseMode = typeof p.parse_mode === 'string' && p.parse_mode !== '' ? p.parse_mode : undefined;
    const visible = parseMode ? visibleText(text, parseMode) : text;
    if (visible.trim() === '') throw new ApiFailure(400, 'Bad Request: message text is empty');
    if (visible.length > 4096) throw new ApiFailure(400, 'Bad Request: message is too long');
    const reply = parseJson<{ message_id?: number; allow_sending_without_reply?: boolean }>(p.reply_parameters);
    const replyTo = reply?.message_id ?? (p.reply_to_message_id === undefined ? undefined : Number(p.reply_to_message_id));
    const allowWithout = reply?.allow_sending_without_reply ?? bool(p.allow_sending_without_reply);
    const known = replyTo !== undefined && this.messages.get(chatId)?.has(replyTo);
    if (replyTo !== undefined && !known && !allowWithout) throw new ApiFailure(400, 'Bad Request: message to be replied not found');
    const messageId = this.newMessageId(chatId);
    this.remember(chat, messageId);
    const date = Math.floor(Date.now() / 1000);
    const markup = parseJson<InlineKeyboardMarkup>(p.reply_markup);
    if (
      markup &&
      !markup.inline_keyboard.flat().every((b) => 'callback_data' in b && Buffer.byteLength(b.callback_data) <= 64 && b.text.trim() !== '')
    ) {
      throw new ApiFailure(400, 'Bad Request: BUTTON_DATA_INVALID');
    }
    this.sent.push({
      chat_id: chatId,
      message_id: messageId,
      text,
      shown: visible,
      parse_mode: parseMode,
      reply_to_message_id: known ? replyTo : undefined,
      ...(markup ? { reply_markup: markup } : {}),
      date,
    });
    return { message_id: messageId, date, chat, from: this.bot, text: visible };
  }

  private setWebhook(p: Record<string, unknown>): Answer {
    const url = String(p.url ?? '');
    if (url === '') {
      this.webhook = null;
      return { status: 200, body: { ok: true, result: true, description: 'Webhook was deleted' } };
    }
    if (!/^https?:\/\//.test(url)) throw new ApiFailure(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    const secret = p.secret_token === undefined ? undefined : String(p.secret_token);
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw new ApiFailure(400, 'Bad Request: secret token contains unallowed characters');
    }
    if (bool(p.drop_pending_updates)) this.pending = [];
    this.webhook = { url, secret, maxConnections: Number(p.max_connections ?? 40) };
    this.scheduleWebhook(0);
    return { status: 200, body: { ok: true, result: true, description: 'Webhook was set' } };
  }

  /** Posts pending updates to the webhook: concurrently across chats, one at a time within a chat. */
  private pumpWebhook(): void {
    const hook = this.webhook;
    if (!hook || this.closed) return;
    for (const update of this.pending) {
      if (this.inFlightUpdates.size >= hook.maxConnections) return;
      const chatId = updateChatId(update);
      if (this.inFlightUpdates.has(update.update_id) || (chatId !== undefined && this.inFlightChats.has(chatId))) continue;
      this.inFlightUpdates.add(update.update_id);
      if (chatId !== undefined) this.inFlightChats.add(chatId);
      void this.postToWebhook(hook, update).then((delivered) => {
        this.inFlightUpdates.delete(update.update_id);
        if (chatId !== undefined) this.inFlightChats.delete(chatId);
        if (delivered) this.pending = this.pending.filter((u) => u !== update);
        this.changed();
        if (delivered) this.pumpWebhook();
        else this.scheduleWebhook(this.webhookRetryMs);
      });
    }
  }

  private scheduleWebhook(ms: number): void {
    if (this.webhookTimer) return;
    this.webhookTimer = setTimeout(() => {
      this.webhookTimer = null;
      this.pumpWebhook();
    }, ms);
  }

  private async postToWebhook(hook: Webhook, update: Update): Promise<boolean> {
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (hook.secret !== undefined) headers['x-telegram-bot-api-secret-token'] = hook.secret;
      const res = await fetch(hook.url, { method: 'POST', headers, body: JSON.stringify(update) });
      await res.arrayBuffer();
      if (res.ok) return true;
      this.lastWebhookError = {
        date: Math.floor(Date.now() / 1000),
        message: `Wrong response from the webhook: ${res.status} ${res.statusText}`,
      };
    } catch (e) {
      this.lastWebhookError = { date: Math.floor(Date.now() / 1000), message: `Connection failed: ${(e as Error).message}` };
    }
    return false;
  }

  private serveFile(token: string, path: string, res: ServerResponse): void {
    const file = token === this.token ? [...this.files.values()].find((f) => f.path === path) : undefined;
    if (!file) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.content.length });
    res.end(file.content);
  }

  private newMessageId(chatId: number): number {
    const id = (this.nextMessageId.get(chatId) ?? 0) + 1;
    this.nextMessageId.set(chatId, id);
    return id;
  }

  private remember(chat: Chat, messageId: number): void {
    this.chats.set(chat.id, chat);
    let ids = this.messages.get(chat.id);
    if (!ids) this.messages.set(chat.id, (ids = new Set()));
    ids.add(messageId);
    if (messageId >= (this.nextMessageId.get(chat.id) ?? 0)) this.nextMessageId.set(chat.id, messageId);
  }

  private wakePollers(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private changed(): void {
    for (const listener of [...this.changeListeners]) listener();
    if (this.webhook) this.pumpWebhook();
  }
}

function updateChatId(u: Update): number | undefined {
  return (u.message ?? u.edited_message ?? u.channel_post ?? u.edited_channel_post)?.chat.id;
}

/**
 * The Bot API accepts JSON bodies, urlencoded forms, multipart/form-data (file uploads) and query
 * strings; grammY sends JSON, and multipart when a request carries a file.
 */
async function readParams(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const body = raw.toString('utf8');
  if (body === '') return {};
  const type = req.headers['content-type'] ?? '';
  const boundary = multipartBoundary(type);
  if (boundary) return multipartParams(raw, boundary);
  if (type.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // fall through to the same answer Telegram gives for an unreadable body
    }
    throw new ApiFailure(400, "Bad Request: can't parse JSON object");
  }
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body));
  throw new ApiFailure(400, 'Bad Request: unsupported request body (the fake speaks JSON and urlencoded forms)');
}

/** Text fields become strings, file parts UploadedFile; a body that is not well-formed multipart is refused. */
function multipartParams(raw: Buffer, boundary: string): Record<string, unknown> {
  const parts = parseMultipart(raw, boundary);
  if (!parts) throw new ApiFailure(400, 'Bad Request: bad multipart body');
  return Object.fromEntries(
    parts.map((p) => [
      p.name,
      p.filename !== undefined ? ({ name: p.filename, content: p.content } satisfies UploadedFile) : p.content.toString('utf8'),
    ]),
  );
}

function isUpload(v: unknown): v is UploadedFile {
  return typeof v === 'object' && v !== null && Buffer.isBuffer((v as UploadedFile).content);
}

/** Form and query parameters carry objects as JSON strings. */
function parseJson<T>(v: unknown): T | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') return v as T;
  try {
    return JSON.parse(v) as T;
  } catch {
    throw new ApiFailure(400, `Bad Request: can't parse ${v.slice(0, 20)} as JSON`);
  }
}

function bool(v: unknown): boolean {
  return v === true || v === 'true';
}

const MARKDOWN_V2_RESERVED = new Set('_*[]()~`>#+-=|{}.!'.split(''));

/**
 * Enough of Telegram's entity parsing to reject what Telegram rejects: an unescaped reserved
 * MarkdownV2 character, or `<`/`&` in HTML that is not a tag or entity. (MarkdownV2 links are
 * not modelled: their brackets count as unescaped.)
 */
function visibleText(text: string, parseMode: string): string {
  if (parseMode === 'MarkdownV2') {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\\') {
        out += text[++i] ?? '';
      } else if (MARKDOWN_V2_RESERVED.has(c) && !'*_~`|'.includes(c)) {
        throw new ApiFailure(
          400,
          `Bad Request: can't parse entities: Character '${c}' is reserved and must be escaped with the preceding '\\'`,
        );
      } else if (!'*_~`|'.includes(c)) {
        out += c;
      }
    }
    return out;
  }
  if (parseMode === 'HTML') {
    const stripped = text.replace(/<\/?(b|strong|i|em|u|ins|s|strike|del|code|pre|a|tg-spoiler|blockquote)(\s[^>]*)?>/g, '');
    const bad = /<|&(?!(lt|gt|amp|quot|#\d+);)/.exec(stripped);
    if (bad) throw new ApiFailure(400, `Bad Request: can't parse entities: Unexpected character '${bad[0]}' at byte offset ${bad.index}`);
    return stripped
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  }
  if (parseMode === 'Markdown') return text.replace(/[*_`[\]]/g, '');
  throw new ApiFailure(400, `Bad Request: unsupported parse_mode`);
}
