import { el } from '../dom.js';
import { formatTime, locale } from '../i18n.js';
import { t } from './strings.js';
import type { VisitorItem } from './types.js';

/** "45 s", "3 min", "1 h 20 min": short enough for a phone's row. */
export function shortDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const zh = locale() === 'zh';
  if (s < 60) return zh ? `${s} 秒` : `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return zh ? `${min} 分钟` : `${min} min`;
  return zh ? `${Math.floor(min / 60)} 小时 ${min % 60} 分钟` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** A page as two lines of text: its title (or a placeholder) and its URL. Shop pages' titles are text only, never HTML. */
export function pageNode(page: { url: string; title: string }, cls = 'vis-page'): HTMLElement {
  return el('span', cls, el('span', 'vis-page-title', page.title || t('untitled')), el('span', 'vis-page-url', page.url));
}

/** The pages of the visit, oldest first, each with when it was opened and for how long. */
export function trailList(v: VisitorItem): HTMLOListElement {
  return el(
    'ol',
    'vis-trail',
    ...v.trail.map((p) =>
      el(
        'li',
        'vis-trail-item',
        pageNode(p),
        el('span', 'vis-trail-time', el('time', '', formatTime(p.at)), ' · ', t('onPage', { time: shortDuration(p.seconds) })),
      ),
    ),
  );
}

/** A collapsible trail (details/summary: keyboard and screen readers get it for free); `open` keeps it as it was across refreshes. */
export function trailDetails(v: VisitorItem, open: boolean, onToggle: (open: boolean) => void): HTMLDetailsElement {
  const details = el('details', 'vis-trail-box', el('summary', 'vis-trail-summary', t('trail', { n: v.trail.length })), trailList(v));
  details.open = open;
  details.addEventListener('toggle', () => onToggle(details.open));
  return details;
}
