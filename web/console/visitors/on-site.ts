import { el } from '../dom.js';
import { coalesced } from '../coalesce.js';
import type { PageContext } from '../page.js';
import { t } from './strings.js';
import { pageNode, shortDuration, trailList } from './trail.js';
import type { VisitorItem } from './types.js';

/**
 * "On the site", beside a web chat conversation: the page the visitor is on now and the pages of
 * their visit (GET /api/conversations/:id/visitor), refreshed on the stream's `visitors` signal.
 */
export function mountOnSite(root: HTMLElement, conversationId: string, ctx: PageContext): { unmount(): void } {
  let visitor: VisitorItem | null = null;
  let loaded = false;
  let gone = false;
  const heading = el('h3', 'vis-onsite-title');
  const body = el('div', 'vis-onsite-body');
  const section = el('section', 'vis-onsite', heading, body);
  section.setAttribute('aria-live', 'polite');
  root.append(section);

  function render(): void {
    heading.textContent = t('onSite');
    if (!loaded) return body.replaceChildren();
    if (!visitor) return body.replaceChildren(el('p', 'vis-onsite-note', t('onSiteNone')));
    const now = visitor.online ? t('onSiteNow') : t('onSiteLeft');
    body.replaceChildren(
      el('p', 'vis-onsite-note', now, ' · ', t('timeOnSite'), ' ', shortDuration(visitor.timeOnSiteSeconds)),
      visitor.page ? pageNode(visitor.page, 'vis-page vis-current') : '',
      trailList(visitor),
    );
  }

  const refresh = coalesced(
    async () => {
      // A 404 (no visitor known) and a failure read the same here: there is no trail to show.
      visitor = await ctx.call<VisitorItem>('GET', `/conversations/${encodeURIComponent(conversationId)}/visitor`).catch(() => null);
      loaded = true;
      if (!gone) render();
    },
    () => gone,
  );

  const stop = ctx.onEvent((e) => {
    if (e.type === 'visitors') void refresh();
  });
  window.addEventListener('localechange', render);
  render();
  void refresh();
  return {
    unmount() {
      gone = true;
      stop();
      window.removeEventListener('localechange', render);
      section.remove();
    },
  };
}
