/**
 * The customer's chat page: no framework. Message text is put in the DOM as text nodes, never
 * parsed as HTML; the page's CSP allows only this bundled script from the same origin.
 */

interface Session {
  sessionId: string;
  secret: string;
}

interface ChatItem {
  id: string;
  direction: 'in' | 'out';
  author: 'customer' | 'bot' | 'agent';
  text: string;
  /** Offered with a bot reply; a click sends the pick. */
  choices?: { id: string; label: string }[];
}

const SESSION_KEY = 'switchboard.session';

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the page`);
  return node as T;
}

const log = byId<HTMLDivElement>('log');
const form = byId<HTMLFormElement>('f');
const input = byId<HTMLTextAreaElement>('t');
const status = byId<HTMLDivElement>('status');
const seen = new Set<string>();
let session = JSON.parse(localStorage.getItem(SESSION_KEY) || 'null') as Session | null;

async function ensureSession(): Promise<Session> {
  if (session) return session;
  const res = await fetch('/webchat/sessions', { method: 'POST' });
  session = (await res.json()) as Session;
  localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

function show(m: ChatItem): void {
  if (seen.has(m.id)) return;
  seen.add(m.id);
  const div = document.createElement('div');
  div.className = 'msg ' + m.direction;
  if (m.direction === 'out') {
    const who = document.createElement('div');
    who.className = 'who';
    who.textContent = m.author === 'agent' ? 'Support' : 'Assistant';
    div.appendChild(who);
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
  if (m.choices?.length) div.appendChild(choiceButtons(m.choices));
  log.appendChild(div);
  log.scrollTop = log.scrollHeight;
}

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

function listen(s: Session): void {
  const es = new EventSource('/webchat/sessions/' + encodeURIComponent(s.sessionId) + '/events?secret=' + encodeURIComponent(s.secret));
  es.addEventListener('message', (e: MessageEvent<string>) => show(JSON.parse(e.data) as ChatItem));
  es.onerror = () => {
    status.textContent = 'Reconnecting…';
  };
  es.onopen = () => {
    status.textContent = '';
  };
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  void send({ text });
});

/** Posts a message or a pick, retrying network failures with the same clientMessageId. */
async function send(body: { text: string; choiceId?: string }): Promise<void> {
  const s = await ensureSession();
  const clientMessageId = crypto.randomUUID();
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const res = await fetch('/webchat/sessions/' + encodeURIComponent(s.sessionId) + '/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + s.secret },
        body: JSON.stringify({ ...body, clientMessageId }),
      });
      if (res.status === 404 || res.status === 401) {
        localStorage.removeItem(SESSION_KEY);
        session = null;
        status.textContent = 'Session expired, please send again.';
        return;
      }
      if (!res.ok) {
        status.textContent = ((await res.json()) as { error: { message: string } }).error.message;
        return;
      }
      status.textContent = '';
      return;
    } catch {
      status.textContent = 'Network problem, retrying…';
      await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
    }
  }
}

input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    form.requestSubmit();
  }
});

void ensureSession().then(listen);
