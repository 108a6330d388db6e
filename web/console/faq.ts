/**
 * Learning from agents in the console: "which FAQ entry was this?" under a conversation an agent
 * answered (or a new entry, prefilled with the customer's question and the agent's reply), and
 * for admins the pending suggestions with approve / reject (POST/GET /api/faq/suggestions).
 */
import { call } from './api.js';
import { $, el, notice } from './dom.js';
import { state } from './state.js';
import type { Detail } from './types.js';

interface Suggestion {
  id: string;
  conversationId: string;
  entryId: string | null;
  newEntry: boolean;
  locale: string;
  question: string;
  answer: string | null;
  source: 'agent' | 'pick';
  status: 'pending' | 'approved' | 'rejected';
  /** Languages of the knowledge base a new entry still needs a version in before it can be approved. */
  needsTranslations: string[];
}

/** A question and answer field per missing language; read when the admin approves. */
function translationFields(locales: string[]): { node: HTMLElement; read(): Record<string, { question: string; answer: string }> } {
  const fields = locales.map((locale) => {
    const question = el('textarea', 'translation');
    question.rows = 2;
    question.setAttribute('aria-label', 'Question (' + locale + ')');
    question.placeholder = 'Question (' + locale + ')';
    const answer = el('textarea', 'translation');
    answer.rows = 3;
    answer.setAttribute('aria-label', 'Answer (' + locale + ')');
    answer.placeholder = 'Answer (' + locale + ')';
    return { locale, question, answer };
  });
  return {
    node: el('div', 'translations', ...fields.flatMap((f) => [f.question, f.answer])),
    read: () => Object.fromEntries(fields.map((f) => [f.locale, { question: f.question.value.trim(), answer: f.answer.value.trim() }])),
  };
}

let shownFor: string | null = null;
let question: { id: string; text: string } | null = null;

/** Shows the control once an agent has replied to a customer question; prefills only when another conversation opens. */
export function renderFaqLink(d: Detail): void {
  const asked = [...d.messages].reverse().find((m) => m.isQuestion);
  const replied = [...d.messages].reverse().find((m) => m.author === 'agent' && m.direction === 'out');
  $('faq-link').hidden = !asked || !replied;
  if (!asked || !replied) return;
  question = { id: asked.id, text: asked.text };
  if (shownFor === d.conversation.id) return;
  shownFor = d.conversation.id;
  $<HTMLInputElement>('faq-entry').value = '';
  $<HTMLInputElement>('faq-new-id').value = '';
  $<HTMLInputElement>('faq-new-locale').value = d.conversation.locale || 'en';
  $<HTMLTextAreaElement>('faq-new-question').value = asked.text;
  $<HTMLTextAreaElement>('faq-new-answer').value = replied.text;
}

async function suggest(body: Record<string, unknown>): Promise<void> {
  if (!state.openId || !question) return;
  try {
    await call('POST', '/faq/suggestions', { conversationId: state.openId, messageId: question.id, ...body });
    notice('Suggestion sent to an admin for approval.');
    void loadSuggestions();
  } catch (err) {
    notice((err as Error).message, true);
  }
}

$('faq-link').addEventListener('submit', (e) => {
  e.preventDefault();
  const entryId = $<HTMLInputElement>('faq-entry').value.trim();
  if (entryId) void suggest({ entryId });
});
$('faq-new-send').addEventListener('click', () => {
  const id = $<HTMLInputElement>('faq-new-id').value.trim();
  const newEntry = {
    ...(id ? { id } : {}),
    locale: $<HTMLInputElement>('faq-new-locale').value.trim(),
    question: $<HTMLTextAreaElement>('faq-new-question').value.trim(),
    answer: $<HTMLTextAreaElement>('faq-new-answer').value.trim(),
  };
  void suggest({ newEntry });
});

// ---- admins: pending suggestions ----
let nextCursor: string | null = null;

function suggestionNode(s: Suggestion): HTMLElement {
  const what = s.newEntry ? 'New entry' + (s.entryId ? ' "' + s.entryId + '"' : '') : 'Example of "' + s.entryId + '"';
  const node = el(
    'li',
    'suggestion ' + s.status,
    el('div', 'meta', what, ' · ', s.locale, ' · ', s.source === 'pick' ? 'customer pick' : 'agent'),
    el('div', 'text', s.question),
  );
  if (s.answer) node.append(el('div', 'text answer', s.answer));
  if (s.status !== 'pending') {
    node.append(el('div', 'meta', s.status));
    return node;
  }
  const translations = s.needsTranslations.length > 0 ? translationFields(s.needsTranslations) : undefined;
  if (translations) node.append(translations.node);
  for (const [label, action] of [
    ['Approve', 'approve'],
    ['Reject', 'reject'],
  ] as const) {
    const button = el('button', action, label);
    button.type = 'button';
    button.addEventListener('click', async () => {
      try {
        const body = action === 'approve' && translations ? { translations: translations.read() } : undefined;
        await call('POST', '/faq/suggestions/' + encodeURIComponent(s.id) + '/' + action, body);
        notice(action === 'approve' ? 'Approved: the FAQ has learnt it.' : 'Rejected.');
        await loadSuggestions();
      } catch (err) {
        notice((err as Error).message, true);
      }
    });
    node.append(button);
  }
  return node;
}

/** The first page again (after a decision, or when an admin signs in). */
export async function loadSuggestions(more = false): Promise<void> {
  const admin = state.me?.role === 'admin';
  $('faq-admin').hidden = !admin;
  if (!admin) return;
  const query = '?limit=20' + (more && nextCursor ? '&cursor=' + encodeURIComponent(nextCursor) : '');
  const page = await call<{ items: Suggestion[]; nextCursor: string | null }>('GET', '/faq/suggestions' + query);
  const nodes = page.items.map(suggestionNode);
  if (more) $('faq-suggestions').append(...nodes);
  else $('faq-suggestions').replaceChildren(...nodes);
  nextCursor = page.nextCursor;
  $('faq-more').hidden = !nextCursor;
}

$('faq-more').addEventListener('click', () => void loadSuggestions(true).catch((err: Error) => notice(err.message, true)));
$('faq-admin').addEventListener('toggle', () => void loadSuggestions().catch((err: Error) => notice(err.message, true)));
