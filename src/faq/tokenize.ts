/**
 * Turns normalized text into features, each named `kind:value`. Chinese has no spaces, so Han
 * runs give Intl.Segmenter words (w) plus single characters (u) and character pairs (h): robust
 * to segmenter mistakes and word choice, and one character often carries a word's meaning.
 * Latin words give stems (w) and character 3–5-grams inside each word (c), robust to typos and
 * inflections. Word bigrams (b) keep a little word order ("cancel order" vs "order cancel").
 */
import { isHan } from './normalize.js';
import { stem } from './stem.js';

export type Features = Map<string, number>;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

export interface Token {
  text: string;
  han: boolean;
}

/** Word-like segments of normalized text; Latin words are kept whole, Han runs are segmented. */
export function segment(text: string): Token[] {
  const tokens: Token[] = [];
  for (const s of segmenter.segment(text)) {
    if (!s.isWordLike) continue;
    tokens.push({ text: s.segment, han: [...s.segment].some(isHan) });
  }
  return tokens;
}

export function features(text: string): Features {
  const out: Features = new Map();
  const add = (key: string) => out.set(key, (out.get(key) ?? 0) + 1);
  const tokens = segment(text);
  const words = tokens.map((t) => (t.han ? t.text : stem(t.text)));

  words.forEach((w, i) => {
    add(`w:${w}`);
    if (i > 0) add(`b:${words[i - 1]} ${w}`);
  });

  let hanRun = '';
  const flushHan = () => {
    const chars = [...hanRun];
    chars.forEach((ch, i) => {
      add(`u:${ch}`);
      if (i > 0) add(`h:${chars[i - 1]}${ch}`);
    });
    hanRun = '';
  };
  for (const t of tokens) {
    if (t.han) {
      hanRun += t.text;
      continue;
    }
    flushHan();
    const padded = `<${t.text}>`;
    for (let n = 3; n <= 5; n++) {
      for (let i = 0; i + n <= padded.length; i++) add(`c:${padded.slice(i, i + n)}`);
    }
  }
  flushHan();
  return out;
}
