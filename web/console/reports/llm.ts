import { el } from '../dom.js';
import { formatDate, formatNumber } from '../i18n.js';
import type { PageContext } from '../page.js';
import { tl } from './llm-strings.js';

/** GET /api/reports/llm (src/api/llm-report.ts), the fields shown. */
interface Tokens {
  drafts: number;
  failed: number;
  ungrounded: number;
  needsHumanCheck: number;
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  estimatedCost: number;
  unpriced: number;
}
interface Acceptance {
  judged: number;
  asIs: number;
  edited: number;
  own: number;
  acceptanceRate: number | null;
}
interface LlmReport {
  note: string;
  drafting: {
    mode: 'llm' | 'faq';
    paused: 'budget' | 'breaker' | null;
    budget: { monthly: number | null; spentThisMonth: number; monthStart: string } | null;
    breaker: { state: 'closed' | 'open' | 'half-open'; opened: number; lastError: string | null } | null;
  };
  total: Tokens;
  byDay: (Tokens & { day: string; model: string })[];
  acceptance: {
    total: Acceptance;
    byDay: (Acceptance & { day: string })[];
    byAgent: (Acceptance & { agentId: string })[];
    byEntry: (Acceptance & { entryId: string | null })[];
  };
}

const num = (n: number) => formatNumber(n);
const money = (n: number) => formatNumber(n, { minimumFractionDigits: 2, maximumFractionDigits: 4 });
const percent = (n: number) => formatNumber(n, { style: 'percent', maximumFractionDigits: 1 });

/**
 * The reports page's "AI / LLM" section: what drafting cost (tokens in, out and cached, the
 * estimated cost by day and model), whether it helped (acceptance by day, agent and FAQ entry),
 * and the budget and circuit breaker now. Loaded with the page's filters' dates.
 */
export function createLlmSection(ctx: PageContext) {
  const node = el('section', 'rep-llm');
  let report: LlmReport | null = null;
  let error = '';
  let request = 0;

  async function load(query: string): Promise<void> {
    const mine = ++request;
    error = '';
    if (!report) render(true);
    try {
      const r = await ctx.call<LlmReport>('GET', '/reports/llm?' + query);
      if (mine !== request) return;
      report = r;
    } catch (err) {
      if (mine !== request) return;
      error = tl('loadFailed', { error: (err as Error).message });
    }
    render(false);
  }

  function card(key: string, label: string, value: string, raw: number | null, sub: string): HTMLLIElement {
    const li = el(
      'li',
      'rep-card',
      el('span', 'rep-card-label', label),
      el('strong', 'rep-card-value', value),
      el('span', 'rep-card-sub', sub),
    );
    li.dataset.card = key;
    li.dataset.value = raw === null ? '' : String(raw);
    return li;
  }

  function table(caption: string, key: string, head: string[], rows: (string | number)[][]): HTMLElement {
    const t = el(
      'table',
      'rep-table',
      el('caption', 'rep-table-caption', caption),
      el('thead', '', el('tr', '', ...head.map((h) => el('th', '', h)))),
      el(
        'tbody',
        '',
        ...rows.map((r) =>
          el(
            'tr',
            '',
            ...r.map((c, i) => {
              const cell = el(i === 0 ? 'th' : 'td', typeof c === 'number' ? 'rep-num' : '', typeof c === 'number' ? num(c) : c);
              if (i === 0) cell.setAttribute('scope', 'row');
              return cell;
            }),
          ),
        ),
      ),
    );
    t.dataset.table = key;
    // Wide tables scroll inside their box at 375 px; the page itself never does.
    const wrap = el('div', 'rep-table-wrap', t);
    wrap.tabIndex = 0;
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-label', caption);
    return wrap;
  }

  const rate = (a: Acceptance) => (a.acceptanceRate === null ? tl('none') : percent(a.acceptanceRate));
  const acceptanceRow = (label: string, a: Acceptance): (string | number)[] => [label, a.judged, a.asIs, a.edited, a.own, rate(a)];
  const acceptanceHead = (first: string) => [first, tl('judged'), tl('asIs'), tl('edited'), tl('own'), tl('rate')];

  function render(loading: boolean): void {
    const parts: HTMLElement[] = [el('h2', 'rep-heading', tl('heading'))];
    if (error) parts.push(el('p', 'rep-error', error));
    else if (loading) parts.push(el('p', 'rep-loading', tl('loading')));
    if (report) {
      const r = report;
      const d = r.drafting;
      const f = r.total;
      const a = r.acceptance.total;
      const mode = d.mode === 'llm' ? tl('modeLlm') : tl('modeFaq');
      parts.push(
        el('p', 'rep-note rep-llm-mode', `${tl('mode')}: ${mode}` + (d.paused ? ' · ' + tl('paused', { why: tl(`why.${d.paused}`) }) : '')),
      );
      const budget = d.budget;
      const cards = el(
        'ul',
        'rep-cards',
        card(
          'llmDrafts',
          tl('drafts'),
          num(f.drafts),
          f.drafts,
          tl('draftsSub', { failed: num(f.failed), ungrounded: num(f.ungrounded), check: num(f.needsHumanCheck) }),
        ),
        card('tokensIn', tl('tokensIn'), num(f.inputTokens), f.inputTokens, ''),
        card('tokensOut', tl('tokensOut'), num(f.outputTokens), f.outputTokens, ''),
        card('cache', tl('cache'), `${num(f.cacheReadTokens)} / ${num(f.cacheWriteTokens)}`, f.cacheReadTokens, ''),
        card('cost', tl('cost'), money(f.estimatedCost), f.estimatedCost, f.unpriced ? tl('unpriced', { n: num(f.unpriced) }) : ''),
        card(
          'acceptance',
          tl('acceptance'),
          rate(a),
          a.acceptanceRate,
          tl('acceptanceSub', { asIs: num(a.asIs), edited: num(a.edited), own: num(a.own), judged: num(a.judged) }),
        ),
      );
      if (budget)
        cards.append(
          card(
            'budget',
            tl('budget'),
            budget.monthly
              ? formatNumber(budget.spentThisMonth / budget.monthly, { style: 'percent', maximumFractionDigits: 2 })
              : money(budget.spentThisMonth),
            budget.spentThisMonth,
            budget.monthly === null
              ? tl('budgetNone')
              : tl('budgetSub', {
                  spent: money(budget.spentThisMonth),
                  monthly: money(budget.monthly),
                  since: formatDate(budget.monthStart),
                }),
          ),
        );
      if (d.breaker)
        cards.append(
          card(
            'breaker',
            tl('breaker'),
            tl(`state.${d.breaker.state}`),
            d.breaker.opened,
            tl('breakerSub', { n: num(d.breaker.opened) }) +
              (d.breaker.lastError ? ' · ' + tl('lastError', { error: d.breaker.lastError }) : ''),
          ),
        );
      cards.setAttribute('aria-label', tl('heading'));
      parts.push(cards, el('p', 'rep-note', tl('estimateNote')));
      if (!r.byDay.length) parts.push(el('p', 'rep-note', tl('empty')));
      else {
        const agentName = (id: string) => ctx.agents.get(id)?.name ?? (id === 'unknown' ? tl('unknownAgent') : id);
        parts.push(
          el(
            'div',
            'rep-llm-tables',
            table(
              tl('byDayModel'),
              'byDay',
              [tl('day'), tl('model'), tl('drafts'), tl('tokensIn'), tl('tokensOut'), tl('cache'), tl('cost')],
              r.byDay.map((x) => [
                x.day,
                x.model,
                x.drafts,
                x.inputTokens,
                x.outputTokens,
                `${num(x.cacheReadTokens)} / ${num(x.cacheWriteTokens)}`,
                money(x.estimatedCost),
              ]),
            ),
            table(
              tl('acceptanceByDay'),
              'acceptanceByDay',
              acceptanceHead(tl('day')),
              r.acceptance.byDay.map((x) => acceptanceRow(x.day, x)),
            ),
            table(
              tl('acceptanceByAgent'),
              'acceptanceByAgent',
              acceptanceHead(tl('agent')),
              r.acceptance.byAgent.map((x) => acceptanceRow(agentName(x.agentId), x)),
            ),
            table(
              tl('acceptanceByEntry'),
              'acceptanceByEntry',
              acceptanceHead(tl('entry')),
              r.acceptance.byEntry.map((x) => acceptanceRow(x.entryId ?? tl('noEntry'), x)),
            ),
          ),
        );
      }
    }
    node.replaceChildren(...parts);
  }

  return {
    node,
    load,
    /** The language changed: the same figures in the new words. */
    relabel: () => render(false),
  };
}
