import { el } from '../dom.js';
import { coalesced } from '../coalesce.js';
import type { ConsolePage, PageContext } from '../page.js';
import { visitorRowActions } from './row-actions.js';
import './invite-action.js';
import { t } from './strings.js';
import { pageNode, shortDuration, trailDetails } from './trail.js';
import type { VisitorItem } from './types.js';

/**
 * #/visitors: who is on the shop's site now (GET /api/visitors), one card per visitor with their
 * current page, where they came from, how long they have been there and their trail. Live without
 * polling: the server sends a `visitors` signal on the event stream when the list changed, and the
 * page refetches (one request in flight, at most one more after it). Only the time-on-site
 * figures tick locally.
 */
function mountVisitors(root: HTMLElement, ctx: PageContext): () => void {
  let items: VisitorItem[] | null = null;
  let fetchedAt = 0;
  let error = '';
  let gone = false;
  /** Trails the agent opened stay open when the list is rebuilt. */
  const open = new Set<string>();

  const title = el('h1', 'vis-title');
  const intro = el('p', 'vis-intro');
  const status = el('p', 'vis-status');
  status.setAttribute('role', 'status');
  const list = el('ul', 'vis-list');
  const page = el('section', 'vis-page-root', title, intro, status, list);
  root.replaceChildren(page);

  const since = (v: VisitorItem) => v.timeOnSiteSeconds + (Date.now() - fetchedAt) / 1000;

  function fact(label: string, value: string, cls = ''): HTMLElement {
    return el('div', 'vis-fact ' + cls, el('dt', '', label), el('dd', '', value));
  }

  function card(v: VisitorItem): HTMLLIElement {
    const current = v.page ? pageNode(v.page, 'vis-page vis-current') : el('span', 'vis-page', t('noPage'));
    const facts = el(
      'dl',
      'vis-facts',
      fact(t('source'), v.source === 'direct' ? t('direct') : v.source),
      fact(t('timeOnSite'), shortDuration(since(v)), 'vis-time'),
      fact(t('country'), v.country ?? t('unknown')),
      fact(t('language'), v.language ?? t('unknown')),
      fact(t('visits'), String(v.visits)),
    );
    const actions = el('div', 'vis-actions');
    if (v.conversationId) {
      const a = el('a', 'vis-link', t('openConversation'));
      a.href = '#/c/' + encodeURIComponent(v.conversationId);
      actions.append(a);
    }
    for (const action of visitorRowActions) {
      try {
        const node = action(v, ctx);
        if (node) actions.append(node);
      } catch (err) {
        // Another part's broken button must not take the list down.
        console.error(err);
      }
    }
    const li = el(
      'li',
      'vis-card',
      current,
      facts,
      trailDetails(v, open.has(v.id), (o) => (o ? open.add(v.id) : open.delete(v.id))),
    );
    if (actions.childElementCount) li.append(actions);
    li.dataset.visitor = v.id;
    li.setAttribute('aria-label', t('visitorLabel', { page: v.page?.title || v.page?.url || t('noPage') }));
    return li;
  }

  function render(): void {
    title.textContent = t('title');
    intro.textContent = t('intro');
    status.classList.toggle('vis-error', !!error);
    status.textContent = error
      ? t('loadFailed', { error })
      : items === null
        ? t('loading')
        : items.length
          ? t('count', { n: items.length })
          : t('none');
    list.replaceChildren(...(items ?? []).map(card));
  }

  const refresh = coalesced(
    async () => {
      try {
        const res = await ctx.call<{ items: VisitorItem[] }>('GET', '/visitors');
        if (gone) return;
        items = res.items;
        fetchedAt = Date.now();
        error = '';
      } catch (err) {
        if (gone) return;
        error = (err as Error).message;
      }
      render();
    },
    () => gone,
  );

  const stop = ctx.onEvent((e) => {
    if (e.type === 'visitors') void refresh();
  });
  // Time on site moves on between refreshes; only those figures are redrawn.
  const tick = setInterval(() => {
    for (const li of list.querySelectorAll<HTMLElement>('li[data-visitor]')) {
      const v = items?.find((x) => x.id === li.dataset.visitor);
      const dd = li.querySelector('.vis-time dd');
      if (v && dd) dd.textContent = shortDuration(since(v));
    }
  }, 15_000);
  window.addEventListener('localechange', render);
  render();
  void refresh();

  return () => {
    gone = true;
    stop();
    clearInterval(tick);
    window.removeEventListener('localechange', render);
  };
}

export const visitorsPage: ConsolePage = {
  route: 'visitors',
  title: () => t('nav'),
  adminOnly: false,
  mount: mountVisitors,
};
