import { el } from '../dom.js';
import type { LiveEvent, PageContext } from '../page.js';
import { customerLabel, type NamedCustomer } from '../names.js';
import { alertAgent } from './notify.js';
import { channelName, renderRow } from './row.js';
import { t } from './strings.js';
import type { InboxItem, InboxPage, Team } from './types.js';
import { ReadMarks } from './unread.js';

export const TABS = ['mine', 'unassigned', 'team', 'all', 'snoozed', 'resolved'] as const;
export type Tab = (typeof TABS)[number];

const CHANNELS = ['webchat', 'email', 'telegram', 'discord'];
const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
const STATUSES = ['bot', 'queued', 'assigned', 'resolved', 'closed'] as const;
const SORTS = ['priority', 'waiting', 'activity'] as const;
/** How long events are gathered before one list refresh: a burst of messages is one fetch. */
const COALESCE_MS = 250;
/** Rows read per tab for its unread badge. */
const COUNT_PAGE = 100;
/** Events that can change what the list shows. */
const RELEVANT = new Set(['message', 'status', 'priority', 'label', 'snooze', 'participant', 'sla.breached', 'customer', 'note', 'csat']);

export interface Inbox {
  /** The first list read: its `eventCursor` is where the live stream starts. */
  ready: Promise<number>;
  setTab(tab: Tab): void;
  tab(): Tab;
  setOpen(id: string | null): void;
  /** j/k: moves the selection and the focus. */
  move(delta: number): void;
  /** Enter: opens the selected row. */
  openSelected(): void;
  /** Refreshes the labels after a language switch. */
  relabel(): void;
  unmount(): void;
}

interface Filters {
  channel: string;
  team: string;
  priority: string;
  status: string;
  label: string;
  sort: string;
}

/** The conversation lists: tabs, search, filters, sort, rows with unread marks, "Load more". */
export function mountInbox(root: HTMLElement, ctx: PageContext, opts: { teams: Team[]; onUnread(total: number): void }): Inbox {
  const marks = new ReadMarks(ctx.me.id);
  const myTeams = opts.teams;
  let tab: Tab = 'unassigned';
  let teamId = myTeams[0]?.id ?? '';
  let openId: string | null = null;
  let selectedId: string | null = null;
  let pages = 1;
  let items: InboxItem[] = [];
  let cursor: string | null = null;
  let q = '';
  const filters: Filters = { channel: '', team: '', priority: '', status: '', label: '', sort: 'priority' };
  const counts = new Map<Tab, number>();
  let generation = 0;

  // ---- the DOM, built once; labels are (re)applied by relabel() ----
  const tabLinks = new Map<Tab, { a: HTMLAnchorElement; label: HTMLSpanElement; badge: HTMLSpanElement }>();
  const tabsNav = el('nav', 'inbox-tabs');
  for (const name of TABS) {
    const label = el('span', '');
    const badge = el('span', 'inbox-badge');
    badge.hidden = true;
    const a = el('a', 'inbox-tab', label, badge);
    a.href = '#/inbox/' + name;
    a.dataset.tab = name;
    tabLinks.set(name, { a, label, badge });
    tabsNav.append(a);
  }
  const teamSelect = el('select', 'inbox-select');
  teamSelect.id = 'inbox-team-queue';
  const teamLabel = el('label', 'inbox-sr');
  teamLabel.htmlFor = teamSelect.id;
  const teamRow = el('div', 'inbox-teamrow', teamLabel, teamSelect);

  const search = el('input', 'inbox-search');
  search.type = 'search';
  search.id = 'inbox-search';
  const searchLabel = el('label', 'inbox-sr');
  searchLabel.htmlFor = search.id;

  const selects = {
    sort: el('select', 'inbox-select'),
    channel: el('select', 'inbox-select'),
    team: el('select', 'inbox-select'),
    priority: el('select', 'inbox-select'),
    status: el('select', 'inbox-select'),
  };
  const labelInput = el('input', 'inbox-input');
  labelInput.id = 'inbox-filter-label';
  const fieldLabels: Record<string, HTMLLabelElement> = {};
  const field = (key: string, control: HTMLSelectElement | HTMLInputElement) => {
    control.id ||= 'inbox-filter-' + key;
    const label = el('label', 'inbox-field-label');
    label.htmlFor = control.id;
    fieldLabels[key] = label;
    return el('div', 'inbox-field', label, control);
  };
  const summary = el('summary', 'inbox-summary');
  const clear = el('button', 'inbox-clear');
  clear.type = 'button';
  const filterBox = el(
    'details',
    'inbox-filters',
    summary,
    el(
      'div',
      'inbox-filter-grid',
      field('channel', selects.channel),
      field('team', selects.team),
      field('priority', selects.priority),
      field('status', selects.status),
      field('label', labelInput),
      clear,
    ),
  );
  const tools = el('div', 'inbox-tools', searchLabel, search, el('div', 'inbox-sortrow', field('sort', selects.sort)), filterBox);
  const list = el('ul', 'inbox-list');
  list.id = 'list';
  const more = el('button', 'inbox-more');
  more.id = 'list-more';
  more.type = 'button';
  more.hidden = true;
  const status = el('p', 'inbox-status');
  status.setAttribute('aria-live', 'polite');
  root.replaceChildren(el('div', 'inbox', tabsNav, teamRow, tools, status, list, more));

  function options(select: HTMLSelectElement, values: readonly { value: string; label: string }[], current: string) {
    select.replaceChildren(
      ...values.map((v) => {
        const o = el('option', '', v.label);
        o.value = v.value;
        o.selected = v.value === current;
        return o;
      }),
    );
  }

  function relabel(): void {
    tabsNav.setAttribute('aria-label', t('tabs'));
    for (const [name, link] of tabLinks) link.label.textContent = t(name);
    teamLabel.textContent = t('teamPick');
    options(
      teamSelect,
      myTeams.length ? myTeams.map((x) => ({ value: x.id, label: x.name })) : [{ value: '', label: t('noTeams') }],
      teamId,
    );
    searchLabel.textContent = t('search');
    search.placeholder = t('searchPlaceholder');
    summary.textContent = t('filters');
    clear.textContent = t('clear');
    for (const key of ['channel', 'team', 'priority', 'status', 'label', 'sort']) fieldLabels[key]!.textContent = t(key as 'channel');
    const any = { value: '', label: t('any') };
    options(
      selects.sort,
      SORTS.map((s) => ({ value: s, label: t(s === 'priority' ? 'sortPriority' : s === 'waiting' ? 'sortWaiting' : 'sortActivity') })),
      filters.sort,
    );
    options(selects.channel, [any, ...CHANNELS.map((c) => ({ value: c, label: channelName(c) }))], filters.channel);
    options(selects.team, [any, ...myTeams.map((x) => ({ value: x.id, label: x.name }))], filters.team);
    options(selects.priority, [any, ...PRIORITIES.map((p) => ({ value: p, label: t(p) }))], filters.priority);
    options(
      selects.status,
      [any, ...STATUSES.map((s) => ({ value: s, label: t(s === 'resolved' ? 'resolvedStatus' : s) }))],
      filters.status,
    );
    labelInput.placeholder = t('labelPlaceholder');
    list.setAttribute('aria-label', t('list'));
    more.textContent = t('more');
    render();
  }

  function query(extra: Record<string, string> = {}, forTab: Tab = tab): string {
    const p = new URLSearchParams();
    if (forTab === 'mine') {
      p.set('mine', 'true');
      p.set('status', 'assigned');
    }
    if (forTab === 'unassigned') p.set('status', 'queued');
    if (forTab === 'team') p.set('team', teamId);
    if (forTab === 'all') p.set('status', 'open');
    if (forTab === 'snoozed') p.set('snoozed', 'true');
    if (forTab === 'resolved') p.set('status', 'done');
    if (forTab === tab) {
      if (filters.status) p.set('status', filters.status);
      if (filters.channel) p.set('channel', filters.channel);
      if (filters.priority) p.set('priority', filters.priority);
      if (filters.team && forTab !== 'team') p.set('team', filters.team);
      if (filters.label.trim()) p.set('label', filters.label.trim());
      // The API's own order is priority; naming it would only switch to the general reader.
      if (filters.sort !== 'priority') p.set('sort', filters.sort);
      if (q.trim()) p.set('q', q.trim());
    }
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return '/conversations?' + p.toString();
  }

  // ---- loading: one refresh at a time; asks made meanwhile run one more after it ----
  let running: Promise<void> | null = null;
  let again = false;
  let firstCursor: (n: number) => void = () => {};
  const ready = new Promise<number>((resolve) => (firstCursor = resolve));

  async function load(): Promise<void> {
    const mine = ++generation;
    const got: InboxItem[] = [];
    let next: string | null = null;
    let eventCursor = 0;
    for (let page = 0; page < pages; page++) {
      const data: InboxPage = await ctx.call<InboxPage>('GET', query(next ? { cursor: next } : {}));
      if (page === 0) eventCursor = data.eventCursor;
      got.push(...data.items);
      next = data.nextCursor;
      if (!next) break;
    }
    if (mine !== generation) return;
    items = got;
    cursor = next;
    firstCursor(eventCursor);
    if (openId) {
      const open = items.find((i) => i.id === openId);
      if (open?.lastCustomerMessage) marks.markRead(open.id, open.lastCustomerMessage.createdAt);
    }
    counts.set(tab, items.filter((i) => marks.isUnread(i)).length);
    render();
    // The badges of the two tabs an agent answers from, whichever tab is shown.
    await Promise.all(
      (['mine', 'unassigned'] as const)
        .filter((x) => x !== tab || q || filters.channel || filters.priority || filters.status || filters.label || filters.team)
        .map(async (x) => {
          const data = await ctx.call<InboxPage>('GET', query({ limit: String(COUNT_PAGE) }, x));
          counts.set(x, data.items.filter((i) => marks.isUnread(i) && i.id !== openId).length);
        }),
    );
    renderCounts();
  }

  function refresh(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await load();
        } catch (err) {
          if ((err as Error).message !== 'unauthorized') ctx.notice((err as Error).message, true);
        }
      } while (again);
      running = null;
    })();
    return running;
  }

  let pending: ReturnType<typeof setTimeout> | undefined;
  function soon(): void {
    clearTimeout(pending);
    pending = setTimeout(() => void refresh(), COALESCE_MS);
  }

  function restart(): void {
    pages = 1;
    items = [];
    cursor = null;
    status.textContent = t('loading');
    list.replaceChildren();
    void refresh();
  }

  // ---- rendering ----
  function renderCounts(): void {
    for (const [name, link] of tabLinks) {
      const n = counts.get(name) ?? 0;
      link.badge.hidden = n === 0;
      link.badge.textContent = n > 99 ? '99+' : String(n);
      link.a.setAttribute('aria-label', n ? `${t(name)}, ${t('unreadCount', { n })}` : t(name));
    }
    opts.onUnread((counts.get('mine') ?? 0) + (counts.get('unassigned') ?? 0));
  }

  function render(): void {
    for (const [name, link] of tabLinks) {
      link.a.classList.toggle('inbox-tab-active', name === tab);
      if (name === tab) link.a.setAttribute('aria-current', 'page');
      else link.a.removeAttribute('aria-current');
    }
    teamRow.hidden = tab !== 'team';
    const focused = (document.activeElement as HTMLElement | null)?.closest<HTMLLIElement>('#list li[data-id]')?.dataset.id;
    const now = Date.now();
    const rows = items.map((item) =>
      renderRow(item, { agents: ctx.agents, unread: item.id !== openId && marks.isUnread(item), open: item.id === openId, now }),
    );
    for (const row of rows) if (row.dataset.id === selectedId) row.classList.add('inbox-selected');
    status.textContent = items.length ? '' : t('empty');
    list.replaceChildren(...rows);
    more.hidden = !cursor;
    if (focused) list.querySelector<HTMLButtonElement>(`li[data-id="${CSS.escape(focused)}"] button`)?.focus();
    renderCounts();
  }

  // ---- interaction ----
  list.addEventListener('click', (e) => {
    const li = (e.target as HTMLElement).closest<HTMLLIElement>('li[data-id]');
    if (!li?.dataset.id) return;
    selectedId = li.dataset.id;
    ctx.navigate('#/c/' + li.dataset.id);
  });
  more.addEventListener('click', () => {
    pages++;
    void refresh();
  });
  teamSelect.addEventListener('change', () => {
    teamId = teamSelect.value;
    restart();
  });
  let typing: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      q = search.value;
      restart();
    }, 300);
  });
  for (const key of ['sort', 'channel', 'team', 'priority', 'status'] as const) {
    selects[key].addEventListener('change', () => {
      filters[key] = selects[key].value;
      restart();
    });
  }
  labelInput.addEventListener('change', () => {
    filters.label = labelInput.value;
    restart();
  });
  clear.addEventListener('click', () => {
    Object.assign(filters, { channel: '', team: '', priority: '', status: '', label: '', sort: 'priority' });
    labelInput.value = '';
    relabel();
    restart();
  });

  const stop = ctx.onEvent((e: LiveEvent) => {
    if (RELEVANT.has(e.type)) soon();
    const by = e.data.by as string | undefined;
    if (
      e.type === 'status' &&
      e.data.assigneeId === ctx.me.id &&
      by !== ctx.me.id &&
      (e.data.action === 'assign' || e.data.action === 'transfer')
    ) {
      const id = e.data.conversationId;
      // The row may not be loaded (another tab, a later page): the customer's name is read once.
      void ctx
        .call<{ customer: NamedCustomer | null }>('GET', '/conversations/' + encodeURIComponent(id))
        .then((d) => customerLabel(d.customer))
        .catch(() => '')
        .then((name) => alertAgent('assigned', name, () => ctx.navigate('#/c/' + id)));
    }
    if (e.type === 'mention' && e.data.agentId === ctx.me.id) {
      alertAgent('mentioned', '', () => ctx.navigate('#/c/' + e.data.conversationId));
    }
  });
  // "waiting 5 min" and the SLA chips keep counting while nothing else changes.
  const tick = setInterval(render, 60_000);

  relabel();
  restart();

  return {
    ready,
    tab: () => tab,
    setTab(next) {
      if (next === tab) return;
      tab = next;
      restart();
    },
    setOpen(id) {
      openId = id;
      if (id) selectedId = id;
      const open = items.find((i) => i.id === id);
      if (open?.lastCustomerMessage) marks.markRead(open.id, open.lastCustomerMessage.createdAt);
      if (open) counts.set(tab, items.filter((i) => i.id !== id && marks.isUnread(i)).length);
      render();
      // The other tabs' badges may hold it too.
      if (id) soon();
    },
    move(delta) {
      if (!items.length) return;
      const at = items.findIndex((i) => i.id === selectedId);
      const next = items[Math.min(items.length - 1, Math.max(0, at < 0 ? (delta > 0 ? 0 : items.length - 1) : at + delta))]!;
      selectedId = next.id;
      for (const li of list.querySelectorAll<HTMLLIElement>('li[data-id]'))
        li.classList.toggle('inbox-selected', li.dataset.id === next.id);
      const button = list.querySelector<HTMLButtonElement>(`li[data-id="${CSS.escape(next.id)}"] button`);
      button?.focus();
      button?.scrollIntoView({ block: 'nearest' });
    },
    openSelected() {
      if (selectedId) ctx.navigate('#/c/' + selectedId);
    },
    relabel,
    unmount() {
      stop();
      clearInterval(tick);
      clearTimeout(pending);
      clearTimeout(typing);
      root.replaceChildren();
    },
  };
}
