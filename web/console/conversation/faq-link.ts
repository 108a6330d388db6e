import { el } from '../dom.js';
import type { PageContext } from '../page.js';
import { t } from './strings.js';
import type { Detail, Message } from './types.js';

/**
 * Learning from agents: once an agent has answered a customer's question, "which FAQ entry was
 * this?" links the question to an entry, or proposes a new one prefilled with the question and
 * the agent's reply (POST /api/faq/suggestions; an admin approves it).
 */
export function createFaqLink(ctx: PageContext, conversationId: string) {
  const summary = el('summary', 'conv-faq-summary');
  const entry = el('input', 'conv-input-line');
  entry.pattern = '[a-z0-9][a-z0-9_\\-]*';
  const linkButton = el('button', 'conv-btn');
  linkButton.type = 'submit';
  const linkForm = el('form', 'conv-faq-row', entry, linkButton);

  const newId = el('input', 'conv-input-line');
  const newLocale = el('input', 'conv-input-line conv-short');
  newLocale.size = 4;
  const newQuestion = el('textarea', 'conv-input-line');
  newQuestion.rows = 2;
  const newAnswer = el('textarea', 'conv-input-line');
  newAnswer.rows = 3;
  const newSend = el('button', 'conv-btn');
  newSend.type = 'submit';
  const newSummary = el('summary', '');
  const newForm = el('form', 'conv-faq-new', newId, newLocale, newQuestion, newAnswer, newSend);
  const newEntry = el('details', 'conv-faq-new-wrap', newSummary, newForm);
  const node = el('details', 'conv-faq', summary, linkForm, newEntry);
  node.hidden = true;

  let question: Message | null = null;
  let prefilled = false;

  async function suggest(body: Record<string, unknown>): Promise<void> {
    if (!question) return;
    try {
      await ctx.call('POST', '/faq/suggestions', { conversationId, messageId: question.id, ...body });
      ctx.notice(t('faqSent'));
    } catch (err) {
      ctx.notice((err as Error).message, true);
    }
  }
  linkForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const entryId = entry.value.trim();
    if (entryId) void suggest({ entryId });
  });
  newForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = newId.value.trim();
    void suggest({
      newEntry: {
        ...(id ? { id } : {}),
        locale: newLocale.value.trim(),
        question: newQuestion.value.trim(),
        answer: newAnswer.value.trim(),
      },
    });
  });

  function relabel(): void {
    summary.textContent = t('faqTitle');
    entry.placeholder = t('faqEntryPlaceholder');
    entry.setAttribute('aria-label', t('faqEntry'));
    linkButton.textContent = t('faqLink');
    newSummary.textContent = t('faqNew');
    newId.placeholder = t('faqNewId');
    newId.setAttribute('aria-label', t('faqNewId'));
    newLocale.setAttribute('aria-label', t('faqNewLocale'));
    newQuestion.setAttribute('aria-label', t('faqNewQuestion'));
    newAnswer.setAttribute('aria-label', t('faqNewAnswer'));
    newSend.textContent = t('faqNewSend');
  }
  relabel();

  return {
    node,
    relabel,
    /** Shown once there is a customer question and an agent's reply; prefilled the first time only, so edits stay. */
    update(d: Detail, messages: Message[]): void {
      const asked = [...messages].reverse().find((m) => m.isQuestion);
      const replied = [...messages].reverse().find((m) => m.author === 'agent' && m.direction === 'out');
      node.hidden = !asked || !replied;
      if (!asked || !replied) return;
      question = asked;
      if (prefilled) return;
      prefilled = true;
      newLocale.value = d.conversation.locale || 'en';
      newQuestion.value = asked.text;
      newAnswer.value = replied.text;
    },
  };
}
