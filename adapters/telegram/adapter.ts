import { Api, GrammyError } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import type { AdapterRoute, ChannelAdapter, Deliver, OutboundMessage } from '../../src/domain/channel.js';
import { ChannelError } from '../../src/domain/errors.js';
import type { ChannelStateStore } from '../../src/domain/state-port.js';
import { backoffDelay, type Backoff } from '../../src/kit/backoff.js';
import type { Logger } from '../../src/log.js';
import type { TelegramConfig } from './config.js';
import { createUpdateHandler, type UpdateHandler } from './deliver-update.js';
import { LatestMessages } from './latest-messages.js';
import { ALLOWED_UPDATES } from './normalize.js';
import { startPolling, type Polling } from './polling.js';
import { createFileOpener, DEFAULT_MAX_DOWNLOAD_BYTES } from './files.js';
import { telegramLimits } from './send-files.js';
import { createReplySender } from './send-reply.js';
import { createWebhookRoute } from './webhook-route.js';

const DEFAULT_WEBHOOK_PATH = '/telegram/webhook';

export interface TelegramAdapterDeps {
  log: Logger;
  /** Channel state: how far a multi-part reply got, and updates parked because they could not be stored. */
  state: ChannelStateStore;
}

/** The Telegram channel: long polling by default, a webhook when `config.webhook` is set. See README.md. */
export function createTelegramAdapter(config: TelegramConfig, deps: TelegramAdapterDeps): ChannelAdapter {
  const log = deps.log.child({ channel: 'telegram' });
  const pollTimeoutSeconds = config.pollTimeoutSeconds ?? 30;
  // A hung connection must not stall start-up or a send for grammY's default 500 s; long polls need their wait plus slack.
  const api = new Api(config.token, { timeoutSeconds: pollTimeoutSeconds + 30, ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}) });
  const retryDelayMs = config.retryDelayMs ?? 1000;
  let handler: UpdateHandler | undefined;
  let polling: Polling | undefined;
  let webhookRetry: NodeJS.Timeout | undefined;
  const latest = new LatestMessages();
  const attachmentLimits = telegramLimits(config.maxUploadBytes);
  const sendReply = createReplySender({ api, state: deps.state, latest, limits: attachmentLimits });
  const openFile = createFileOpener({
    api,
    token: config.token,
    apiRoot: config.apiRoot ?? 'https://api.telegram.org',
    maxBytes: config.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES,
  });

  let identity: Promise<UserFromGetMe> | undefined;
  const botIdentity = () => {
    identity ??= api.getMe().catch((err: unknown) => {
      identity = undefined;
      throw err;
    });
    return identity;
  };

  const routes: AdapterRoute[] = config.webhook
    ? [createWebhookRoute({ path: webhookPath(config.webhook.url), secret: config.webhook.secret, handle: () => handler })]
    : [];

  const webhookBackoff: Backoff = { initialMs: retryDelayMs, maxMs: 60_000 };
  const setWebhook = async (failures: number): Promise<void> => {
    const hook = config.webhook!;
    try {
      await api.setWebhook(hook.url, { secret_token: hook.secret, allowed_updates: [...ALLOWED_UPDATES] });
      log.info('telegram: webhook set', { path: webhookPath(hook.url) });
    } catch (err) {
      if (!handler) return;
      const delay = backoffDelay(webhookBackoff, failures + 1);
      log.error('telegram: setWebhook failed, retrying', { error: err, retryInMs: delay });
      webhookRetry = setTimeout(() => void setWebhook(failures + 1), delay);
    }
  };

  return {
    channel: 'telegram',
    routes,
    // Telegram hands each update to one getUpdates caller; webhooks may be served by every instance.
    singleConsumer: !config.webhook,
    attachmentLimits,

    async start(deliver: Deliver) {
      try {
        const me = await botIdentity();
        log.info('telegram: connected', { bot: me.username, mode: config.webhook ? 'webhook' : 'polling' });
      } catch (err) {
        if (err instanceof GrammyError && err.error_code === 401) {
          throw new ChannelError('Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized); check it with @BotFather', {
            retryable: false,
            code: 'telegram_unauthorized',
          });
        }
        log.warn('telegram: getMe failed, updates wait until Telegram answers', { error: err });
      }
      const noteAndDeliver: Deliver = (m) => {
        const [chatId, messageId] = m.externalMessageId.split(':');
        if (!m.raw?.edited && m.choiceId === undefined) latest.note(chatId!, Number(messageId));
        return deliver(m);
      };
      handler = createUpdateHandler({
        deliver: noteAndDeliver,
        botIdentity,
        answerCallback: (id) => api.answerCallbackQuery(id),
        openFile,
        log,
      });
      if (config.webhook) {
        await setWebhook(0);
        return;
      }
      // getUpdates is refused while a webhook is set, e.g. by an earlier deployment.
      await api.deleteWebhook().catch((err: unknown) => log.warn('telegram: deleteWebhook failed', { error: err }));
      const park = async (update: Update) => {
        await deps.state.set(`telegram:parked-update:${update.update_id}`, JSON.stringify(update));
        log.error('telegram: update keeps failing while others are stored; parked in channel state', {
          updateId: update.update_id,
          key: `telegram:parked-update:${update.update_id}`,
        });
      };
      polling = startPolling({ api, handle: handler, park, log, timeoutSeconds: pollTimeoutSeconds, retryDelayMs });
    },

    send: (m: OutboundMessage) => sendReply(m),

    async stop() {
      handler = undefined;
      clearTimeout(webhookRetry);
      await polling?.stop();
      polling = undefined;
    },
  };
}

/** The route is mounted at the webhook URL's own path, so the public URL and the app agree. */
function webhookPath(url: string): string {
  const path = new URL(url).pathname.replace(/\/+$/, '');
  return path === '' ? DEFAULT_WEBHOOK_PATH : path;
}
