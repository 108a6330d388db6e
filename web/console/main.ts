/**
 * The agent console: no framework. It holds no data of its own; everything comes from the
 * token-authenticated /api routes, polled every few seconds.
 *
 * Customer text (messages, names, emails, subjects) is untrusted HTML-wise, so every node is
 * built with DOM APIs and text nodes only (dom.ts). The CSP is the second fence: only this
 * bundled script from the same origin may run, so even a markup injection could not run a
 * script or an inline event handler.
 */
import { call, onUnauthorized } from './api.js';
import { loadSuggestions } from './faq.js';
import { $, el, notice } from './dom.js';
import { mountConversation } from './conversation/index.js';
import { locale, setLocale } from './i18n.js';
import type { ConversationView, LiveEvent, PageContext } from './page.js';
import { renderList } from './list.js';
import { LISTS, state, TOKEN_KEY, type Tab } from './state.js';
import type { Agent, ListItem, Page } from './types.js';

const POLL_MS = 2500;

// ---- sign in / out ----
async function signIn(): Promise<void> {
  const me = await call<Agent>('GET', '/me');
  const agents = await call<{ items: Agent[] }>('GET', '/agents');
  state.me = me;
  state.agents = new Map(agents.items.map((a) => [a.id, a]));
  $('who').textContent = me.name + ' (' + me.role + ')';
  $('logout').hidden = false;
  $('login').hidden = true;
  $('app').hidden = false;
  notice('');
  await loadSuggestions();
  await poll();
  route();
  clearInterval(state.timer);
  state.timer = setInterval(poll, POLL_MS);
}

function signOut(reason?: string, isError = true): void {
  clearInterval(state.timer);
  sessionStorage.removeItem(TOKEN_KEY);
  Object.assign(state, { token: null, me: null, openId: null, draftId: null, listKey: '', detailKey: '', listPages: 1, olderMessages: [] });
  $('who').textContent = '';
  $('logout').hidden = true;
  $('app').hidden = true;
  // TEMP wiring until the shell lands.
  mounted?.unmount();
  mounted = null;
  source?.close();
  source = null;
  $('placeholder').hidden = false;
  $('login').hidden = false;
  $<HTMLInputElement>('token').value = '';
  notice(reason || '', isError);
}

onUnauthorized(() => signOut('That token was not accepted. Paste a valid agent token.'));

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const token = $<HTMLInputElement>('token').value.trim();
  if (!token) return;
  state.token = token;
  try {
    await signIn();
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch (err) {
    if (state.token) notice('Could not sign in: ' + (err as Error).message, true);
  }
});
$('logout').addEventListener('click', () => signOut('Signed out.', false));

// ---- polling ----
// One poll at a time; a request for a fresh view during a poll runs one more right after it.
async function poll(): Promise<void> {
  if (!state.token) return;
  if (state.polling) {
    state.again = true;
    return state.polling;
  }
  state.polling = (async () => {
    do {
      state.again = false;
      try {
        await loadList();
        if ($('notice').dataset.kind === 'network') {
          notice('');
          delete $('notice').dataset.kind;
        }
      } catch (err) {
        if (state.token && err instanceof TypeError) {
          notice('Connection problem, retrying…', true);
          $('notice').dataset.kind = 'network';
        } else if (state.token) notice((err as Error).message, true);
      }
    } while (state.again && state.token);
    state.polling = null;
  })();
  return state.polling;
}

async function loadList(): Promise<void> {
  const tab = state.tab;
  // Follows nextCursor as far as the agent has asked with "Load more"; the API pages by cursor.
  const items: ListItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < state.listPages; page++) {
    const query: string = LISTS[tab] + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
    const data: Page<ListItem> = await call<Page<ListItem>>('GET', '/conversations' + query);
    items.push(...data.items);
    cursor = data.nextCursor;
    if (!cursor) break;
  }
  // The minute is part of the key so "waiting N min" keeps counting while nothing else changes.
  const key = tab + JSON.stringify(items) + cursor + state.openId + Math.floor(Date.now() / 60000);
  if (tab !== state.tab || key === state.listKey) return;
  state.listKey = key;
  renderList(items, open);
  $('list-more').hidden = !cursor;
}

$('list-more').addEventListener('click', () => {
  state.listPages++;
  void poll();
});

// ---- list ----
const tabs = document.querySelectorAll<HTMLButtonElement>('#tabs button');
for (const tab of tabs) {
  tab.addEventListener('click', () => {
    state.tab = tab.dataset.tab as Tab;
    for (const t of tabs) t.classList.toggle('active', t === tab);
    state.listKey = '';
    state.listPages = 1;
    $('list').replaceChildren();
    $('list-more').hidden = true;
    void poll();
  });
}

function open(id: string): void {
  location.hash = '#/c/' + id;
}

// TEMP wiring until the shell lands: `#/c/<id>` mounts the conversation view into #view, with a
// PageContext over the old console's api.ts and one EventSource. The shell's main.ts replaces this.
const LIVE_TYPES = [
  'message',
  'status',
  'csat',
  'draft',
  'delivery',
  'note',
  'priority',
  'label',
  'snooze',
  'participant',
  'mention',
  'sla.breached',
  'customer',
];
const handlers = new Set<(e: LiveEvent) => void>();
let source: EventSource | null = null;
function live(): void {
  source?.close();
  source = new EventSource('/api/events?token=' + encodeURIComponent(state.token ?? ''));
  for (const type of LIVE_TYPES)
    source.addEventListener(type, (m: MessageEvent<string>) => {
      const event: LiveEvent = { id: Number(m.lastEventId), type, data: JSON.parse(m.data) as LiveEvent['data'] };
      for (const h of handlers) h(event);
    });
}
let mounted: ConversationView | null = null;
function route(): void {
  mounted?.unmount();
  mounted = null;
  const m = /^#\/c\/(.+)$/.exec(location.hash);
  if (!m || !state.me) return;
  let view = document.getElementById('view');
  if (!view) {
    view = el('div', '');
    view.id = 'view';
    $('detail').replaceWith(view);
  }
  $('placeholder').hidden = true;
  // On a phone the old list column leaves no room: the conversation alone (the shell adds a back button).
  $('app').classList.add('conv-temp-single');
  $('side').hidden = matchMedia('(max-width: 720px)').matches;
  if (!source) live();
  const ctx: PageContext = {
    call,
    me: state.me,
    agents: state.agents,
    onEvent: (h) => {
      handlers.add(h);
      return () => handlers.delete(h);
    },
    navigate: (hash) => {
      location.hash = hash;
    },
    notice,
  };
  mounted = mountConversation(view, decodeURIComponent(m[1]!), ctx);
}
window.addEventListener('hashchange', route);
// TEMP wiring until the shell lands: the language switch at the shell's stable selector #locale.
if (!document.getElementById('locale')) {
  const select = el('select', '');
  select.id = 'locale';
  select.setAttribute('aria-label', 'Language / 语言');
  for (const [value, label] of [
    ['en', 'English'],
    ['zh', '中文'],
  ]) {
    const o = el('option', '', label);
    o.value = value!;
    select.append(o);
  }
  select.value = locale();
  select.addEventListener('change', () => setLocale(select.value === 'zh' ? 'zh' : 'en'));
  $('side').append(select);
}
document.addEventListener('keydown', (e) => {
  const target = e.target as HTMLElement;
  if (!mounted || e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
  if (e.key === 'c') mounted.claim();
  else if (e.key === 'r') {
    e.preventDefault();
    mounted.focusReply();
  } else if (e.key === 'e') mounted.resolve();
});

if (state.token) {
  signIn().catch((err: Error) => {
    if (state.token) notice('Could not sign in: ' + err.message, true);
  });
}
