/**
 * Files from customers: getFile names the file's path on the Bot API server, whose
 * `/file/bot<token>/<path>` serves the bytes. Both go through the configured API root, so a
 * self-hosted Bot API server (or the test fake) serves them too.
 */
import type { Api } from 'grammy';
import type { Attachment, ByteStream } from '../../src/domain/channel.js';
import { ChannelError } from '../../src/domain/errors.js';
import { limitBytes, MB, responseBytes } from '../../src/kit/byte-stream.js';
import { toChannelError } from './send-error.js';

/** The public Bot API serves files up to 20 MB through getFile; a local Bot API server serves more. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 20 * MB;

/** Makes the `open` of a customer's file, or none when Telegram already says it is too large to fetch. */
export type FileOpener = (fileId: string, size: number) => Attachment['open'];

export function createFileOpener(deps: { api: Api; token: string; apiRoot: string; maxBytes: number }): FileOpener {
  const { api, token, apiRoot, maxBytes } = deps;
  const tooLarge = (size?: number) =>
    new ChannelError(
      `Telegram file ${size === undefined ? 'is' : `of ${size} bytes is`} over the ${Math.round(maxBytes / MB)} MB download limit (TELEGRAM_MAX_DOWNLOAD_MB)`,
      { retryable: false, code: 'telegram_file_too_large' },
    );
  return (fileId, size) => {
    if (size > maxBytes) return undefined;
    return async (signal: AbortSignal): Promise<ByteStream> => {
      const file = await api
        .getFile(fileId, signal as unknown as Parameters<Api['getFile']>[1])
        .catch((err: unknown) => Promise.reject(toChannelError(err)));
      if (file.file_size !== undefined && file.file_size > maxBytes) throw tooLarge(file.file_size);
      if (!file.file_path) throw new ChannelError('Telegram getFile gave no file_path', { retryable: false, code: 'telegram_file_gone' });
      const res = await fetch(`${apiRoot}/file/bot${token}/${file.file_path}`, { signal }).catch((err: unknown) => {
        throw new ChannelError(`Telegram file download failed: ${(err as Error).message}`, {
          retryable: true,
          code: 'telegram_unreachable',
          cause: err,
        });
      });
      if (!res.ok) {
        await res.body?.cancel();
        throw new ChannelError(`Telegram file download: HTTP ${res.status}`, {
          retryable: res.status >= 500 || res.status === 429,
          code: 'telegram_file_download',
        });
      }
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (declared > maxBytes) {
        await res.body?.cancel();
        throw tooLarge(declared);
      }
      return limitBytes(responseBytes(res), maxBytes, () => tooLarge());
    };
  };
}
