import { randomBytes } from 'node:crypto';

/**
 * The agent console: one static page, no framework, no build step. It holds no data of its own;
 * everything comes from the token-authenticated /api routes, polled every few seconds.
 *
 * Customer text (messages, names, emails, subjects) is untrusted HTML-wise, so the script builds
 * every node with DOM APIs and text nodes only. The nonce-based CSP is the second fence: even a
 * markup injection could not run a script or an inline event handler.
 */
export function consolePageResponse(): Response {
  const nonce = randomBytes(16).toString('base64');
  return new Response(consolePage(nonce), {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    },
  });
}

function consolePage(nonce: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>switchboard console</title>
<style nonce="${nonce}">
[hidden]{display:none!important}
body{font:15px system-ui,sans-serif;margin:0;height:100vh;display:flex;flex-direction:column;background:#f4f5f7;color:#111}
header{display:flex;align-items:center;gap:12px;padding:10px 16px;background:#1f2937;color:#fff}
header .grow{flex:1}
button{font:inherit;padding:6px 12px;cursor:pointer}
button:disabled{cursor:not-allowed;opacity:.5}
#notice{padding:4px 16px;font-size:13px;color:#166534;min-height:1em}
#notice.error{color:#b00020}
#login{margin:48px auto;display:flex;flex-direction:column;gap:8px;width:min(420px,90vw)}
#login input{font:inherit;padding:8px}
#app{flex:1;display:grid;grid-template-columns:320px 1fr;min-height:0}
#side{display:flex;flex-direction:column;border-right:1px solid #ddd;min-height:0;background:#fff}
#tabs{display:flex}
#tabs button{flex:1;border:0;border-bottom:2px solid transparent;background:none;padding:10px 4px}
#tabs button.active{border-bottom-color:#2563eb;font-weight:600}
#list{list-style:none;margin:0;padding:0;overflow-y:auto;flex:1}
#list li button{display:block;width:100%;text-align:left;border:0;border-bottom:1px solid #eee;background:none;padding:10px 12px}
#list li.open button{background:#e8f0fe}
#list .name{font-weight:600}
#list .meta,#list .preview{font-size:12px;color:#555;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
#list .empty{padding:12px;color:#777}
#detail{display:flex;flex-direction:column;min-height:0;padding:0 16px}
#conv-head h2{margin:12px 0 2px;font-size:18px}
#conv-meta{font-size:13px;color:#555}
#actions{display:flex;flex-wrap:wrap;gap:6px;padding:8px 0;border-bottom:1px solid #ddd}
#messages{flex:1;min-height:160px;overflow-y:auto;display:flex;flex-direction:column;gap:8px;padding:12px 0}
.msg{max-width:80%;padding:8px 12px;border-radius:10px;background:#fff;border:1px solid #ddd}
.msg.in{align-self:flex-start}
.msg.out{align-self:flex-end;background:#e8f0fe}
.msg.internal{align-self:center;background:#fff8d6;border-style:dashed}
.msg .meta{font-size:12px;color:#555;margin-bottom:4px}
.msg .text,.draft .text{white-space:pre-wrap;word-wrap:break-word}
.delivery.failed,.delivery-error{color:#b00020;font-weight:600}
.delivery-error{margin-top:4px;font-size:13px}
#drafts{border-top:1px solid #ddd;max-height:30vh;overflow-y:auto}
.draft{background:#f0fdf4;border:1px solid #bbf7d0;border-radius:8px;padding:8px;margin:8px 0}
.draft .meta{font-size:12px;color:#555;margin-bottom:4px}
#reply-form{display:flex;flex-direction:column;gap:6px;padding:8px 0 12px}
#reply{font:inherit;padding:8px;resize:vertical}
#reply-form .row{display:flex;gap:8px;align-items:center}
#draft-used{flex:1;font-size:12px;color:#166534}
#placeholder{padding:24px;color:#777}
</style></head>
<body>
<header><strong>switchboard</strong><span>agent console</span><span class="grow"></span><span id="who"></span><button id="logout" type="button" hidden>Sign out</button></header>
<div id="notice" role="status"></div>
<form id="login">
  <label for="token">Agent token</label>
  <input id="token" type="password" autocomplete="off" required>
  <button type="submit">Sign in</button>
</form>
<main id="app" hidden>
  <div id="side">
    <nav id="tabs">
      <button type="button" data-tab="queue" class="active">Queue</button>
      <button type="button" data-tab="mine">Mine</button>
      <button type="button" data-tab="assigned">Assigned</button>
      <button type="button" data-tab="resolved">Resolved</button>
    </nav>
    <ul id="list"></ul>
  </div>
  <p id="placeholder">Select a conversation.</p>
  <section id="detail" hidden>
    <div id="conv-head"><h2 id="conv-title"></h2><div id="conv-meta"></div></div>
    <div id="actions">
      <button type="button" id="claim">Claim</button>
      <button type="button" id="release">Release</button>
      <button type="button" id="resolve">Resolve</button>
      <select id="transfer-to" aria-label="Transfer to"></select>
      <button type="button" id="transfer">Transfer</button>
    </div>
    <div id="messages" aria-live="polite"></div>
    <div id="drafts"></div>
    <form id="reply-form">
      <textarea id="reply" rows="4" maxlength="16384" placeholder="Reply to the customer, or write an internal note"></textarea>
      <div class="row"><span id="draft-used"></span><button type="button" id="note">Add internal note</button><button type="submit" id="send">Send reply</button></div>
    </form>
  </section>
</main>
<script nonce="${nonce}">
(() => {
  'use strict';
  const POLL_MS = 2500;
  const TOKEN_KEY = 'switchboard.agentToken';
  const LISTS = {
    queue: '?status=queued',
    mine: '?status=assigned&mine=true',
    assigned: '?status=assigned',
    resolved: '?status=resolved',
  };
  const $ = (id) => document.getElementById(id);
  const state = { token: sessionStorage.getItem(TOKEN_KEY), me: null, agents: new Map(), tab: 'queue', openId: null, draftId: null, listKey: '', detailKey: '', timer: null, polling: null, again: false };

  // The only way this page creates content: elements plus text nodes (append() turns strings into text).
  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) if (child != null && child !== '') node.append(child);
    return node;
  }

  function notice(text, isError) {
    $('notice').textContent = text || '';
    $('notice').classList.toggle('error', !!isError);
  }

  async function call(method, path, body) {
    const headers = { authorization: 'Bearer ' + state.token };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch('/api' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const data = await res.json().catch(() => null);
    if (res.status === 401) {
      signOut('That token was not accepted. Paste a valid agent token.');
      throw new Error('unauthorized');
    }
    if (!res.ok) throw new Error((data && data.error && data.error.message) || 'request failed (' + res.status + ')');
    return data;
  }

  const agentName = (id) => (id ? (state.agents.get(id) || { name: 'agent ' + id }).name : '');
  const customerName = (c) => (c && (c.displayName || c.email)) || 'Customer';
  const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');
  function waited(iso) {
    if (!iso) return '';
    const min = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
    return min < 60 ? 'waiting ' + min + ' min' : 'waiting ' + Math.floor(min / 60) + ' h ' + (min % 60) + ' min';
  }

  // ---- sign in / out ----
  async function signIn() {
    const me = await call('GET', '/me');
    const agents = await call('GET', '/agents');
    state.me = me;
    state.agents = new Map(agents.items.map((a) => [a.id, a]));
    $('who').textContent = me.name + ' (' + me.role + ')';
    $('logout').hidden = false;
    $('login').hidden = true;
    $('app').hidden = false;
    notice('');
    await poll();
    clearInterval(state.timer);
    state.timer = setInterval(poll, POLL_MS);
  }

  function signOut(reason, isError = true) {
    clearInterval(state.timer);
    sessionStorage.removeItem(TOKEN_KEY);
    Object.assign(state, { token: null, me: null, openId: null, draftId: null, listKey: '', detailKey: '' });
    $('who').textContent = '';
    $('logout').hidden = true;
    $('app').hidden = true;
    $('detail').hidden = true;
    $('placeholder').hidden = false;
    $('login').hidden = false;
    $('token').value = '';
    notice(reason || '', isError);
  }

  $('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = $('token').value.trim();
    if (!token) return;
    state.token = token;
    try {
      await signIn();
      sessionStorage.setItem(TOKEN_KEY, token);
    } catch (err) {
      if (state.token) notice('Could not sign in: ' + err.message, true);
    }
  });
  $('logout').addEventListener('click', () => signOut('Signed out.', false));

  // ---- polling ----
  // One poll at a time; a request for a fresh view during a poll runs one more right after it.
  async function poll() {
    if (!state.token) return;
    if (state.polling) { state.again = true; return state.polling; }
    state.polling = (async () => {
      do {
        state.again = false;
        try {
          await Promise.all([loadList(), loadDetail()]);
          if ($('notice').dataset.kind === 'network') { notice(''); delete $('notice').dataset.kind; }
        } catch (err) {
          if (state.token && err instanceof TypeError) { notice('Connection problem, retrying…', true); $('notice').dataset.kind = 'network'; }
          else if (state.token) notice(err.message, true);
        }
      } while (state.again && state.token);
      state.polling = null;
    })();
    return state.polling;
  }

  async function loadList() {
    const tab = state.tab;
    const data = await call('GET', '/conversations' + LISTS[tab]);
    // The minute is part of the key so "waiting N min" keeps counting while nothing else changes.
    const key = tab + JSON.stringify(data.items) + state.openId + Math.floor(Date.now() / 60000);
    if (tab !== state.tab || key === state.listKey) return;
    state.listKey = key;
    renderList(data.items);
  }

  async function loadDetail() {
    const id = state.openId;
    if (!id) return;
    const data = await call('GET', '/conversations/' + encodeURIComponent(id));
    const key = JSON.stringify(data);
    if (id !== state.openId || key === state.detailKey) return;
    state.detailKey = key;
    renderDetail(data);
  }

  // ---- list ----
  function renderList(items) {
    const nodes = items.map((c) => {
      const meta = [c.channel, c.status, c.assigneeId ? 'with ' + agentName(c.assigneeId) : '', waited(c.waitingSince), c.overdue ? 'OVERDUE' : ''].filter(Boolean).join(' · ');
      const button = el('button', '', el('div', 'name', customerName(c.customer)), el('div', 'meta', meta), c.subject ? el('div', 'preview', c.subject) : null, c.lastMessage ? el('div', 'preview', c.lastMessage.text) : null);
      button.type = 'button';
      button.addEventListener('click', () => open(c.id));
      const li = el('li', c.id === state.openId ? 'open' : '', button);
      li.dataset.id = c.id;
      return li;
    });
    $('list').replaceChildren(...(nodes.length ? nodes : [el('li', 'empty', 'Nothing here.')]));
  }

  for (const tab of document.querySelectorAll('#tabs button')) {
    tab.addEventListener('click', () => {
      state.tab = tab.dataset.tab;
      for (const t of document.querySelectorAll('#tabs button')) t.classList.toggle('active', t === tab);
      state.listKey = '';
      $('list').replaceChildren();
      poll();
    });
  }

  function open(id) {
    if (id !== state.openId) {
      $('reply').value = '';
      useDraft(null);
      $('messages').replaceChildren();
      $('drafts').replaceChildren();
    }
    state.openId = id;
    state.detailKey = '';
    state.listKey = '';
    $('placeholder').hidden = true;
    $('detail').hidden = false;
    poll();
  }

  // ---- conversation ----
  function renderDetail(d) {
    const c = d.conversation;
    $('conv-title').textContent = customerName(d.customer);
    const facts = [c.channel, c.status, c.assigneeId ? 'assigned to ' + agentName(c.assigneeId) : '', d.customer && d.customer.email, c.subject ? 'Subject: ' + c.subject : '', waited(c.waitingSince)];
    $('conv-meta').textContent = facts.filter(Boolean).join(' · ');

    const mine = c.status === 'assigned' && c.assigneeId === state.me.id;
    const admin = state.me.role === 'admin';
    const mayAct = c.status !== 'assigned' || mine || admin;
    $('claim').disabled = c.status !== 'queued';
    $('release').disabled = !(c.status === 'assigned' && mayAct);
    $('resolve').disabled = !(['bot', 'queued', 'assigned'].includes(c.status) && mayAct);
    $('send').disabled = !mine;
    $('send').title = mine ? '' : 'Claim the conversation to reply';
    renderTransferTargets(c);
    $('transfer').disabled = !((c.status === 'queued' || c.status === 'assigned') && mayAct && $('transfer-to').options.length);

    const box = $('messages');
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    box.replaceChildren(...d.messages.map((m) => messageNode(m, d.customer)));
    if (atBottom) box.scrollTop = box.scrollHeight;

    $('drafts').replaceChildren(...d.drafts.map(draftNode));
  }

  function messageNode(m, customer) {
    const who = m.direction === 'internal' ? 'Internal note · ' + agentName(m.agentId) : m.author === 'customer' ? customerName(customer) : m.author === 'bot' ? 'Bot' : agentName(m.agentId) || 'Agent';
    const meta = el('div', 'meta', who, ' · ', when(m.createdAt));
    if (m.direction === 'out' && m.delivery) {
      const label = m.delivery === 'pending' ? 'sending…' : m.delivery === 'sent' ? 'sent' : 'failed';
      meta.append(' · ', el('span', 'delivery ' + m.delivery, label));
    }
    if (m.autoGenerated) meta.append(' · auto-generated');
    const node = el('div', 'msg ' + m.direction, meta);
    node.dataset.id = m.id;
    if (m.subject) node.append(el('div', 'subject', 'Subject: ' + m.subject));
    node.append(el('div', 'text', m.text));
    if (m.fullText && m.fullText !== m.text) {
      const full = el('details', '', el('summary', '', 'Full message'), el('div', 'text', m.fullText));
      node.append(full);
    }
    if (m.attachments && m.attachments.length) node.append(el('div', 'meta', 'Attachments: ' + m.attachments.map((a) => a.name).join(', ')));
    if (m.delivery === 'failed') node.append(el('div', 'delivery-error', 'Not delivered: ' + (m.deliveryError || 'unknown error')));
    return node;
  }

  function draftNode(d) {
    const source = d.kind === 'llm' ? 'LLM draft' + (d.model ? ' (' + d.model + ')' : '') : 'Suggested from the FAQ';
    const meta = el('div', 'meta', source, d.entryIds.length ? ' · FAQ: ' + d.entryIds.join(', ') : '');
    const button = el('button', 'use-draft', 'Use draft');
    button.type = 'button';
    button.addEventListener('click', () => {
      $('reply').value = d.text;
      useDraft(d.id);
      $('reply').focus();
    });
    const node = el('div', 'draft', meta, el('div', 'text', d.text), button);
    node.dataset.id = d.id;
    return node;
  }

  function renderTransferTargets(c) {
    const select = $('transfer-to');
    const chosen = select.value;
    const options = [...state.agents.values()].filter((a) => a.id !== c.assigneeId).map((a) => {
      const o = el('option', '', a.name + (a.id === state.me.id ? ' (me)' : ''));
      o.value = a.id;
      return o;
    });
    select.replaceChildren(...options);
    if (options.some((o) => o.value === chosen)) select.value = chosen;
  }

  function useDraft(id) {
    state.draftId = id;
    $('draft-used').textContent = id ? 'Reply based on a draft' : '';
  }

  $('reply').addEventListener('input', () => { if (!$('reply').value.trim()) useDraft(null); });

  // ---- actions ----
  async function act(label, method, path, body) {
    const id = state.openId;
    try {
      await call(method, '/conversations/' + encodeURIComponent(id) + path, body);
      notice(label);
      state.detailKey = '';
      state.listKey = '';
      await poll();
      return true;
    } catch (err) {
      if (state.token) notice(err.message, true);
      return false;
    }
  }

  $('claim').addEventListener('click', () => act('Claimed.', 'POST', '/claim'));
  $('release').addEventListener('click', () => act('Released to the queue.', 'POST', '/release'));
  $('resolve').addEventListener('click', () => act('Resolved.', 'POST', '/resolve'));
  $('transfer').addEventListener('click', () => {
    const agentId = $('transfer-to').value;
    if (agentId) act('Transferred to ' + agentName(agentId) + '.', 'POST', '/transfer', { agentId });
  });

  $('reply-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('reply').value.trim();
    if (!text) return;
    const body = state.draftId ? { text, draftId: state.draftId } : { text };
    if (await act('Reply sent.', 'POST', '/messages', body)) { $('reply').value = ''; useDraft(null); }
  });
  $('note').addEventListener('click', async () => {
    const text = $('reply').value.trim();
    if (!text) return;
    if (await act('Note added.', 'POST', '/notes', { text })) { $('reply').value = ''; useDraft(null); }
  });

  if (state.token) signIn().catch((err) => { if (state.token) notice('Could not sign in: ' + err.message, true); });
})();
</script>
</body></html>`;
}
