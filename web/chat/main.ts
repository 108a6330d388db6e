/**
 * The customer's chat page, standalone at /chat or framed by widget.js (/chat?embed=1). No
 * framework: message text goes into the DOM as text nodes, never parsed as HTML; the page's CSP
 * allows only this bundled script from the same origin.
 */
import { formatDateTime, formatTime, lang, langTag, t } from './strings.js';
import { sessionStore } from './storage.js';
import { fileNodes, PendingFiles, type ChatFile, type FileLimits } from './files.js';

interface Session {
  sessionId: string;
  secret: string;
  /** Set when the session is a verified user's (data-user-id + data-user-hash). */
  userId?: string;
  /** From the pre-chat form, sent with the messages. */
  name?: string;
  email?: string;
}

interface ChatItem {
  id: string;
  direction: 'in' | 'out';
  author: 'customer' | 'bot' | 'agent';
  text: string;
  createdAt?: string;
  /** Offered with a bot reply; a click sends the pick. */
  choices?: { id: string; label: string }[];
  attachments?: ChatFile[];
}

interface Availability {
  open: boolean;
  agentsOnline: boolean;
  backAt: string | null;
}

interface Look {
  name: string;
  color: string;
  greeting: { en?: string; zh?: string };
  prechat?: boolean;
  /** The server shows agents what the visitor is typing (WIDGET_DRAFT_PREVIEW). */
  draftPreview?: boolean;
  /** What the web chat takes (null: no files). */
  files?: FileLimits | null;
}

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the page`);
  return node as T;
}

const params = new URLSearchParams(location.search);
const embedded = params.get('embed') === '1' && window.parent !== window;
const hostParam = params.get('host');
/** The embedding page's origin, only ever used as postMessage's target (a wrong one receives nothing). */
const host = embedded && hostParam && /^https?:\/\/[^/\s]+$/.test(hostParam) ? hostParam : null;

/** widget.js's presence id for this browser: linked to the session so agents see the pages beside the chat. */
const visitorParam = params.get('visitor');
const visitorId = embedded && visitorParam && /^[A-Za-z0-9_-]{16,64}$/.test(visitorParam) ? visitorParam : null;

const log = byId<HTMLElement>('log');
const form = byId<HTMLFormElement>('f');
const input = byId<HTMLTextAreaElement>('t');
const status = byId<HTMLDivElement>('status');
const sub = byId<HTMLParagraphElement>('sub');
const seen = new Set<string>();
const store = sessionStore(host);
let session: Session | null = null;
/** The pre-chat form's answers, kept until the session that carries them exists. */
let contact: { name?: string; email: string } | null = null;
const claimed = { userId: params.get('userId'), userHash: params.get('userHash') };
/** Once refused, this page asks no more and carries on as an anonymous visitor. */
let identityRefused = false;
let look: Look = { name: 'Support', color: '#2563eb', greeting: {} };
/** False while widget.js has the panel closed: replies then count as unread on the bubble. */
let visible = !embedded;
let unread = 0;
let typingTimer: ReturnType<typeof setTimeout> | undefined;
/** Outside business hours or with nobody online: said at the top, and an email is asked for. */
let away: Availability | null = null;

function toParent(msg: object): void {
  if (host) window.parent.postMessage(msg, host);
}

function applyLook(): void {
  document.documentElement.lang = langTag;
  accent(look.color);
  document.title = t('title', { name: look.name });
  byId('name').textContent = look.name;
  byId('avatar').textContent = [...look.name.trim()][0]?.toUpperCase() ?? '';
  sub.textContent = away ? t('awaySub') : t('online');
  byId('t-label').textContent = t('message');
  input.placeholder = t('placeholder');
  byId('send').textContent = t('send');
  log.setAttribute('aria-label', t('messages'));
  const close = byId<HTMLButtonElement>('close');
  close.hidden = !embedded;
  close.textContent = '×';
  close.setAttribute('aria-label', t('close'));
  close.addEventListener('click', () => toParent({ type: 'switchboard:close' }));
}

/**
 * The shop's colour as a rule added to our own stylesheet through the CSSOM: no style attribute
 * and no inline <style>, which the page's CSP (style-src 'self') refuses.
 */
function accent(color: string): void {
  if (!/^#[0-9a-fA-F]{6}$/.test(color)) return;
  const link = document.querySelector<HTMLLinkElement>('link[rel="stylesheet"]');
  const add = () => link?.sheet?.insertRule(`:root { --accent: ${color}; }`, link.sheet.cssRules.length);
  if (link?.sheet) add();
  else link?.addEventListener('load', add, { once: true });
}

async function loadSession(): Promise<Session | null> {
  try {
    const raw = await store.get();
    const s = raw ? (JSON.parse(raw) as Partial<Session>) : null;
    return s && typeof s.sessionId === 'string' && typeof s.secret === 'string' ? (s as Session) : null;
  } catch {
    return null;
  }
}

async function ensureSession(): Promise<Session> {
  if (session) return session;
  const verify = claimed.userId && claimed.userHash && !identityRefused;
  const res = await fetch('/webchat/sessions', {
    method: 'POST',
    ...(verify
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: claimed.userId, userHash: claimed.userHash }) }
      : {}),
  });
  if (verify && res.status === 403) {
    identityRefused = true;
    status.textContent = t('identityRefused');
    return ensureSession();
  }
  if (!res.ok) throw await failure(res);
  session = { ...((await res.json()) as Session), ...(verify ? { userId: claimed.userId! } : {}), ...(contact ?? {}) };
  store.set(JSON.stringify(session));
  toParent({ type: 'switchboard:active' });
  listen(session);
  return session;
}

function greet(): void {
  const text = look.greeting[lang] ?? look.greeting.en;
  if (text) show({ id: 'greeting', direction: 'out', author: 'agent', text }, false);
}

function show(m: ChatItem, live: boolean): void {
  if (seen.has(m.id)) return;
  seen.add(m.id);
  const div = document.createElement('div');
  div.className = 'msg ' + m.direction;
  if (m.id === 'greeting') div.dataset.greeting = '';
  if (m.direction === 'out') {
    const who = document.createElement('div');
    who.className = 'who';
    who.textContent = m.author === 'bot' ? t('assistant') : t('agent', { name: look.name });
    div.appendChild(who);
    stopTyping();
  }
  // FAQ answers use **bold**; build the nodes by hand so no text is ever parsed as HTML.
  m.text.split(/\*\*(.+?)\*\*/s).forEach((part, i) => {
    if (!part) return;
    if (i % 2) {
      const b = document.createElement('strong');
      b.textContent = part;
      div.appendChild(b);
    } else div.appendChild(document.createTextNode(part));
  });
  if (m.attachments?.length) div.appendChild(fileNodes(m.attachments, session));
  if (m.choices?.length) div.appendChild(choiceButtons(m.choices));
  if (m.createdAt) {
    const time = document.createElement('time');
    time.className = 'time';
    time.dateTime = m.createdAt;
    time.textContent = formatTime(m.createdAt);
    div.appendChild(time);
  }
  log.appendChild(div);
  log.scrollTop = log.scrollHeight;
  if (live && m.direction === 'out' && !visible) toParent({ type: 'switchboard:unread', count: ++unread });
  if (m.author === 'agent' && m.id !== 'greeting') {
    unseenReply = true;
    reportSeen();
  }
}

/** An agent's reply shown but not yet reported as seen: its email copy is still due. */
let unseenReply = false;
let seenTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Tells the server the visitor has the replies in front of them (chat open, tab visible), so the
 * email copies of those replies are not sent (WIDGET_EMAIL_AFTER). Batched: one request per burst.
 */
function reportSeen(): void {
  if (!unseenReply || !session || !visible || document.visibilityState !== 'visible') return;
  clearTimeout(seenTimer);
  seenTimer = setTimeout(() => {
    const s = session;
    if (!s || !unseenReply) return;
    unseenReply = false;
    void fetch('/webchat/sessions/' + encodeURIComponent(s.sessionId) + '/seen', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + s.secret },
    })
      .then((res) => {
        if (!res.ok) unseenReply = true;
      })
      .catch(() => (unseenReply = true));
  }, 800);
}
document.addEventListener('visibilitychange', reportSeen);

function choiceButtons(choices: { id: string; label: string }[]): HTMLDivElement {
  const row = document.createElement('div');
  row.className = 'choices';
  for (const c of choices) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = c.label;
    button.addEventListener('click', () => void send({ choiceId: c.id, text: c.label }));
    row.appendChild(button);
  }
  return row;
}

function showTyping(): void {
  sub.textContent = t('typing', { name: look.name });
  clearTimeout(typingTimer);
  // An agent who stops typing sends nothing more; the line clears by itself.
  typingTimer = setTimeout(stopTyping, 6000);
}

function stopTyping(): void {
  clearTimeout(typingTimer);
  sub.textContent = away ? t('awaySub') : t('online');
}

/** Best effort: the chat works the same without it; agents just see no trail. */
function linkVisitor(s: Session): void {
  if (!visitorId) return;
  void fetch('/webchat/sessions/' + encodeURIComponent(s.sessionId) + '/visitor', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + s.secret },
    body: JSON.stringify({ visitorId }),
  }).catch(() => undefined);
}

function listen(s: Session): void {
  linkVisitor(s);
  const es = new EventSource('/webchat/sessions/' + encodeURIComponent(s.sessionId) + '/events?secret=' + encodeURIComponent(s.secret));
  // What the stream replays on connecting is history, not news for the badge.
  let live = false;
  es.addEventListener('message', (e: MessageEvent<string>) => show(JSON.parse(e.data) as ChatItem, live));
  es.addEventListener('typing', showTyping);
  es.onerror = () => {
    status.textContent = t('reconnecting');
  };
  es.onopen = () => {
    // Clears only its own notice: a refusal shown meanwhile (identity, slow down) stays.
    if (status.textContent === t('reconnecting')) status.textContent = '';
    setTimeout(() => (live = true), 500);
  };
}

class SendError extends Error {}

async function failure(res: Response): Promise<SendError> {
  if (res.status === 429) {
    const seconds = Math.max(1, Math.ceil(Number(res.headers.get('retry-after')) || 30));
    return new SendError(t('slowDown', { seconds }));
  }
  let reason = String(res.status);
  try {
    reason = ((await res.json()) as { error: { message: string } }).error.message;
  } catch {
    // not our JSON error (a proxy's page): the status says enough
  }
  return new SendError(t('failed', { reason }));
}

const pending = new PendingFiles(byId('pending'), status, () => look.files ?? null);

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text && pending.count === 0) return;
  input.value = '';
  void send({ text }).then((ok) => {
    if (!ok && !input.value) input.value = text;
  });
});

/** Posts a message or a pick, retrying network failures with the same clientMessageId; false when it was not accepted. */
async function send(body: { text: string; choiceId?: string }): Promise<boolean> {
  const clientMessageId = crypto.randomUUID();
  let files: { attachmentId: string; name: string }[] | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const s = await ensureSession();
      // Uploaded once, before the message that names them; a refused file keeps the message unsent.
      if (!files && pending.count && !body.choiceId) {
        try {
          files = await pending.upload(s);
        } catch (err) {
          throw new SendError(err instanceof Error ? err.message : String(err));
        }
        pending.clear();
        body = { ...body, ...{ attachments: files } };
      }
      const res = await fetch('/webchat/sessions/' + encodeURIComponent(s.sessionId) + '/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + s.secret },
        body: JSON.stringify({ ...body, clientMessageId, ...(s.name ? { name: s.name } : {}), ...(s.email ? { email: s.email } : {}) }),
      });
      if (res.status === 404 || res.status === 401) {
        store.set(null);
        session = null;
        status.textContent = t('expired');
        return false;
      }
      if (!res.ok) throw await failure(res);
      status.textContent = '';
      return true;
    } catch (err) {
      if (err instanceof SendError) {
        status.textContent = err.message;
        return false;
      }
      status.textContent = t('network');
      await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
    }
  }
  return false;
}

/**
 * Tells the agents the visitor is typing, at most once a second (the last keystroke's state is
 * always sent); with the draft preview, what they have typed so far. Only once a conversation
 * exists: before the first message nobody would be told.
 */
let typingSentAt = 0;
let typingPending: ReturnType<typeof setTimeout> | undefined;
let typingPausedUntil = 0;
function sendTyping(): void {
  typingPending = undefined;
  const s = session;
  const text = input.value;
  if (!s || !text.trim() || Date.now() < typingPausedUntil) return;
  typingSentAt = Date.now();
  void fetch('/webchat/sessions/' + encodeURIComponent(s.sessionId) + '/typing', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + s.secret },
    body: JSON.stringify(look.draftPreview ? { text: text.slice(0, 1000) } : {}),
  })
    .then((res) => {
      // Over the limit: quiet until the server says, the chat itself unaffected.
      if (res.status === 429) typingPausedUntil = Date.now() + 1000 * (Number(res.headers.get('retry-after')) || 30);
    })
    .catch(() => undefined);
}
input.addEventListener('input', () => {
  if (typingPending) return;
  typingPending = setTimeout(sendTyping, Math.max(0, typingSentAt + 1000 - Date.now()));
});

input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    form.requestSubmit();
  }
});

window.addEventListener('message', (e: MessageEvent) => {
  const data = e.data as { type?: string; visible?: unknown; text?: unknown };
  if (!host || e.source !== window.parent || e.origin !== host) return;
  // The invitation the visitor clicked: its message is the greeting (text only, at most 300 characters).
  if (data?.type === 'switchboard:greeting' && typeof data.text === 'string') {
    const text = data.text.slice(0, 300);
    const old = log.querySelector('[data-greeting]');
    if (old?.textContent?.includes(text)) return;
    old?.remove();
    seen.delete('greeting');
    show({ id: 'greeting', direction: 'out', author: 'agent', text }, false);
    const node = log.lastElementChild;
    if (node) log.prepend(node);
    return;
  }
  if (data?.type !== 'switchboard:visible') return;
  visible = data.visible === true;
  if (visible) {
    unread = 0;
    input.focus();
    reportSeen();
  }
});

async function start(): Promise<void> {
  const [cfg, stored, availability] = await Promise.all([
    fetch('/webchat/config')
      .then((r) => (r.ok ? (r.json() as Promise<Look>) : look))
      .catch(() => look),
    loadSession(),
    fetch('/webchat/status')
      .then((r) => (r.ok ? (r.json() as Promise<Availability>) : null))
      .catch(() => null),
  ]);
  look = cfg;
  setUpFiles();
  away = availability && (!availability.open || !availability.agentsOnline) ? availability : null;
  applyLook();
  greet();

  toParent({ type: 'switchboard:ready' });
  // A verified user's conversation is theirs in every browser: opened now, so its history shows.
  if (claimed.userId && claimed.userHash) {
    if (stored?.userId !== claimed.userId) {
      await ensureSession().catch((err: unknown) => (status.textContent = err instanceof Error ? err.message : ''));
      return;
    }
    session = stored;
  } else session = stored?.userId ? null : stored;
  // A visitor who only looks opens no session; the first message does.
  if (session) {
    listen(session);
    // Back while the team is away: an email for the replies, if they have not given one.
    if (away && !session.email) askWhoTheyAre(false);
  } else if (look.prechat) askWhoTheyAre(true);
  // Away: the bot still answers, so the form asks for an email without standing in the way.
  else if (away) askWhoTheyAre(false);
}

/**
 * The pre-chat form: name and email before the first message (`gate`: the composer shows once
 * given), or, when the team is away, beside the composer, saying when they are back.
 */
function askWhoTheyAre(gate: boolean): void {
  const pre = byId<HTMLFormElement>('pre');
  const name = byId<HTMLInputElement>('pre-name');
  const email = byId<HTMLInputElement>('pre-email');
  const error = byId<HTMLParagraphElement>('pre-error');
  const back = away && !away.open && away.backAt ? t('awayClosed', { time: formatDateTime(away.backAt) }) : away ? t('awayNobody') : '';
  // Chinese sentences run on without a space.
  byId('pre-intro').textContent = away ? [back, t('awayAsk')].join(lang === 'zh' ? '' : ' ') : t('preIntro');
  byId('pre-name-label').textContent = t('preName');
  byId('pre-email-label').textContent = t('preEmail');
  byId('pre-start').textContent = gate ? t('preStart') : t('awaySave');
  pre.hidden = false;
  form.hidden = gate;
  // Beside the composer only the email is asked for, in little room, so the chat stays readable.
  pre.classList.toggle('compact', !gate);
  name.hidden = byId('pre-name-label').hidden = !gate;
  pre.addEventListener('submit', (e) => {
    e.preventDefault();
    const n = name.value.trim();
    const m = email.value.trim();
    const bad = gate && !n ? name : !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(m) ? email : null;
    error.textContent = bad === name ? t('preNameMissing') : bad === email ? t('preEmailBad') : '';
    name.setAttribute('aria-invalid', String(bad === name));
    email.setAttribute('aria-invalid', String(bad === email));
    if (bad) return bad.focus();
    contact = { name: n || undefined, email: m };
    // Already chatting: saved now (replies not seen in the chat go there), and the next message carries it too.
    if (session) {
      session = { ...session, ...contact };
      store.set(JSON.stringify(session));
      void saveContact(session, m);
    }
    pre.hidden = true;
    form.hidden = false;
    input.focus();
  });
}

/** The visitor's email for a chat already under way (POST …/contact); a refusal is said in the status line. */
async function saveContact(s: Session, email: string): Promise<void> {
  try {
    const res = await fetch('/webchat/sessions/' + encodeURIComponent(s.sessionId) + '/contact', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + s.secret },
      body: JSON.stringify({ email }),
    });
    // 409: no message yet, so the first message carries the email instead.
    if (!res.ok && res.status !== 409) status.textContent = (await failure(res)).message;
  } catch {
    status.textContent = t('network');
  }
}

/** The attach button, drag-and-drop and paste, when the web chat takes files. */
function setUpFiles(): void {
  if (!look.files) return;
  const attach = byId<HTMLButtonElement>('attach');
  const picker = byId<HTMLInputElement>('file');
  attach.hidden = false;
  attach.setAttribute('aria-label', t('attach'));
  attach.title = t('attach');
  attach.addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    pending.add(picker.files ?? []);
    picker.value = '';
  });
  document.addEventListener('dragover', (e) => {
    if (e.dataTransfer?.types.includes('Files')) {
      e.preventDefault();
      document.body.classList.add('dropping');
    }
  });
  document.addEventListener('dragleave', () => document.body.classList.remove('dropping'));
  document.addEventListener('drop', (e) => {
    document.body.classList.remove('dropping');
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    pending.add(e.dataTransfer.files);
  });
  input.addEventListener('paste', (e) => {
    const files = e.clipboardData?.files;
    if (files?.length) {
      e.preventDefault();
      pending.add(files);
    }
  });
}

void start();
