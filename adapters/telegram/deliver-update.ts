import type { Update, UserFromGetMe } from 'grammy/types';
import type { Deliver } from '../../src/domain/channel.js';
import { deliverOnce } from '../../src/kit/deliver-with-retry.js';
import type { Logger } from '../../src/log.js';
import type { FileOpener } from './files.js';
import { normalizeUpdate } from './normalize.js';

/**
 * Hands one update to the pipeline. True means Telegram may forget the update: it was
 * stored, was a duplicate, is not for us, or can never be stored (a validation error, logged
 * so it is not silently dropped). False means try again later: nothing acknowledged.
 */
export type UpdateHandler = (update: Update) => Promise<boolean>;

export function createUpdateHandler(deps: {
  deliver: Deliver;
  botIdentity: () => Promise<UserFromGetMe>;
  /** answerCallbackQuery: Telegram shows a spinner on the tapped button until it is answered. */
  answerCallback: (callbackQueryId: string) => Promise<unknown>;
  /** Makes each file's `open` (getFile and download), called by the pipeline at ingest. */
  openFile?: FileOpener;
  log: Logger;
}): UpdateHandler {
  const { deliver, botIdentity, answerCallback, openFile, log } = deps;
  return async (update) => {
    let me: UserFromGetMe;
    try {
      me = await botIdentity();
    } catch (err) {
      log.warn('telegram: bot identity unknown, update left for later', { updateId: update.update_id, error: err });
      return false;
    }
    let message;
    try {
      message = normalizeUpdate(update, me, openFile);
    } catch (err) {
      log.error('telegram: malformed update dropped', { updateId: update.update_id, error: err });
      return true;
    }
    if (!message) {
      log.debug('telegram: update ignored', { updateId: update.update_id });
      return true;
    }
    const outcome = await deliverOnce(() => deliver(message), {
      onRejected: (err) =>
        log.error('telegram: update rejected by the pipeline, dropped', {
          updateId: update.update_id,
          externalMessageId: message.externalMessageId,
          error: err,
        }),
      onFailure: (err) => log.warn('telegram: storing update failed, will retry', { updateId: update.update_id, error: err }),
    });
    const callbackId = update.callback_query?.id;
    if (callbackId !== undefined && outcome !== 'failed') {
      // Only the spinner depends on it; an old query Telegram no longer accepts changes nothing stored.
      await answerCallback(callbackId).catch((err: unknown) =>
        log.warn('telegram: answerCallbackQuery failed', { updateId: update.update_id, error: err }),
      );
    }
    return outcome !== 'failed';
  };
}
