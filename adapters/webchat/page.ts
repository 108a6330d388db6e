import { randomBytes } from 'node:crypto';

/**
 * The customer's chat page: no framework; message text is put in the DOM as text nodes, never
 * parsed as HTML. A per-response nonce lets only this page's own script and style run.
 */
export function chatPageResponse(): Response {
  const nonce = randomBytes(16).toString('base64');
  return new Response(chatPage(nonce), {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'`,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  });
}

function chatPage(nonce: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Chat with us</title>
<style nonce="${nonce}">
body{font:16px system-ui,sans-serif;margin:0;display:flex;flex-direction:column;height:100vh;background:#f4f5f7}
header{padding:12px 16px;background:#1f2937;color:#fff;font-weight:600}
#log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:8px}
.msg{max-width:75%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}
.in{align-self:flex-end;background:#2563eb;color:#fff}
.out{align-self:flex-start;background:#fff;border:1px solid #ddd}
.who{font-size:12px;color:#666;margin-bottom:2px}
form{display:flex;gap:8px;padding:12px;background:#fff;border-top:1px solid #ddd}
textarea{flex:1;resize:none;font:inherit;padding:8px}
button{font:inherit;padding:8px 16px}
#status{font-size:12px;color:#a00;padding:0 16px}
</style></head>
<body>
<header>Chat with us</header>
<div id="log" aria-live="polite"></div>
<div id="status"></div>
<form id="f"><textarea id="t" rows="2" maxlength="16000" placeholder="Type your message… (type “human” to reach a person)"></textarea><button>Send</button></form>
<script nonce="${nonce}">
(() => {
  const log = document.getElementById('log'), form = document.getElementById('f'), input = document.getElementById('t'), status = document.getElementById('status');
  const seen = new Set();
  let session = JSON.parse(localStorage.getItem('switchboard.session') || 'null');
  async function ensureSession() {
    if (session) return session;
    const res = await fetch('/webchat/sessions', { method: 'POST' });
    session = await res.json();
    localStorage.setItem('switchboard.session', JSON.stringify(session));
    return session;
  }
  function show(m) {
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
    m.text.split(/\\*\\*(.+?)\\*\\*/s).forEach((part, i) => {
      if (!part) return;
      if (i % 2) { const b = document.createElement('strong'); b.textContent = part; div.appendChild(b); }
      else div.appendChild(document.createTextNode(part));
    });
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }
  function listen(s) {
    const es = new EventSource('/webchat/sessions/' + encodeURIComponent(s.sessionId) + '/events?secret=' + encodeURIComponent(s.secret));
    es.addEventListener('message', (e) => show(JSON.parse(e.data)));
    es.onerror = () => { status.textContent = 'Reconnecting…'; };
    es.onopen = () => { status.textContent = ''; };
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    const s = await ensureSession();
    const clientMessageId = crypto.randomUUID();
    input.value = '';
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const res = await fetch('/webchat/sessions/' + encodeURIComponent(s.sessionId) + '/messages', {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + s.secret },
          body: JSON.stringify({ text, clientMessageId }),
        });
        if (res.status === 404 || res.status === 401) { localStorage.removeItem('switchboard.session'); session = null; status.textContent = 'Session expired, please send again.'; return; }
        if (!res.ok) { status.textContent = (await res.json()).error.message; return; }
        status.textContent = '';
        return;
      } catch { status.textContent = 'Network problem, retrying…'; await new Promise((r) => setTimeout(r, 1000 * (attempt + 1))); }
    }
  });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); } });
  ensureSession().then(listen);
})();
</script>
</body></html>`;
}
