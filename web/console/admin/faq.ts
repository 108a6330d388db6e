/**
 * What the FAQ bot learns: suggestions from agents (and customers' picks) to approve or reject —
 * a new entry in a several-language knowledge base asks for its other languages here — and the
 * gaps, the questions that ended in a hand-off, grouped, biggest first.
 */
import { el } from '../dom.js';
import { formatDateTime, formatNumber } from '../i18n.js';
import type { PageContext } from '../page.js';
import { t } from './strings.js';
import type { GapGroup, Suggestion } from './types.js';
import { button, failure, Form, heading, select, textarea, value } from './ui.js';

const DAY = 86_400_000;

export function faqSection(root: HTMLElement, ctx: PageContext): void {
  const list = el('ul', 'admin-suggestions');
  const more = button(t('more'), () => void loadSuggestions(true));
  more.hidden = true;
  const suggestionsStatus = el('div', '');
  const gapsBox = el('div', 'admin-gaps');
  let nextCursor: string | null = null;

  async function loadSuggestions(append = false): Promise<void> {
    try {
      const q = '?limit=20' + (append && nextCursor ? '&cursor=' + encodeURIComponent(nextCursor) : '');
      const page = await ctx.call<{ items: Suggestion[]; nextCursor: string | null }>('GET', '/faq/suggestions' + q);
      const nodes = page.items.map(suggestionNode);
      if (append) list.append(...nodes);
      else list.replaceChildren(...nodes);
      suggestionsStatus.replaceChildren(list.childElementCount ? '' : el('p', 'admin-empty', t('noSuggestions')));
      nextCursor = page.nextCursor;
      more.hidden = !nextCursor;
    } catch (err) {
      suggestionsStatus.replaceChildren(failure(err));
    }
  }

  function suggestionNode(s: Suggestion): HTMLElement {
    const what = s.newEntry ? (s.entryId ? t('newEntryNamed', { id: s.entryId }) : t('newEntry')) : t('exampleOf', { id: s.entryId ?? '' });
    const item = el(
      'li',
      'admin-suggestion admin-suggestion-' + s.status,
      el(
        'p',
        'admin-hint',
        what,
        ' · ',
        s.locale,
        ' · ',
        t(s.source === 'pick' ? 'sourcePick' : 'sourceAgent'),
        ' · ',
        formatDateTime(s.createdAt),
      ),
      el('p', 'admin-question-text', s.question),
    );
    item.dataset.id = s.id;
    if (s.answer) item.append(el('p', 'admin-answer-text', s.answer));
    if (s.status !== 'pending') {
      item.append(el('p', 'admin-state admin-decided', t(s.status === 'approved' ? 'approved' : 'rejected')));
      return item;
    }
    let decision: 'approve' | 'reject' = 'approve';
    const form = new Form('admin-decide', async (f) => {
      const data = new FormData(f.node);
      const translations = Object.fromEntries(
        s.needsTranslations.map((l) => [l, { question: value(data, `q-${l}`).trim(), answer: value(data, `a-${l}`).trim() }]),
      );
      if (decision === 'approve')
        for (const l of s.needsTranslations) {
          if (!translations[l]!.question) f.fail(`translations.${l}.question`, t('required'));
          if (!translations[l]!.answer) f.fail(`translations.${l}.answer`, t('required'));
        }
      const body = decision === 'approve' && s.needsTranslations.length ? { translations } : undefined;
      await ctx.call('POST', `/faq/suggestions/${encodeURIComponent(s.id)}/${decision}`, body);
      ctx.notice(decision === 'approve' ? t('approvedNotice') : t('rejectedNotice'));
      await loadSuggestions();
    });
    for (const l of s.needsTranslations) {
      form.field(`translations.${l}.question`, t('questionIn', { locale: l }), textarea(`q-${l}`, '', 2));
      form.field(`translations.${l}.answer`, t('answerIn', { locale: l }), textarea(`a-${l}`, '', 3));
    }
    const reject = el('button', 'admin-button admin-danger', t('reject'));
    reject.type = 'submit';
    reject.addEventListener('click', () => (decision = 'reject'));
    form.actions(t('approve'), reject);
    form.node.querySelector('button.admin-primary')?.addEventListener('click', () => (decision = 'approve'));
    item.append(form.node);
    return item;
  }

  async function loadGaps(days: number): Promise<void> {
    try {
      const since = new Date(Date.now() - days * DAY).toISOString();
      const report = await ctx.call<{ total: number; groups: GapGroup[] }>('GET', '/faq/gaps?since=' + encodeURIComponent(since));
      gapsBox.replaceChildren(
        el('p', 'admin-hint', t('gapsTotal', { n: formatNumber(report.total), groups: formatNumber(report.groups.length) })),
        report.groups.length
          ? el(
              'ol',
              'admin-gap-list',
              ...report.groups.map((g) =>
                el(
                  'li',
                  'admin-gap',
                  el('span', 'admin-count', t('timesAsked', { n: formatNumber(g.count) })),
                  el(
                    'ul',
                    '',
                    ...g.examples.map((e) => {
                      const a = el('a', '', e.text);
                      a.href = '#/c/' + encodeURIComponent(e.conversationId);
                      return el('li', '', a, ' ', el('span', 'admin-hint', formatDateTime(e.at)));
                    }),
                  ),
                ),
              ),
            )
          : el('p', 'admin-empty', t('noGaps')),
      );
    } catch (err) {
      gapsBox.replaceChildren(failure(err));
    }
  }

  const period = select(
    'since',
    [7, 30, 90].map((d): [string, string] => [String(d), t('lastDays', { n: d })]),
    '30',
  );
  period.id = 'admin-gaps-since';
  const periodLabel = el('label', 'admin-label', t('period'));
  periodLabel.htmlFor = period.id;
  period.addEventListener('change', () => void loadGaps(Number(period.value)));

  root.append(
    el('section', 'admin-panel', heading(2, t('suggestions')), el('p', 'admin-hint', t('suggestionsHint')), suggestionsStatus, list, more),
    el(
      'section',
      'admin-panel',
      heading(2, t('gaps')),
      el('p', 'admin-hint', t('gapsHint')),
      el('div', 'admin-row', periodLabel, period),
      gapsBox,
    ),
  );
  void loadSuggestions();
  void loadGaps(30);
}
