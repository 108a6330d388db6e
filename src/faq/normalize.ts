/**
 * Text folding shared by indexing and matching, so both sides see the same string:
 * NFKC turns full-width letters, digits and punctuation into their plain forms, lower-casing
 * folds case, and every punctuation or symbol (ASCII, CJK 。，「」、！？ and the rest) becomes a space.
 */

const APOSTROPHE_IN_WORD = /(\p{L})['’‘](\p{L})/gu;
const PUNCTUATION_OR_SYMBOL = /[\p{P}\p{S}\p{Cc}\p{Cf}]+/gu;
const SPACES = /\s+/gu;

export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(APOSTROPHE_IN_WORD, '$1$2')
    .replace(PUNCTUATION_OR_SYMBOL, ' ')
    .replace(SPACES, ' ')
    .trim();
}

const HAN = /\p{Script=Han}/u;
const HAN_ALL = /\p{Script=Han}/gu;
const LATIN_WORD = /\p{Script=Latin}+/gu;

export function isHan(ch: string): boolean {
  return HAN.test(ch);
}

/**
 * The script a customer wrote in: Chinese when Han characters outweigh Latin words
 * ("我的 iPhone 订单" is Chinese, "how do I say 你好" is English), else Latin.
 */
export function dominantScript(text: string): 'han' | 'latin' | 'none' {
  const han = text.match(HAN_ALL)?.length ?? 0;
  const latin = text.match(LATIN_WORD)?.length ?? 0;
  if (han === 0 && latin === 0) return 'none';
  return han >= latin ? 'han' : 'latin';
}
