/**
 * How text becomes search terms, the same way for what is indexed and for what is asked.
 *
 * Words of letters and digits are lower-cased terms. Chinese (and Japanese, Korean) text has no
 * spaces between words, so each run of those characters is indexed as its overlapping character
 * pairs: "我想退货" → 我想 想退 退货. A two-character query such as "退货" is then one exact term,
 * and a longer one ("想退货") is the pairs it is made of, all required. This is why the index
 * is not SQLite's trigram tokenizer: trigrams cannot match a query shorter than three
 * characters, and two characters is the usual length of a Chinese word. The terms are built
 * here, in one place, and stored space-separated; SQLite's FTS5 (unicode61) and PostgreSQL's
 * `to_tsvector('simple', …)` then only split on the spaces, so both databases index the same terms.
 */

/** Longer words are cut: nobody searches for them, and they would bloat the index. */
const MAX_TERM = 40;
/** Terms of one document beyond this are not indexed (a 16 KB message stays well under it). */
const MAX_DOC_TERMS = 8000;
/** A query may ask for at most this many terms; the API caps its length before. */
export const MAX_QUERY_TERMS = 12;

const SEGMENT = /[\p{L}\p{N}\p{M}]+/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;

interface Piece {
  /** A word, or a run of CJK characters. */
  text: string;
  cjk: boolean;
}

function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  for (const [segment] of text.normalize('NFKC').toLowerCase().matchAll(SEGMENT)) {
    let at = 0;
    for (const m of segment.matchAll(CJK)) {
      if (m.index > at) out.push({ text: segment.slice(at, m.index), cjk: false });
      out.push({ text: m[0], cjk: true });
      at = m.index + m[0].length;
    }
    if (at < segment.length) out.push({ text: segment.slice(at), cjk: false });
  }
  return out;
}

function termsOf(p: Piece): string[] {
  if (!p.cjk) return [[...p.text].slice(0, MAX_TERM).join('')];
  const chars = [...p.text];
  if (chars.length === 1) return chars;
  const pairs: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) pairs.push(chars[i]! + chars[i + 1]!);
  return pairs;
}

/** The terms of a text as stored in the index: space-separated, in order (positions matter to ranking). */
export function indexTerms(text: string): string {
  const terms: string[] = [];
  for (const p of pieces(text)) {
    for (const t of termsOf(p)) {
      if (terms.length >= MAX_DOC_TERMS) return terms.join(' ');
      terms.push(t);
    }
  }
  return terms.join(' ');
}

export interface SearchTerm {
  term: string;
  /** Matches every term starting with it: the last word typed, and a lone CJK character. */
  prefix: boolean;
}

/**
 * What a query asks for: every term required. The last word is a prefix (search as you type), and
 * so is a single CJK character (it can only be the start of a pair). Characters that mean
 * something to a query language (quotes, `*`, `-`, parentheses) never reach one: terms are
 * letters and digits only, and the dialects quote them.
 */
export interface ParsedQuery {
  terms: SearchTerm[];
  /** The words and CJK runs of the query, to mark in snippets. */
  marks: string[];
}

export function parseQuery(q: string): ParsedQuery {
  const ps = pieces(q);
  const terms: SearchTerm[] = [];
  const seen = new Set<string>();
  ps.forEach((p, i) => {
    const ts = termsOf(p);
    for (const t of ts) {
      const prefix = p.cjk ? ts.length === 1 && [...t].length === 1 : i === ps.length - 1;
      const key = `${t}${prefix ? '*' : ''}`;
      if (seen.has(key) || terms.length >= MAX_QUERY_TERMS) continue;
      seen.add(key);
      terms.push({ term: t, prefix });
    }
  });
  return { terms, marks: [...new Set(ps.map((p) => p.text))] };
}

/** A span of a snippet to show marked: `start` and `length` in UTF-16 code units (JavaScript string indexes). */
export interface Highlight {
  start: number;
  length: number;
}

export interface Snippet {
  /** Plain text: never markup, the console shows it as a text node. */
  text: string;
  highlights: Highlight[];
}

const SNIPPET = 160;

/**
 * A window of `text` around the first match of the query, with every match in it marked by
 * offsets. Matching ignores case; a CJK run the text does not hold whole is marked pair by pair.
 */
export function snippetOf(text: string, q: ParsedQuery): Snippet {
  const needles = [...new Set([...q.marks, ...q.terms.map((t) => t.term)])].filter((n) => n.length > 0);
  const lower = text.toLowerCase();
  // toLowerCase keeps UTF-16 lengths for nearly all text; where it does not, match on the original.
  const hay = lower.length === text.length ? lower : text;
  const spans: Highlight[] = [];
  for (const n of needles) {
    for (let at = hay.indexOf(n); at !== -1; at = hay.indexOf(n, at + n.length)) spans.push({ start: at, length: n.length });
  }
  spans.sort((a, b) => a.start - b.start || b.length - a.length);
  const merged: Highlight[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.start <= last.start + last.length) last.length = Math.max(last.length, s.start + s.length - last.start);
    else merged.push({ ...s });
  }
  const first = merged[0]?.start ?? 0;
  let from = Math.max(0, first - 40);
  // Do not cut a surrogate pair in two.
  if (from > 0 && /[\udc00-\udfff]/.test(text[from]!)) from--;
  let to = Math.min(text.length, from + SNIPPET);
  if (to < text.length && /[\udc00-\udfff]/.test(text[to]!)) to++;
  const prefix = from > 0 ? '…' : '';
  const suffix = to < text.length ? '…' : '';
  return {
    text: prefix + text.slice(from, to) + suffix,
    highlights: merged
      .filter((h) => h.start >= from && h.start < to)
      .map((h) => ({ start: h.start - from + prefix.length, length: Math.min(h.length, to - h.start) })),
  };
}
