import { el } from '../dom.js';
import type { PageContext } from '../page.js';
import { td } from './drafts-strings.js';
import type { Detail, Draft } from './types.js';

/** GET /api/faq/entries/:id */
interface FaqEntry {
  id: string;
  locales: { locale: string; questions: string[]; answer: string }[];
}

interface Live {
  id: string;
  text: string;
  controller: AbortController;
}

/**
 * The drafts panel: the latest draft, streamed in as the model writes it (GET …/drafts/:id/stream),
 * with Cancel while it is written, "Draft again", "Use draft" (hands the text and the draft id to
 * the composer, so the reply records what became of the draft), its citations as chips that open
 * the FAQ entry, warnings when it cites nothing or a person must check it, and why there is no
 * draft when it failed, was cancelled, or drafting is paused. "Summarise" asks for a summary note.
 * Collapsed by default so the history keeps the height; the summary line says when one is being written.
 */
export function createDrafts(
  ctx: PageContext,
  conversationId: string,
  opts: { use(text: string, draftId: string): void; refresh(): void },
) {
  const path = `/conversations/${encodeURIComponent(conversationId)}`;
  const summary = el('summary', 'conv-drafts-summary');
  const again = el('button', 'conv-btn conv-draft-again');
  again.type = 'button';
  const summarise = el('button', 'conv-btn conv-summarise');
  summarise.type = 'button';
  const actions = el('div', 'conv-drafts-actions', again, summarise);
  const list = el('ul', 'conv-draft-list');
  const entryBox = el('section', 'conv-faq-entry');
  entryBox.hidden = true;
  const body = el('div', 'conv-drafts-body', list, entryBox);
  const node = el('details', 'conv-drafts', summary, body);

  let detail: Detail | null = null;
  let live: Live | null = null;
  let painted = '';
  /** The text node the live deltas are appended to. */
  let liveText: HTMLElement | null = null;

  const latest = (): Draft | null => detail?.drafts.at(-1) ?? null;

  function follow(id: string): void {
    live?.controller.abort();
    const mine: Live = { id, text: '', controller: new AbortController() };
    live = mine;
    ctx
      .stream(
        `${path}/drafts/${encodeURIComponent(id)}/stream`,
        (type, data) => {
          if (live !== mine) return;
          const d = data as { text?: string; draft?: Draft | null };
          if (type === 'delta' && typeof d.text === 'string') {
            mine.text += d.text;
            if (liveText) liveText.textContent = mine.text;
          } else if (type === 'end' && d.draft && detail) {
            // The stored row is the truth: show it at once, the refresh brings its citations.
            const final = d.draft;
            detail = { ...detail, drafts: detail.drafts.map((x) => (x.id === final.id ? { ...x, ...final } : x)) };
          }
        },
        mine.controller.signal,
      )
      .catch((err: Error) => ctx.notice(err.message, true))
      .finally(() => {
        if (live !== mine) return;
        live = null;
        paint();
        opts.refresh();
      });
    paint();
  }

  again.addEventListener('click', () => void draftAgain());
  async function draftAgain(): Promise<void> {
    again.disabled = true;
    try {
      const started = await ctx.call<{ draftId: string; status: string }>('POST', `${path}/drafts`);
      node.open = true;
      ctx.notice(td('draftAsked'));
      if (started.status === 'streaming') follow(started.draftId);
    } catch (err) {
      ctx.notice((err as Error).message, true);
    } finally {
      again.disabled = false;
      opts.refresh();
    }
  }

  summarise.addEventListener('click', () => void askSummary());
  async function askSummary(): Promise<void> {
    summarise.disabled = true;
    try {
      await ctx.call('POST', `${path}/summary`);
      ctx.notice(td('summaryAdded'));
      opts.refresh();
    } catch (err) {
      ctx.notice((err as Error).message, true);
    } finally {
      summarise.disabled = false;
    }
  }

  async function cancel(id: string, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      await ctx.call('POST', `${path}/drafts/${encodeURIComponent(id)}/cancel`);
      ctx.notice(td('cancelled'));
    } catch (err) {
      ctx.notice((err as Error).message, true);
      button.disabled = false;
    }
  }

  async function openEntry(id: string, chip: HTMLButtonElement): Promise<void> {
    entryBox.hidden = false;
    entryBox.replaceChildren(el('p', 'conv-status-line', td('entryLoading')));
    try {
      const entry = await ctx.call<FaqEntry>('GET', `/faq/entries/${encodeURIComponent(id)}`);
      const heading = el('h3', 'conv-faq-entry-title', td('entryTitle', { id: entry.id }));
      heading.tabIndex = -1;
      const close = el('button', 'conv-btn conv-faq-entry-close', td('closeEntry'));
      close.type = 'button';
      close.addEventListener('click', () => {
        entryBox.hidden = true;
        entryBox.replaceChildren();
        chip.focus();
      });
      entryBox.setAttribute('aria-label', td('entryTitle', { id: entry.id }));
      entryBox.replaceChildren(
        el('div', 'conv-faq-entry-head', heading, close),
        ...entry.locales.map((l) => {
          const block = el(
            'div',
            'conv-faq-entry-locale',
            el('div', 'conv-meta', l.locale),
            el('div', 'conv-faq-entry-label', td('entryQuestions')),
            el('ul', 'conv-faq-entry-questions', ...l.questions.map((q) => el('li', '', q))),
            el('div', 'conv-faq-entry-label', td('entryAnswer')),
            el('div', 'conv-text', l.answer),
          );
          block.lang = l.locale;
          return block;
        }),
      );
      heading.focus();
    } catch (err) {
      entryBox.replaceChildren(el('p', 'conv-status-line', (err as Error).message));
    }
  }

  function reasonText(d: Draft): string {
    const r = d.reason ?? '';
    if (d.status === 'ready' || d.status === 'streaming') return '';
    if (/^api_\d+$/.test(r)) return td('reason.api', { status: r.slice(4) });
    const known = ['budget', 'breaker', 'no_close_faq', 'empty', 'agent', 'shutdown', 'timeout'] as const;
    const key = known.find((k) => k === r);
    if (key) return td(`reason.${key}`);
    return td('reason.other', { reason: r || '?' });
  }

  function card(d: Draft): HTMLElement {
    const streaming = live?.id === d.id || d.status === 'streaming';
    const text = streaming && live?.id === d.id ? live.text : d.text;
    const source = d.kind === 'llm' ? td('draftLlm') + (d.model ? ` (${d.model})` : '') : td('draftFaq');
    const status = el(
      'span',
      `conv-draft-status conv-draft-${streaming ? 'streaming' : d.status}`,
      td(`status.${streaming ? 'streaming' : d.status}`),
    );
    const textNode = el('div', 'conv-text conv-draft-text', text);
    textNode.setAttribute('aria-busy', String(streaming));
    liveText = streaming ? textNode : null;
    const li = el('li', 'conv-draft', el('div', 'conv-meta', source, ' · ', status), textNode);
    li.dataset.id = d.id;
    li.dataset.status = streaming ? 'streaming' : d.status;
    const why = streaming ? '' : reasonText(d);
    if (why) li.append(el('p', 'conv-draft-reason', why));
    if (!streaming && d.status === 'ready') {
      if (d.ungrounded) li.append(el('p', 'conv-draft-warn conv-draft-ungrounded', td('ungrounded')));
      if (d.needsHumanCheck)
        li.append(
          el(
            'p',
            'conv-draft-warn conv-draft-check',
            d.needsHumanCheckReason ? td('mustCheck', { reason: d.needsHumanCheckReason }) : td('mustCheckNoReason'),
          ),
        );
      const cites = d.citations ?? d.entryIds.map((entryId) => ({ entryId, question: null, locale: null }));
      if (cites.length) {
        const chips = el(
          'ul',
          'conv-citations',
          ...cites.map((c) => {
            const chip = el('button', 'conv-chip', c.question ?? c.entryId);
            chip.type = 'button';
            chip.dataset.entry = c.entryId;
            chip.title = c.entryId;
            chip.setAttribute('aria-label', td('openEntry', { id: c.entryId }) + (c.question ? ': ' + c.question : ''));
            chip.addEventListener('click', () => void openEntry(c.entryId, chip));
            return el('li', '', chip);
          }),
        );
        chips.setAttribute('aria-label', td('citations'));
        li.append(chips);
      }
      if (d.outcome) li.append(el('p', 'conv-meta', td(d.outcome.kind === 'as_is' ? 'accepted' : d.outcome.kind)));
    }
    const buttons = el('div', 'conv-draft-buttons');
    if (streaming) {
      const stop = el('button', 'conv-btn conv-draft-cancel', td('cancel'));
      stop.type = 'button';
      stop.addEventListener('click', () => void cancel(d.id, stop));
      buttons.append(stop);
    } else if (d.status === 'ready' && d.text) {
      const use = el('button', 'conv-btn conv-use-draft', td('useDraft'));
      use.type = 'button';
      use.addEventListener('click', () => opts.use(d.text, d.id));
      buttons.append(use);
    }
    // "Draft again" and "Summarise" share the row: the open panel takes little of the history's height.
    buttons.append(actions);
    li.append(buttons);
    return li;
  }

  function paint(): void {
    if (!detail) return;
    const d = latest();
    const streaming = !!live || d?.status === 'streaming';
    summary.textContent = td('drafts', { n: detail.drafts.length }) + (streaming ? ' · ' + td('writing') : '');
    again.textContent = td('draftAgain');
    again.disabled = streaming;
    summarise.textContent = td('summarise');
    summarise.hidden = detail.drafting?.mode !== 'llm';
    const key = d ? [d.id, d.status, d.text, d.outcome?.kind, d.citations?.length, live?.id].join('|') : '';
    // Redrawing the same draft would take the focus off its buttons.
    if (key === painted && list.childNodes.length) return;
    painted = key;
    list.replaceChildren(d ? card(d) : el('li', 'conv-draft conv-draft-none', td('noDraft'), el('div', 'conv-draft-buttons', actions)));
  }

  return {
    node,
    update(d: Detail): void {
      detail = d;
      const last = latest();
      if (last?.status === 'streaming' && live?.id !== last.id) follow(last.id);
      else paint();
    },
    relabel(): void {
      painted = '';
      paint();
    },
    stop(): void {
      live?.controller.abort();
      live = null;
    },
  };
}
