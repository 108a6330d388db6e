/**
 * Learning from agents and customers: a handed-off question an agent says an FAQ entry answers
 * (or that deserves a new entry), or an FAQ choice a customer picked, becomes a pending
 * suggestion; an admin's approval writes it into the knowledge base (write-back.ts) and the bot
 * answers the next paraphrase from the reloaded index.
 */
import type { Clock } from '../domain/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { CUSTOMER } from '../domain/events.js';
import { newId } from '../domain/ids.js';
import { questionLocale } from '../faq/locale.js';
import { askedQuestion } from '../pipeline/asked-question.js';
import type { FaqMatcher } from '../faq/matcher.js';
import type { FaqSuggestionRow, Repos } from '../store/ports.js';
import type { Store } from '../store/store.js';
import type { FaqWriter } from './write-back.js';

/** How far back the question is looked for when the agent does not name the message. */
const RECENT_MESSAGES = 20;

export interface NewEntryDraft {
  id?: string;
  locale: string;
  question: string;
  answer: string;
}

export interface SuggestionInput {
  conversationId: string;
  /** The customer message the entry answers; the conversation's last customer message when omitted. */
  messageId?: string;
  entryId?: string;
  newEntry?: NewEntryDraft;
}

async function append(r: Repos, row: FaqSuggestionRow, action: 'suggest' | 'approve' | 'reject', by: string, at: number): Promise<void> {
  await r.events.append(
    row.conversationId,
    { type: 'faq_suggestion', data: { suggestionId: row.id, action, by, entryId: row.entryId } },
    at,
  );
}

/** An agent's suggestion: which entry answered this conversation's question, or a new entry. */
export async function suggestFromAgent(
  store: Store,
  clock: Clock,
  faq: () => FaqMatcher,
  agentId: string,
  input: SuggestionInput,
): Promise<FaqSuggestionRow> {
  if ((input.entryId === undefined) === (input.newEntry === undefined)) {
    throw new ValidationError('give either entryId or newEntry', input.entryId === undefined ? 'entryId' : 'newEntry');
  }
  const now = clock.now().getTime();
  return store.tx(async (r) => {
    const conversation = await r.conversations.get(input.conversationId);
    if (!conversation) throw new NotFoundError(`conversation ${input.conversationId} not found`);
    // Without a message id, the question the customer asked, not the pick or "人工" that followed the bot's ask-back.
    const message = input.messageId
      ? await r.messages.get(input.messageId)
      : askedQuestion(await r.messages.recent(conversation.id, RECENT_MESSAGES));
    if (input.messageId && (!message || message.conversationId !== conversation.id)) {
      throw new ValidationError(`messageId: no message ${input.messageId} in this conversation`, 'messageId');
    }
    if (message && message.author !== 'customer') throw new ValidationError('messageId: must be a customer message', 'messageId');
    let row: FaqSuggestionRow;
    const base = {
      id: newId(now),
      conversationId: conversation.id,
      messageId: message?.id ?? null,
      source: 'agent' as const,
      createdBy: agentId,
      status: 'pending' as const,
      decidedBy: null,
      decidedAt: null,
      createdAt: now,
    };
    if (input.newEntry) {
      row = {
        ...base,
        entryId: input.newEntry.id ?? null,
        newEntry: 1,
        locale: input.newEntry.locale,
        question: input.newEntry.question,
        answer: input.newEntry.answer,
      };
    } else {
      if (!message) throw new ValidationError('messageId: the conversation has no customer message to learn from', 'messageId');
      const locale = questionLocale(message.text, conversation.locale ?? undefined);
      const entry = faq().entry(input.entryId!, locale);
      if (!entry || entry.locale !== locale) throw new ValidationError(`entryId: no FAQ entry "${input.entryId}" in ${locale}`, 'entryId');
      row = { ...base, entryId: entry.id, newEntry: 0, locale, question: message.text, answer: null };
    }
    await r.faqSuggestions.insert(row);
    await append(r, row, 'suggest', agentId, now);
    return row;
  });
}

/** A customer picked FAQ choice `entryId` for `question`: the question becomes a pending example of it. */
export async function addPickSuggestion(
  r: Repos,
  p: { conversationId: string; entryId: string; locale: string; question: string; at: number },
): Promise<FaqSuggestionRow> {
  const row: FaqSuggestionRow = {
    id: newId(p.at),
    conversationId: p.conversationId,
    messageId: null,
    entryId: p.entryId,
    newEntry: 0,
    locale: p.locale,
    question: p.question,
    answer: null,
    source: 'pick',
    createdBy: CUSTOMER,
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    createdAt: p.at,
  };
  await r.faqSuggestions.insert(row);
  await append(r, row, 'suggest', CUSTOMER, p.at);
  return row;
}

/** An id for a new entry made from its question: `where-is-my-parcel`, or `entry-<id>` for Han text. */
export function entryIdFrom(question: string, fallback: string): string {
  const slug = question
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || `entry-${fallback.toLowerCase()}`;
}

export interface LearningDeps {
  store: Store;
  clock: Clock;
  writer: FaqWriter;
  /** Hands the reloaded index to the pipeline, so the next question is answered from it. */
  reload(matcher: FaqMatcher): void;
}

async function pending(store: Store, id: string): Promise<FaqSuggestionRow> {
  const row = await store.tx((r) => r.faqSuggestions.get(id));
  if (!row) throw new NotFoundError(`suggestion ${id} not found`);
  if (row.status !== 'pending') throw new ConflictError(`suggestion ${id} is already ${row.status}`);
  return row;
}

async function decide(
  d: LearningDeps,
  row: FaqSuggestionRow,
  status: 'approved' | 'rejected',
  adminId: string,
  entryId: string | null,
): Promise<FaqSuggestionRow> {
  const now = d.clock.now().getTime();
  return d.store.tx(async (r) => {
    if (!(await r.faqSuggestions.decide(row.id, { status, decidedBy: adminId, decidedAt: now, entryId }))) {
      throw new ConflictError(`suggestion ${row.id} was decided meanwhile`);
    }
    const decided = { ...row, status, decidedBy: adminId, decidedAt: now, entryId };
    await append(r, decided, status === 'approved' ? 'approve' : 'reject', adminId, now);
    return decided;
  });
}

/**
 * Writes the suggestion into the knowledge base, reloads the index, and records the approval.
 * A new entry in a knowledge base written in several languages needs the admin's `translations`
 * of its question and answer for the other locales.
 */
export async function approveSuggestion(
  d: LearningDeps,
  id: string,
  adminId: string,
  translations: Record<string, { question: string; answer: string }> = {},
): Promise<FaqSuggestionRow> {
  const row = await pending(d.store, id);
  let entryId: string;
  let matcher: FaqMatcher;
  if (row.newEntry) {
    entryId = row.entryId ?? entryIdFrom(row.question, row.id);
    const others = Object.entries(translations)
      .filter(([locale]) => locale !== row.locale)
      .map(([locale, t]) => ({ locale, ...t }));
    matcher = await d.writer.createEntry(entryId, [{ locale: row.locale, question: row.question, answer: row.answer ?? '' }, ...others]);
  } else {
    entryId = row.entryId!;
    matcher = await d.writer.addExample(row.locale, entryId, row.question);
  }
  d.reload(matcher);
  return decide(d, row, 'approved', adminId, entryId);
}

export async function rejectSuggestion(d: LearningDeps, id: string, adminId: string): Promise<FaqSuggestionRow> {
  const row = await pending(d.store, id);
  return decide(d, row, 'rejected', adminId, row.entryId);
}
