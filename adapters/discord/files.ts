/**
 * Customer files live on Discord's CDN behind signed URLs that expire after about a day, so the
 * pipeline opens them at ingest. Only Discord's own CDN hosts (or the configured DISCORD_CDN_URL)
 * are fetched: a URL in a message is never followed anywhere else.
 */
import type { Attachment, ByteStream } from '../../src/domain/channel.js';
import { ChannelError } from '../../src/domain/errors.js';
import { limitBytes, MB, responseBytes } from '../../src/kit/byte-stream.js';

export const DEFAULT_MAX_DOWNLOAD_BYTES = 25 * MB;
const CDN_HOSTS = new Set(['cdn.discordapp.com', 'media.discordapp.net']);

export type FileOpener = (url: string, size: number) => Attachment['open'];

export function createFileOpener(deps: { cdnUrl?: string; maxBytes: number }): FileOpener {
  const { cdnUrl, maxBytes } = deps;
  const configured = cdnUrl ? new URL(cdnUrl) : undefined;
  const tooLarge = (size?: number) =>
    new ChannelError(
      `Discord file ${size === undefined ? 'is' : `of ${size} bytes is`} over the ${Math.round(maxBytes / MB)} MB download limit (DISCORD_MAX_DOWNLOAD_MB)`,
      { retryable: false, code: 'discord_file_too_large' },
    );

  /** The URL to fetch, or none when the attachment points anywhere but the CDN. */
  const target = (raw: string): string | undefined => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return undefined;
    }
    if (configured && url.origin === configured.origin) return url.href;
    if (url.protocol !== 'https:' || !CDN_HOSTS.has(url.hostname)) return undefined;
    return configured ? `${configured.origin}${configured.pathname.replace(/\/$/, '')}${url.pathname}${url.search}` : url.href;
  };

  return (raw, size) => {
    const url = target(raw);
    if (!url || size > maxBytes) return undefined;
    return async (signal: AbortSignal): Promise<ByteStream> => {
      const res = await fetch(url, { signal, redirect: 'error' }).catch((err: unknown) => {
        throw new ChannelError(`Discord CDN unreachable: ${(err as Error).message}`, {
          retryable: true,
          code: 'discord_unreachable',
          cause: err,
        });
      });
      if (!res.ok) {
        await res.body?.cancel();
        // 403/404: the signed URL expired or the message was deleted; asking again will not help.
        throw new ChannelError(`Discord CDN: HTTP ${res.status}`, {
          retryable: res.status >= 500 || res.status === 429,
          code: 'discord_file_download',
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
