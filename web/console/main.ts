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
import { renderDetail, useDraft } from './detail.js';
import { loadSuggestions } from './faq.js';
import { $, notice } from './dom.js';
import { agentName } from './format.js';
import { renderList } from './list.js';
import { LISTS, state, TOKEN_KEY, type Tab } from './state.js';
import type { Agent, Detail, ListItem, Message, Page } from './types.js';
import type { LiveEvent, PageContext } from './page.js'; // TEMP wiring until the shell lands
import { reportsPage } from './reports/index.js'; // TEMP wiring until the shell lands
import { mountCustomerPanel } from './customer/panel.js'; // TEMP wiring until the shell lands

const POLL_MS = 2500;

const reply = () => $<HTMLTextAreaElement>('reply');

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
  tempRoute(); // TEMP wiring until the shell lands
  await loadSuggestions();
  await poll();
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
  $('detail').hidden = true;
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
        await Promise.all([loadList(), loadDetail()]);
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

async function loadDetail(): Promise<void> {
  const id = state.openId;
  if (!id) return;
  const data = await call<Detail>('GET', '/conversations/' + encodeURIComponent(id));
  const key = JSON.stringify(data) + state.olderMessages.length;
  if (id !== state.openId || key === state.detailKey) return;
  state.detailKey = key;
  if (!state.olderMessages.length) state.olderCursor = data.messagesNextCursor;
  renderDetail({ ...data, messages: [...state.olderMessages, ...data.messages] });
  $('messages-more').hidden = !state.olderCursor;
}

$('messages-more').addEventListener('click', async () => {
  const id = state.openId;
  if (!id || !state.olderCursor) return;
  try {
    const page = await call<Page<Message>>(
      'GET',
      '/conversations/' + encodeURIComponent(id) + '/messages?cursor=' + encodeURIComponent(state.olderCursor),
    );
    if (id !== state.openId) return;
    state.olderMessages = [...page.items, ...state.olderMessages];
    state.olderCursor = page.nextCursor;
    state.detailKey = '';
    await poll();
  } catch (err) {
    if (state.token) notice((err as Error).message, true);
  }
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
  if (id !== state.openId) {
    reply().value = '';
    useDraft(null);
    $('messages').replaceChildren();
    $('drafts').replaceChildren();
    state.olderMessages = [];
    state.olderCursor = null;
    $('messages-more').hidden = true;
  }
  state.openId = id;
  state.detailKey = '';
  state.listKey = '';
  $('placeholder').hidden = true;
  $('detail').hidden = false;
  void poll();
}

reply().addEventListener('input', () => {
  if (!reply().value.trim()) useDraft(null);
});

// ---- actions ----
async function act(label: string, method: string, path: string, body?: unknown): Promise<boolean> {
  const id = state.openId!;
  try {
    await call(method, '/conversations/' + encodeURIComponent(id) + path, body);
    notice(label);
    state.detailKey = '';
    state.listKey = '';
    await poll();
    return true;
  } catch (err) {
    if (state.token) notice((err as Error).message, true);
    return false;
  }
}

$('claim').addEventListener('click', () => act('Claimed.', 'POST', '/claim'));
$('release').addEventListener('click', () => act('Released to the queue.', 'POST', '/release'));
$('resolve').addEventListener('click', () => act('Resolved.', 'POST', '/resolve'));
$('transfer').addEventListener('click', () => {
  const agentId = $<HTMLSelectElement>('transfer-to').value;
  if (agentId) void act('Transferred to ' + agentName(agentId) + '.', 'POST', '/transfer', { agentId });
});

$('reply-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = reply().value.trim();
  if (!text) return;
  const body = state.draftId ? { text, draftId: state.draftId } : { text };
  if (await act('Reply sent.', 'POST', '/messages', body)) {
    reply().value = '';
    useDraft(null);
  }
});
$('note').addEventListener('click', async () => {
  const text = reply().value.trim();
  if (!text) return;
  if (await act('Note added.', 'POST', '/notes', { text })) {
    reply().value = '';
    useDraft(null);
  }
});

if (state.token) {
  signIn().catch((err: Error) => {
    if (state.token) notice('Could not sign in: ' + err.message, true);
  });
}

// ---- TEMP wiring until the shell lands: #/reports and #/customer/<id> in a #view of their own ----
// (the shell's main.ts replaces all of this; #/customer/<id> is only for the customer panel's tests)
const tempHandlers = new Set<(e: LiveEvent) => void>();
let tempStreaming = false;
let tempUnmount: (() => void) | null = null;

async function tempStream(): Promise<void> {
  if (tempStreaming) return;
  tempStreaming = true;
  let last = '';
  while (state.token) {
    try {
      const headers: Record<string, string> = { authorization: 'Bearer ' + state.token };
      if (last) headers['last-event-id'] = last;
      const res = await fetch('/api/events', { headers });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let id = '';
          let type = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('id:')) id = line.slice(3).trim();
            else if (line.startsWith('event:')) type = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trim();
          }
          if (!data) continue;
          if (id) last = id;
          const event = { id: Number(id), type, data: JSON.parse(data) as LiveEvent['data'] };
          for (const h of tempHandlers) h(event);
        }
      }
    } catch {
      // Reconnects below.
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  tempStreaming = false;
}

function tempRoute(): void {
  if (!state.me) return;
  tempUnmount?.();
  tempUnmount = null;
  let view = document.getElementById('view');
  if (!view) {
    view = document.createElement('div');
    view.id = 'view';
    document.body.append(view);
  }
  const ctx: PageContext = {
    call,
    me: state.me,
    agents: state.agents,
    onEvent(handler) {
      tempHandlers.add(handler);
      void tempStream();
      return () => tempHandlers.delete(handler);
    },
    navigate: (hash) => {
      location.hash = hash;
    },
    notice,
  };
  const hash = location.hash;
  const customer = /^#\/customer\/(.+)$/.exec(hash);
  if (hash === '#/reports' || customer) {
    $('app').hidden = true;
    view.hidden = false;
    if (customer) {
      const panel = mountCustomerPanel(view, decodeURIComponent(customer[1]!), ctx);
      tempUnmount = () => panel.unmount();
    } else tempUnmount = reportsPage.mount(view, ctx);
  } else {
    view.hidden = true;
    $('app').hidden = !state.token;
  }
}
window.addEventListener('hashchange', tempRoute);
