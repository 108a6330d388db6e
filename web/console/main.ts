/**
 * The agent console's shell: sign-in, the header (navigation, language, the agent's status), the
 * one live event stream, the hash router that mounts the inbox, a conversation or a page into
 * #view, and the keyboard shortcuts. No framework and no polling: the lists refresh on events.
 *
 * Customer text (messages, names, emails, subjects) is untrusted HTML-wise, so every node is
 * built with DOM APIs and text nodes only (dom.ts). The CSP is the second fence: only this
 * bundled script from the same origin may run.
 */
import { adminPages } from './admin/index.js';
import { call, onUnauthorized, stream } from './api.js';
import { mountConversation } from './conversation/index.js';
import { mountCustomerPanel } from './customer/panel.js';
import { $, el, notice } from './dom.js';
import { locale, setLocale } from './i18n.js';
import { mountInbox, TABS, type Inbox } from './inbox/index.js';
import type { Team } from './inbox/types.js';
import { notifyEnabled, setNotify } from './inbox/notify.js';
import { connectLive, type LiveState } from './live.js';
import type { ConsolePage, ConversationView, LiveEvent, PageContext } from './page.js';
import { reportsPage } from './reports/index.js';
import { visitorsPage } from './visitors/index.js';
import { state, TOKEN_KEY } from './state.js';
import { t } from './strings.js';
import type { Agent } from './types.js';

interface DirectoryAgent extends Agent {
  teams: string[];
  status: 'online' | 'busy' | 'offline';
}

const STATUSES = ['online', 'busy', 'offline'] as const;

let inbox: Inbox | null = null;
let live: { close(): void } | null = null;
let ctx: PageContext | null = null;
let unmountView: (() => void) | null = null;
let conversation: ConversationView | null = null;
let unread = 0;
let liveState: LiveState | 'off' = 'off';
const subscribers = new Set<(e: LiveEvent) => void>();

// ---- labels: every shell string comes from strings.ts and is re-applied on a language switch ----
function applyLabels(): void {
  $('tagline').textContent = t('tagline');
  $('locale-label').textContent = t('language');
  $<HTMLSelectElement>('locale').value = locale();
  $('settings-locale-label').textContent = t('language');
  $<HTMLSelectElement>('settings-locale').value = locale();
  $('settings-logout').textContent = t('signOut');
  $('my-status-label').textContent = t('myStatus');
  const status = $<HTMLSelectElement>('my-status');
  const chosen = status.value;
  status.replaceChildren(
    ...STATUSES.map((s) => {
      const o = el('option', '', t(s));
      o.value = s;
      return o;
    }),
  );
  status.value = chosen || 'online';
  const settings = $('settings-open');
  settings.textContent = '⚙';
  settings.setAttribute('aria-label', t('settings'));
  settings.title = t('settings');
  $('help-open').setAttribute('aria-label', t('shortcutsHelp'));
  $('help-open').title = t('shortcutsHelp');
  $('logout').textContent = t('signOut');
  $('login-title').textContent = t('signInTitle');
  $('login-hint').textContent = t('signInHint');
  $('token-label').textContent = t('tokenLabel');
  $('sign-in').textContent = t('signIn');
  $('back').textContent = '← ' + t('back');
  $('shortcuts-title').textContent = t('shortcuts');
  $('shortcuts-close').textContent = t('close');
  $('settings-title').textContent = t('settings');
  $('settings-close').textContent = t('close');
  $('notify-label').textContent = t('notifyToggle');
  $('nav').setAttribute('aria-label', t('nav'));
  const keys: [string, string][] = [
    ['j / k', t('keyJK')],
    ['Enter', t('keyEnter')],
    ['c', t('keyC')],
    ['r', t('keyR')],
    ['e', t('keyE')],
    ['Esc', t('keyEsc')],
    ['?', t('keyHelp')],
  ];
  $('shortcuts-list').replaceChildren(...keys.flatMap(([k, what]) => [el('dt', '', el('kbd', '', k)), el('dd', '', what)]));
  renderLive();
  renderNav();
  renderTitle();
  inbox?.relabel();
}

function renderLive(): void {
  const box = $('live');
  box.classList.toggle('shell-live-down', liveState === 'reconnecting');
  box.classList.toggle('shell-live-up', liveState === 'live');
  box.textContent = liveState === 'reconnecting' ? t('reconnecting') : liveState === 'live' ? t('live') : '';
}

function renderTitle(): void {
  document.title = unread ? t('titleCount', { n: unread }) : t('title');
}

function renderNav(): void {
  const nav = $('nav');
  if (!state.me) return nav.replaceChildren();
  const hash = location.hash;
  const link = (href: string, label: string, active: boolean) => {
    const a = el('a', active ? 'shell-nav-link shell-nav-active' : 'shell-nav-link', label);
    a.href = href;
    if (active) a.setAttribute('aria-current', 'page');
    return a;
  };
  const inInbox = !hash || hash.startsWith('#/inbox') || hash.startsWith('#/c/');
  const pages = adminPages.filter((p) => !p.adminOnly || state.me?.role === 'admin');
  const items: Node[] = [
    link('#/inbox/' + (inbox?.tab() ?? 'unassigned'), t('inbox'), inInbox),
    link('#/' + reportsPage.route, reportsPage.title(), hash === '#/' + reportsPage.route),
    link('#/' + visitorsPage.route, visitorsPage.title(), hash === '#/' + visitorsPage.route),
  ];
  if (pages.length && state.me.role === 'admin') {
    const menu = el(
      'details',
      'shell-menu',
      el('summary', pages.some((p) => hash === '#/' + p.route) ? 'shell-nav-link shell-nav-active' : 'shell-nav-link', t('admin')),
      el('div', 'shell-menu-list', ...pages.map((p) => link('#/' + p.route, p.title(), hash === '#/' + p.route))),
    );
    menu.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('a')) menu.open = false;
    });
    items.push(menu);
  }
  nav.replaceChildren(...items);
}

// ---- routing ----
function leave(): void {
  unmountView?.();
  unmountView = null;
  conversation = null;
  $('view').replaceChildren();
}

function setMode(mode: 'list' | 'conversation' | 'page'): void {
  const app = $('app');
  app.classList.toggle('shell-mode-list', mode === 'list');
  app.classList.toggle('shell-mode-conversation', mode === 'conversation');
  app.classList.toggle('shell-mode-page', mode === 'page');
}

function route(): void {
  if (!ctx || !inbox) return;
  const hash = location.hash || '#/inbox/unassigned';
  const [head = '', ...rest] = hash.replace(/^#\/?/, '').split('/');
  leave();
  const view = $('view');
  if (head === 'c' && rest.length) {
    const id = decodeURIComponent(rest.join('/'));
    state.openId = id;
    inbox.setOpen(id);
    setMode('conversation');
    conversation = mountConversation(view, id, ctx);
    const mounted = conversation;
    unmountView = () => mounted.unmount();
  } else if (head === 'customer' && rest.length) {
    // The customer's profile on its own (from a search or a link), the same panel as beside a conversation.
    state.openId = null;
    inbox.setOpen(null);
    setMode('page');
    const panel = mountCustomerPanel(view, decodeURIComponent(rest.join('/')), ctx);
    unmountView = () => panel.unmount();
  } else {
    state.openId = null;
    inbox.setOpen(null);
    const page: ConsolePage | undefined =
      head === reportsPage.route
        ? reportsPage
        : head === visitorsPage.route
          ? visitorsPage
          : adminPages.find((p) => p.route === [head, ...rest].join('/'));
    // Admin pages are left out of a non-admin's navigation; reached anyway, each says politely that it is for admins.
    if (page) {
      setMode('page');
      unmountView = page.mount(view, ctx);
      document.title = page.title() + ' · ' + t('title');
    } else if (head === 'inbox' || !head) {
      const tab = TABS.find((x) => x === rest[0]) ?? 'unassigned';
      inbox.setTab(tab);
      setMode('list');
      view.replaceChildren(el('p', 'shell-placeholder', t('pickConversation')));
    } else {
      setMode('list');
      view.replaceChildren(el('p', 'shell-placeholder', t('notFound')));
    }
  }
  renderNav();
  if (!document.title.includes('·')) renderTitle();
}

window.addEventListener('hashchange', route);

// ---- sign in / out ----
async function signIn(): Promise<void> {
  const me = await call<Agent>('GET', '/me');
  const [directory, teams] = await Promise.all([
    call<{ items: DirectoryAgent[] }>('GET', '/agents'),
    call<{ items: Team[] }>('GET', '/teams').catch(() => ({ items: [] as Team[] })),
  ]);
  state.me = me;
  state.agents = new Map(directory.items.map((a) => [a.id, a]));
  const mine = directory.items.find((a) => a.id === me.id);
  // Agents see their own teams' queues; admins see every team's.
  const myTeams = me.role === 'admin' ? teams.items : teams.items.filter((x) => mine?.teams.includes(x.id));
  $<HTMLSelectElement>('my-status').value = mine?.status === 'offline' ? 'online' : (mine?.status ?? 'online');
  $('who').textContent = me.name;
  $('me-box').hidden = false;
  document.body.classList.add('shell-signed-in');
  $('nav').hidden = false;
  $('login').hidden = true;
  $('app').hidden = false;
  notice('');
  ctx = {
    call,
    stream,
    me,
    agents: state.agents,
    onEvent(handler) {
      subscribers.add(handler);
      return () => subscribers.delete(handler);
    },
    navigate(hash) {
      if (location.hash === hash) route();
      else location.hash = hash;
    },
    notice,
  };
  inbox = mountInbox($('side'), ctx, {
    teams: myTeams,
    onUnread(n) {
      unread = n;
      if (!document.title.includes('·')) renderTitle();
    },
  });
  route();
  const from = await inbox.ready;
  if (!state.token) return;
  live = connectLive({
    token: () => state.token,
    from,
    onEvent(e) {
      for (const handler of subscribers) {
        try {
          handler(e);
        } catch (err) {
          // One part's failing handler must not starve the others.
          console.error(err);
        }
      }
    },
    onState(s) {
      liveState = s;
      renderLive();
    },
    onUnauthorized: () => signOut(t('badToken')),
  });
}

function signOut(reason?: string, isError = true): void {
  live?.close();
  live = null;
  leave();
  inbox?.unmount();
  inbox = null;
  ctx = null;
  subscribers.clear();
  liveState = 'off';
  unread = 0;
  sessionStorage.removeItem(TOKEN_KEY);
  Object.assign(state, { token: null, me: null, openId: null });
  $('who').textContent = '';
  $('me-box').hidden = true;
  document.body.classList.remove('shell-signed-in');
  $('nav').hidden = true;
  $('app').hidden = true;
  $('login').hidden = false;
  $<HTMLInputElement>('token').value = '';
  renderLive();
  renderTitle();
  notice(reason || '', isError);
}

onUnauthorized(() => signOut(t('badToken')));

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const token = $<HTMLInputElement>('token').value.trim();
  if (!token) return;
  state.token = token;
  try {
    await signIn();
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch (err) {
    if (state.token) notice(t('signInFailed', { error: (err as Error).message }), true);
  }
});
$('logout').addEventListener('click', () => signOut(t('signedOut'), false));
$('back').addEventListener('click', () => ctx?.navigate('#/inbox/' + (inbox?.tab() ?? 'unassigned')));

// The header's language switch; on a phone, the one in the settings dialog (the header keeps its room).
for (const id of ['locale', 'settings-locale']) {
  $<HTMLSelectElement>(id).addEventListener('change', (e) => setLocale((e.target as HTMLSelectElement).value === 'zh' ? 'zh' : 'en'));
}
window.addEventListener('localechange', applyLabels);

$<HTMLSelectElement>('my-status').addEventListener('change', async (e) => {
  const status = (e.target as HTMLSelectElement).value;
  try {
    await call('POST', '/me/status', { status });
    notice(t('statusSaved', { status: t(status as 'online') }));
  } catch (err) {
    notice((err as Error).message, true);
  }
});

// ---- dialogs: shortcuts and settings (modal <dialog>: focus stays inside, Escape closes) ----
const shortcuts = $<HTMLDialogElement>('shortcuts');
const settings = $<HTMLDialogElement>('settings');
$('help-open').addEventListener('click', () => shortcuts.showModal());
$('shortcuts-close').addEventListener('click', () => shortcuts.close());
$('settings-open').addEventListener('click', () => {
  $<HTMLInputElement>('notify-toggle').checked = notifyEnabled();
  settings.showModal();
});
$('settings-close').addEventListener('click', () => settings.close());
$('settings-logout').addEventListener('click', () => {
  settings.close();
  signOut(t('signedOut'), false);
});
$<HTMLInputElement>('notify-toggle').addEventListener('change', async (e) => {
  const permission = await setNotify((e.target as HTMLInputElement).checked);
  if (permission === 'denied') notice(t('notifyDenied'), true);
});

// ---- keyboard ----
function typing(target: EventTarget | null): boolean {
  const node = target as HTMLElement | null;
  return !!node && (node.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(node.tagName));
}

document.addEventListener('keydown', (e) => {
  if (!ctx || !inbox || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
  if (shortcuts.open || settings.open || typing(e.target)) return;
  const onRow = !!(e.target as HTMLElement | null)?.closest?.('#list li[data-id]');
  switch (e.key) {
    case 'j':
    case 'k':
      if ($('app').classList.contains('shell-mode-page')) return;
      inbox.move(e.key === 'j' ? 1 : -1);
      break;
    case 'Enter':
      // A focused row button opens itself; Enter elsewhere on the page is the page's own.
      if (onRow || e.target !== document.body) return;
      inbox.openSelected();
      break;
    case 'c':
      if (!conversation) return;
      conversation.claim();
      break;
    case 'r': {
      if (!conversation) return;
      // After this key event: focusing the composer during it lets Chromium type the 'r' there.
      const view = conversation;
      setTimeout(() => view.focusReply());
      break;
    }
    case 'e':
      if (!conversation) return;
      conversation.resolve();
      break;
    case 'Escape':
      if (!conversation) return;
      ctx.navigate('#/inbox/' + inbox.tab());
      break;
    case '?':
      shortcuts.showModal();
      break;
    default:
      return;
  }
  e.preventDefault();
});

applyLabels();
if (state.token) {
  signIn().catch((err: Error) => {
    if (state.token) notice(t('signInFailed', { error: err.message }), true);
  });
}
