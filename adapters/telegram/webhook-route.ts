import { timingSafeEqual } from 'node:crypto';
import type { Update } from 'grammy/types';
import type { AdapterRoute } from '../../src/domain/channel.js';
import { UnauthorizedError, UnavailableError, ValidationError } from '../../src/domain/errors.js';
import { errorResponse } from '../../src/kit/http-errors.js';
import { readJson } from '../../src/kit/read-body.js';
import type { UpdateHandler } from './deliver-update.js';
import { KeyedQueue } from '../../src/kit/keyed-queue.js';
import { updateChatKey } from './normalize.js';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** Far above any update Telegram sends (a message is at most 4096 characters plus metadata). */
const MAX_UPDATE_BYTES = 256 * 1024;

/**
 * The callback Telegram posts updates to. A request without the secret given to setWebhook
 * is refused with 401 and not read. The 200 goes out only after the update was handled;
 * any other answer makes Telegram deliver it again. Updates of one chat are handled in order.
 */
export function createWebhookRoute(opts: { path: string; secret: string; handle: () => UpdateHandler | undefined }): AdapterRoute {
  const queue = new KeyedQueue();
  const expected = Buffer.from(opts.secret);
  return {
    method: 'POST',
    path: opts.path,
    unmetered: true,
    async handle(req) {
      const given = Buffer.from(req.headers.get(SECRET_HEADER) ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return errorResponse(new UnauthorizedError('missing or wrong X-Telegram-Bot-Api-Secret-Token'));
      }
      const handle = opts.handle();
      if (!handle) return errorResponse(new UnavailableError('the Telegram channel is not running'));
      let update: unknown;
      try {
        update = await readJson(req, MAX_UPDATE_BYTES);
      } catch (err) {
        return errorResponse(err);
      }
      if (!isUpdate(update)) return errorResponse(new ValidationError('body is not a Telegram update'));
      const handled = await queue.run(updateChatKey(update), () => handle(update));
      return handled ? new Response(null, { status: 200 }) : errorResponse(new UnavailableError('update not stored yet; deliver it again'));
    },
  };
}

function isUpdate(v: unknown): v is Update {
  return typeof v === 'object' && v !== null && Number.isInteger((v as { update_id?: unknown }).update_id);
}
