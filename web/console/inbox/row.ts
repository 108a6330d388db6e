import { el } from '../dom.js';
import { formatDate, formatDuration, formatTime } from '../i18n.js';
import { agentLabel, customerLabel } from '../names.js';
import type { Agent } from '../types.js';
import { t } from './strings.js';
import type { InboxItem } from './types.js';

const SVG = 'http://www.w3.org/2000/svg';

/** Each channel's glyph as SVG paths on a 16×16 grid (built here; the CSP allows no external images). */
const ICONS: Record<string, string[]> = {
  webchat: ['M2 3h12v8H6l-3 3v-3H2z'],
  email: ['M2 4h12v8H2z', 'M2 4l6 5 6-5'],
  telegram: ['M2 8l12-5-2 11-4-3-2 3v-4l6-5-8 4z'],
  discord: ['M3 4c3-1.5 7-1.5 10 0l1 7c-1.5 1.2-3 1.8-4 2l-1-1.5h-2L6 13c-1-.2-2.5-.8-4-2z', 'M6 8h.01M10 8h.01'],
};

export function channelIcon(channel: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', 'inbox-icon');
  svg.setAttribute('aria-hidden', 'true');
  for (const d of ICONS[channel] ?? ['M3 3h10v10H3z']) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

export function channelName(channel: string): string {
  return channel === 'webchat' || channel === 'email' || channel === 'telegram' || channel === 'discord' ? t(channel) : channel;
}

/** "14:05" today, else the date. */
function when(iso: string): string {
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString() ? formatTime(d) : formatDate(d);
}

/** The SLA chip: overdue, or how long until the first reply (else resolution) is due. */
function slaChip(item: InboxItem, now: number): HTMLElement | null {
  const due = item.firstResponseDueAt ?? item.resolutionDueAt;
  if (!due) return null;
  const left = new Date(due).getTime() - now;
  if (item.overdue || left <= 0) return el('span', 'inbox-chip inbox-chip-overdue', t('overdue'));
  return el('span', left < 15 * 60_000 ? 'inbox-chip inbox-chip-soon' : 'inbox-chip', t('dueIn', { d: formatDuration(left) }));
}

/** One list row: a button inside `li[data-id]` (the stable selector other parts' tests click). */
export function renderRow(
  item: InboxItem,
  opts: { agents: Map<string, Agent>; unread: boolean; open: boolean; now: number },
): HTMLLIElement {
  const said = item.lastCustomerMessage;
  const preview = said?.text || item.subject || item.lastMessage?.text || '';
  const time = said?.createdAt ?? item.lastMessageAt;
  const icon = el('span', 'inbox-channel', channelIcon(item.channel));
  icon.title = channelName(item.channel);
  const name = el('span', 'inbox-name', customerLabel(item.customer));
  const channelText = el('span', 'inbox-sr', channelName(item.channel) + ' · ');
  const dot = opts.unread ? el('span', 'inbox-unread', el('span', 'inbox-sr', t('unreadDot'))) : null;
  const timeEl = el('time', 'inbox-time', when(time));
  timeEl.dateTime = time;
  const chips = el(
    'div',
    'inbox-meta',
    item.priority !== 'normal' ? el('span', `inbox-chip inbox-prio-${item.priority}`, t(item.priority)) : null,
    slaChip(item, opts.now),
    item.waitingSince && (item.status === 'queued' || item.status === 'assigned')
      ? el('span', 'inbox-wait', t('waiting', { d: formatDuration(opts.now - new Date(item.waitingSince).getTime()) }))
      : null,
    item.status === 'resolved' || item.status === 'closed' || item.status === 'bot'
      ? el('span', 'inbox-chip', t(item.status === 'resolved' ? 'resolvedStatus' : item.status))
      : null,
    item.assigneeId ? el('span', 'inbox-assignee', t('assignee', { name: agentLabel(opts.agents, item.assigneeId) })) : null,
  );
  const button = el(
    'button',
    'inbox-row',
    el('div', 'inbox-line', icon, channelText, name, dot, timeEl),
    el('div', 'inbox-preview', preview),
    chips,
  );
  button.type = 'button';
  const li = el('li', opts.open ? 'inbox-item inbox-open' : 'inbox-item', button);
  if (opts.unread) li.classList.add('inbox-is-unread');
  li.dataset.id = item.id;
  if (opts.open) button.setAttribute('aria-current', 'true');
  return li;
}
