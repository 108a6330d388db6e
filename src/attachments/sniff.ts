import { fileTypeFromBuffer } from 'file-type';

/** Bytes read from the start of a file to tell its type: enough for file-type's signatures, office zips included. */
export const SNIFF_BYTES = 16 * 1024;

/** Raster images a browser shows without running anything: served inline, and the only ones given thumbnails. */
export const SAFE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * The type of a file from its first bytes, never from its name or what the sender claimed. Text
 * without a signature (HTML, SVG, scripts among it) is `text/plain`, so it is never rendered as a page.
 */
export async function sniffMime(head: Uint8Array): Promise<string> {
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  if (found) return found.mime;
  return looksLikeText(head) ? 'text/plain' : 'application/octet-stream';
}

function looksLikeText(head: Uint8Array): boolean {
  if (head.byteLength === 0) return false;
  if (head.includes(0)) return false;
  // A multi-byte character cut by the end of the head is still text: drop up to 3 trailing bytes before decoding.
  for (let cut = 0; cut < 4 && cut < head.byteLength; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.byteLength - cut));
      return true;
    } catch {
      // try with one byte fewer
    }
  }
  return false;
}
