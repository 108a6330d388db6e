/**
 * Which customer message was the question. After the bot asked back, the customer's last message
 * is often a pick ("2", a button, "talk to a person") or a plain request for a person: the gaps
 * report, the agent's "which FAQ entry was this?" and the suggestions it makes need the question
 * asked before that, not the steering that followed it.
 */
import { asksForHuman, isStartCommand } from './intent.js';

/** A bare digit (full-width too), as an email reply picks from a numbered list. */
export function digitOf(text: string): number | undefined {
  const t = text
    .normalize('NFKC')
    .trim()
    .replace(/[.)。]$/, '');
  return /^[1-9]$/.test(t) ? Number(t) : undefined;
}

/** False for a customer message that steers the bot rather than asks: a pick, a request for a person, /start. */
export function isQuestion(m: { text: string; meta: string | null }): boolean {
  if (digitOf(m.text) !== undefined || asksForHuman(m.text) || isStartCommand(m.text)) return false;
  if (!m.meta) return true;
  const meta = JSON.parse(m.meta) as { choiceId?: unknown };
  return meta.choiceId === undefined;
}

/** The last customer message of `messages` (oldest first) that is a question. */
export function askedQuestion<M extends { author: string; text: string; meta: string | null }>(messages: M[]): M | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.author === 'customer' && isQuestion(m)) return m;
  }
  return undefined;
}
