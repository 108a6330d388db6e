import { z } from 'zod';

/**
 * What a routing rule matches in the customer's message: a regular expression (case-insensitive,
 * Unicode) or a keyword list matched case-insensitively anywhere in the text, which is how
 * Chinese keywords work too (no spaces between words). Stored as JSON in `routing_rules.match`.
 */
export const MAX_PATTERN = 200;
export const MAX_KEYWORDS = 50;
export const MAX_KEYWORD = 100;
/** Only the start of a long message (an email) is matched, so a rule costs the same on any message. */
export const MATCHED_PREFIX = 2000;

export const ruleMatch = z.union([
  z.object({ regex: z.string().min(1).max(MAX_PATTERN, `must be at most ${MAX_PATTERN} characters`) }).strict(),
  z
    .object({
      keywords: z
        .array(z.string().trim().min(1).max(MAX_KEYWORD, `must be at most ${MAX_KEYWORD} characters`))
        .min(1)
        .max(MAX_KEYWORDS, `at most ${MAX_KEYWORDS} keywords`),
    })
    .strict(),
]);
export type RuleMatch = z.infer<typeof ruleMatch>;

/** Case and width folded the same way for keywords and text (full-width Ｂｉｌｌ is Bill). */
function fold(s: string): string {
  return s.normalize('NFKC').toLocaleLowerCase('en');
}

export function compileRegex(pattern: string): RegExp {
  return new RegExp(pattern, 'iu');
}

/** A matcher for a stored rule; a stored pattern that no longer compiles matches nothing. */
export function matcherOf(stored: string): (text: string) => boolean {
  let m: RuleMatch;
  try {
    m = ruleMatch.parse(JSON.parse(stored));
  } catch {
    return () => false;
  }
  if ('regex' in m) {
    let re: RegExp;
    try {
      re = compileRegex(m.regex);
    } catch {
      return () => false;
    }
    return (text) => re.test(text.slice(0, MATCHED_PREFIX));
  }
  const words = m.keywords.map(fold);
  return (text) => {
    const t = fold(text.slice(0, MATCHED_PREFIX));
    return words.some((w) => t.includes(w));
  };
}
