/** Recognising what a customer asks for before the FAQ is consulted. */

import { questionLocale } from '../faq/locale.js';

const HUMAN_WORDS = new Set([
  'human',
  'agent',
  'a human',
  'an agent',
  'person',
  'a person',
  'operator',
  'real person',
  'human please',
  'agent please',
  'talk to a human',
  'talk to an agent',
  'speak to a human',
  'speak to an agent',
  '人工',
  '转人工',
  '人工客服',
  '真人',
  '客服',
  '找人工',
]);

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

/** The language the bot replies in: the question's own (src/faq/locale.ts), narrowed to those it speaks. */
export function detectLocale(text: string, hint?: string | null): 'zh' | 'en' {
  return questionLocale(text, hint ?? undefined) === 'zh' ? 'zh' : 'en';
}

/** A satisfaction score: the message is just a digit 1–5 (full-width too) or one to five stars. */
export function csatScore(text: string): number | undefined {
  const t = text
    .normalize('NFKC')
    .replace(/\uFE0F/g, '')
    .trim();
  if (/^[1-5]$/.test(t)) return Number(t);
  if (/^(⭐|★){1,5}$/u.test(t)) return [...t].length;
  return undefined;
}
