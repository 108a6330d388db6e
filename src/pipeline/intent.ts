/** Recognising what a customer asks for before the FAQ is consulted. */

const HUMAN_WORDS = new Set(['human', 'agent', 'a human', 'an agent', 'person', 'a person', 'operator', 'real person', 'human please', 'agent please', 'talk to a human', 'talk to an agent', 'speak to a human', 'speak to an agent', '人工', '转人工', '人工客服', '真人', '客服', '找人工']);

/** Explicit request for a person: `/human`, or a short message that is just one of the words. */
export function asksForHuman(text: string): boolean {
  const t = normalizeCommand(text);
  if (t === '/human' || t.startsWith('/human@') || t.startsWith('/human ')) return true;
  return HUMAN_WORDS.has(t);
}

export function isStartCommand(text: string): boolean {
  const t = normalizeCommand(text);
  return t === '/start' || t.startsWith('/start ') || t.startsWith('/start@');
}

function normalizeCommand(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/@]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The customer's language: Han characters mean Chinese; otherwise the platform's hint, else English. */
export function detectLocale(text: string, hint?: string | null): 'zh' | 'en' {
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  if (hint?.toLowerCase().startsWith('zh') && !/[a-z]{3,}/i.test(text)) return 'zh';
  return 'en';
}
