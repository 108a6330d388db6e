/**
 * The small Markdown the bot's FAQ answers and agents' replies use, parsed into a tree that
 * markdown.ts turns into DOM nodes (never HTML). Supported: paragraphs with their line breaks,
 * `-`/`*` and `1.` lists, ``` fenced code, `inline code`, **bold**, *italics* / _italics_,
 * [links](url) and bare http(s) URLs. Anything else, raw HTML included, stays literal text.
 * A link whose target is not http, https or mailto is not a link: its source shows as text.
 * No DOM here, so it is unit-tested in Node.
 */

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'br' }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'link'; href: string; c: Inline[] };

export type Block =
  { t: 'p'; c: Inline[] } | { t: 'ul'; items: Inline[][] } | { t: 'ol'; items: Inline[][]; start: number } | { t: 'pre'; v: string };

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** The URL as an href when its scheme is one a click may follow, else null. */
export function safeHref(raw: string): string | null {
  // Browsers ignore tabs and newlines inside a scheme ("java\tscript:"); URL() does too, so the check sees what a click would.
  try {
    const url = new URL(raw.trim());
    return SAFE_SCHEMES.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const FENCE = /^\s{0,3}```/;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  const endPara = () => {
    if (para.length) blocks.push({ t: 'p', c: parseInline(para.join('\n')) });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (FENCE.test(line)) {
      endPara();
      const code: string[] = [];
      for (i++; i < lines.length && !FENCE.test(lines[i]!); i++) code.push(lines[i]!);
      blocks.push({ t: 'pre', v: code.join('\n') });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      endPara();
      const ordered = !!numbered;
      const items: string[] = [];
      const start = numbered ? Number(numbered[1]) : 1;
      for (; i < lines.length; i++) {
        const m = ordered ? NUMBERED.exec(lines[i]!) : BULLET.exec(lines[i]!);
        if (m) items.push(ordered ? m[2]! : m[1]!);
        // An indented line continues the item above it.
        else if (/^\s{2,}\S/.test(lines[i]!) && items.length) items[items.length - 1] += '\n' + lines[i]!.trim();
        else break;
      }
      i--;
      const parsed = items.map(parseInline);
      blocks.push(ordered ? { t: 'ol', items: parsed, start } : { t: 'ul', items: parsed });
      continue;
    }
    if (line.trim() === '') endPara();
    else para.push(line);
  }
  endPara();
  return blocks;
}

const LINK = /^\[([^\]\n]+)\]\(([^)\s]+)\)/;
const BARE_URL = /^https?:\/\/[^\s<>]+/;
const WORD = /[\p{L}\p{N}]/u;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push({ t: 'text', v: plain });
    plain = '';
  };
  const push = (node: Inline) => {
    flush();
    out.push(node);
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const rest = text.slice(i);
    const prev = i > 0 ? text[i - 1]! : '';
    if (ch === '\\' && i + 1 < text.length && /[\\`*_[\]()#+\-.!]/.test(text[i + 1]!)) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '\n') {
      push({ t: 'br' });
      i++;
      continue;
    }
    if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        push({ t: 'code', v: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if ((ch === '*' || ch === '_') && text[i + 1] === ch) {
      const marker = ch + ch;
      const end = text.indexOf(marker, i + 2);
      if (end > i + 2 && !/\s/.test(text[i + 2]!) && !/\s/.test(text[end - 1]!) && (ch === '*' || !WORD.test(prev))) {
        push({ t: 'strong', c: parseInline(text.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if (
      (ch === '*' || ch === '_') &&
      text[i + 1] !== ch &&
      i + 1 < text.length &&
      !/\s/.test(text[i + 1]!) &&
      (ch === '*' || !WORD.test(prev))
    ) {
      const end = findSingle(text, ch, i + 1);
      if (end > 0) {
        push({ t: 'em', c: parseInline(text.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (ch === '[') {
      const m = LINK.exec(rest);
      if (m) {
        const href = safeHref(m[2]!);
        if (href) push({ t: 'link', href, c: parseInline(m[1]!) });
        else plain += m[0];
        i += m[0].length;
        continue;
      }
    }
    if ((ch === 'h' || ch === 'H') && !WORD.test(prev)) {
      const m = BARE_URL.exec(rest);
      if (m) {
        // A sentence's closing punctuation is not part of the URL it ends with.
        const url = m[0].replace(/[.,;:!?'")\]]+$/, '');
        const href = safeHref(url);
        if (href) {
          push({ t: 'link', href, c: [{ t: 'text', v: url }] });
          i += url.length;
          continue;
        }
      }
    }
    plain += ch;
    i++;
  }
  flush();
  return out;
}

/** The closing single `*`/`_` of an emphasis opened before `from`: not doubled, not after a space, on the same line. */
function findSingle(text: string, ch: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text[j]!;
    if (c === '\n') return -1;
    if (c !== ch) continue;
    if (text[j + 1] === ch) {
      j++;
      continue;
    }
    if (/\s/.test(text[j - 1]!)) continue;
    if (ch === '_' && j + 1 < text.length && WORD.test(text[j + 1]!)) continue;
    return j;
  }
  return -1;
}
