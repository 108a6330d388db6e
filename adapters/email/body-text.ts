/**
 * Decides the text a message contributes: text/plain when present, otherwise its HTML turned into
 * plain text (no markup, scripts or styles survive, so nothing active reaches an agent's browser).
 * The bot matches on `text` (quotes and signature cut); agents also get `fullText`.
 */
import { convert } from 'html-to-text';
import type { Attachment } from '../../src/domain/channel.js';
import { stripReply } from './strip-reply.js';

/** Generous for any message a person writes; beyond it we keep the head and say what was cut. */
export const MAX_TEXT_CHARS = 200_000;

export interface BodyText {
  text: string;
  fullText?: string;
  problems: string[];
}

export function htmlToPlainText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    ],
  });
}

export function bodyText(part: { text?: string; html?: string; attachments: Attachment[]; rawBody?: () => string }): BodyText {
  const problems: string[] = [];
  let full = part.text?.trim() ? part.text : part.html ? htmlToPlainText(part.html) : '';
  full = full.replace(/\r\n?/g, '\n').trim();

  const raw = !full && part.attachments.length === 0 ? part.rawBody?.().trim() : undefined;
  if (raw) {
    problems.push('no readable text part was found; the raw message body is kept instead');
    full = `[This email's structure could not be read; its raw body follows]\n\n${raw}`;
  }
  if (!full) {
    problems.push('the email has no text');
    const list = part.attachments.map((a) => `${a.name} (${a.mime}, ${formatBytes(a.size)})`).join(', ');
    return { text: list ? `[Email without text; attachments: ${list}]` : '[Empty email]', problems };
  }
  if (full.length > MAX_TEXT_CHARS) {
    const note = `[… ${full.length - MAX_TEXT_CHARS} more characters cut; the whole email stays in the mailbox]`;
    problems.push(note);
    full = `${full.slice(0, MAX_TEXT_CHARS)}\n\n${note}`;
  }
  const text = stripReply(full);
  return text === full ? { text, problems } : { text, fullText: full, problems };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
