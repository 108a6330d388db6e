/**
 * Per-locale synonyms from `faq/<locale>/synonyms.txt`: one group per line, comma-separated,
 * the first term canonical ("parcel, package, 包裹"). Both the example questions and the
 * customer's question are rewritten to the canonical term before tokenizing.
 */
import { isHan, normalize } from './normalize.js';

export interface SynonymRule {
  from: string;
  to: string;
}

export interface SynonymProblem {
  line: number;
  message: string;
}

export function parseSynonyms(text: string): { rules: SynonymRule[]; problems: SynonymProblem[] } {
  const rules: SynonymRule[] = [];
  const problems: SynonymProblem[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const terms = line
      .split(/[,，、]/)
      .map((t) => normalize(t))
      .filter(Boolean);
    if (terms.length < 2) {
      problems.push({ line: i + 1, message: 'a synonym group needs at least two comma-separated terms' });
      return;
    }
    const [canonical, ...others] = terms as [string, ...string[]];
    for (const term of others) {
      const earlier = seen.get(term);
      if (earlier !== undefined) {
        problems.push({ line: i + 1, message: `"${term}" is already a synonym on line ${earlier}` });
        continue;
      }
      seen.set(term, i + 1);
      if (term !== canonical) rules.push({ from: term, to: canonical });
    }
  });
  // Longest first, so "credit card" is rewritten before "card".
  rules.sort((a, b) => b.from.length - a.from.length);
  return { rules, problems };
}

/** Rewrites normalized text; Latin terms only at word boundaries, Han terms anywhere. */
export function applySynonyms(text: string, rules: readonly SynonymRule[]): string {
  if (rules.length === 0) return text;
  let out = ` ${text} `;
  for (const { from, to } of rules) {
    if (!out.includes(from)) continue;
    out = [...from].some(isHan) ? out.split(from).join(to) : out.split(` ${from} `).join(` ${to} `);
  }
  return out.replace(/\s+/g, ' ').trim();
}
