/**
 * widget.js: the one line a shop pastes,
 *   <script src="https://support.example/widget.js" data-site="KEY" async></script>
 * adds a chat bubble that opens the chat page (/chat?embed=1) in an iframe.
 *
 * Why an iframe and not the whole chat in the shadow root: the chat then runs on the support
 * origin, under its own strict CSP, talking to its own API same-origin; the host page's scripts
 * cannot read the conversation out of the DOM, the shop's CSP needs only `frame-src` for us, and
 * `frame-ancestors` (WIDGET_ORIGINS) decides who may embed it. The shadow root holds just the
 * bubble and the panel's frame, so the host's CSS cannot reach them and ours cannot leak out.
 *
 * Before the bubble is clicked this costs one small JSON request (the shop's name, colour and
 * position; refused by CORS on a site not in WIDGET_ORIGINS, and then nothing is shown) and one
 * stylesheet. A visitor who already chatted gets the frame loaded hidden, so replies that arrive
 * while they browse show as an unread count on the bubble.
 */

interface Look {
  name: string;
  color: string;
  position: 'right' | 'left';
  lang: 'en' | 'zh';
}

const me = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="/widget.js"]');
const SUPPORT = me ? new URL(me.src, location.href).origin : location.origin;
/** Where the chat's session lives when the frame's own storage is blocked (third-party contexts). */
const STORE_KEY = 'switchboard.widget:' + SUPPORT;
/** Set once this visitor has a conversation, so later page loads prepare the frame for the badge. */
const ACTIVE_KEY = 'switchboard.widget.active:' + SUPPORT;

const OPEN_LABEL = { en: 'Chat with {name}', zh: '与{name}聊天' };
const CLOSE_LABEL = { en: 'Close chat', zh: '关闭聊天' };
const UNREAD_LABEL = { en: '{n} unread', zh: '{n} 条未读' };
const DISMISS_LABEL = { en: 'No thanks', zh: '不用了' };
const INVITE_DEFAULT = { en: 'Hi! Can we help you with anything?', zh: '您好！有什么可以帮您的吗？' };
/** This visit's invitation state (sessionStorage: a visit is the tab's life), else memory. */
const INVITE_KEY = 'switchboard.widget.invite:' + SUPPORT;
const memory: Record<string, string> = {};

function visitGet(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return memory[key] ?? null;
  }
}

function visitSet(key: string, value: string): void {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    memory[key] = value;
  }
}

interface InviteRule {
  pattern: string;
  minSeconds: number;
  minVisits: number;
  message: { en: string; zh: string };
}

/** A glob (`*` for anything, the whole URL or its path) or else a substring of the URL. */
function urlMatches(pattern: string): boolean {
  if (!pattern.includes('*')) return location.href.includes(pattern);
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
  );
  return re.test(location.href) || re.test(location.pathname);
}

function hostGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function hostSet(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // The host page's storage is blocked too: the chat lasts for this page's life only.
  }
}

function pageLang(): 'en' | 'zh' {
  const wanted = me?.dataset.lang || document.documentElement.lang || navigator.language || '';
  return wanted.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

function make<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = cls;
  return node;
}

function mount(look: Look, visitorId: string): (text: string) => void {
  const host = make('div', '');
  host.setAttribute('data-switchboard-widget', '');
  // CSSOM, not a style attribute: allowed under the shop's CSP. The shadow styles read it.
  host.style.setProperty('--sb-color', look.color);
  const root = host.attachShadow({ mode: 'open' });
  const sheet = make('link', '');
  sheet.rel = 'stylesheet';
  sheet.href = SUPPORT + '/widget.css';
  const box = make('div', 'sb ' + look.position);
  const panel = make('div', 'panel');
  panel.hidden = true;
  const bubble = make('button', 'bubble');
  bubble.type = 'button';
  bubble.setAttribute('aria-expanded', 'false');
  const icon = make('span', 'icon');
  icon.setAttribute('aria-hidden', 'true');
  const badge = make('span', 'badge');
  badge.hidden = true;
  bubble.append(icon, badge);
  box.append(panel, bubble);
  root.append(sheet, box);
  // Shown once its stylesheet is in, so the bubble never flashes unstyled.
  box.hidden = true;
  sheet.addEventListener('load', () => (box.hidden = false));
  document.body.append(host);

  let frame: HTMLIFrameElement | undefined;
  let open = false;
  let unread = 0;
  const openLabel = OPEN_LABEL[look.lang].replace('{name}', look.name);

  const label = () => {
    const base = open ? CLOSE_LABEL[look.lang] : openLabel;
    bubble.setAttribute('aria-label', unread && !open ? `${base} (${UNREAD_LABEL[look.lang].replace('{n}', String(unread))})` : base);
    badge.textContent = unread > 99 ? '99+' : String(unread);
    badge.hidden = open || unread === 0;
    bubble.classList.toggle('open', open);
  };
  label();

  const ensureFrame = (): HTMLIFrameElement => {
    if (frame) return frame;
    const q = new URLSearchParams({ embed: '1', host: location.origin, lang: look.lang });
    if (me?.dataset.site) q.set('site', me.dataset.site);
    if (me?.dataset.userId) q.set('userId', me.dataset.userId);
    if (me?.dataset.userHash) q.set('userHash', me.dataset.userHash);
    // The chat links its session to this visitor, so agents see the pages beside the conversation.
    q.set('visitor', visitorId);
    frame = make('iframe', 'frame');
    frame.title = openLabel;
    frame.src = `${SUPPORT}/chat?${q.toString()}`;
    panel.append(frame);
    return frame;
  };

  const post = (msg: object) => frame?.contentWindow?.postMessage(msg, SUPPORT);
  /** An invitation's message, shown as the chat's greeting once the frame is ready. */
  let greeting: string | undefined;
  let ready = false;
  const sendGreeting = () => {
    if (greeting && ready) post({ type: 'switchboard:greeting', text: greeting });
  };

  const setOpen = (next: boolean) => {
    open = next;
    if (open) {
      ensureFrame();
      unread = 0;
    }
    panel.hidden = !open;
    bubble.setAttribute('aria-expanded', String(open));
    label();
    post({ type: 'switchboard:visible', visible: open });
    if (open) frame?.focus();
    else bubble.focus();
  };

  bubble.addEventListener('click', () => setOpen(!open));

  window.addEventListener('message', (e: MessageEvent) => {
    // Only our own frame speaks this protocol; anything else on the page is ignored.
    if (!frame || e.source !== frame.contentWindow || e.origin !== SUPPORT) return;
    const data = e.data as { type?: string; value?: unknown; count?: unknown };
    switch (data?.type) {
      case 'switchboard:ready':
        ready = true;
        post({ type: 'switchboard:visible', visible: open });
        sendGreeting();
        break;
      case 'switchboard:get':
        post({ type: 'switchboard:stored', value: hostGet(STORE_KEY) });
        break;
      case 'switchboard:set':
        hostSet(STORE_KEY, typeof data.value === 'string' ? data.value : null);
        break;
      case 'switchboard:active':
        hostSet(ACTIVE_KEY, '1');
        break;
      case 'switchboard:unread':
        unread = open ? 0 : Math.max(0, Number(data.count) || 0);
        label();
        break;
      case 'switchboard:close':
        setOpen(false);
        break;
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && open) setOpen(false);
  });

  // The invitation: a small bubble above the chat bubble, the message as text (never HTML).
  const invite = make('div', 'invite');
  invite.hidden = true;
  const inviteText = make('button', 'invite-text');
  inviteText.type = 'button';
  const dismiss = make('button', 'invite-close');
  dismiss.type = 'button';
  dismiss.textContent = '×';
  dismiss.setAttribute('aria-label', DISMISS_LABEL[look.lang]);
  invite.append(inviteText, dismiss);
  box.insertBefore(invite, bubble);
  inviteText.addEventListener('click', () => {
    greeting = inviteText.textContent ?? undefined;
    invite.hidden = true;
    visitSet(INVITE_KEY, 'accepted');
    setOpen(true);
    sendGreeting();
  });
  dismiss.addEventListener('click', () => {
    invite.hidden = true;
    visitSet(INVITE_KEY, 'dismissed');
    onDismiss();
    bubble.focus();
  });

  if (hostGet(ACTIVE_KEY)) {
    // After the shop's own page work: idle time where the browser has it (Safari does not).
    if ('requestIdleCallback' in window) requestIdleCallback(() => void ensureFrame());
    else setTimeout(() => void ensureFrame(), 1500);
  }
  return (text: string) => {
    if (open || visitGet(INVITE_KEY)) return;
    inviteText.textContent = text;
    invite.hidden = false;
  };
}

/** Set once presence runs: tells the server this visitor dismissed an invitation (no manual ones then). */
let onDismiss = () => {};

/** This browser's visitor id for presence (kept in the shop page's storage) and its count of visits. */
function visitorIdentity(): { visitorId: string; visits: number } {
  const VISITOR_KEY = 'switchboard.widget.visitor:' + SUPPORT;
  const VISITS_KEY = 'switchboard.widget.visits:' + SUPPORT;
  let visitorId = hostGet(VISITOR_KEY);
  if (!visitorId || !/^[A-Za-z0-9_-]{16,64}$/.test(visitorId)) {
    visitorId = crypto.randomUUID().replace(/-/g, '');
    hostSet(VISITOR_KEY, visitorId);
  }
  let visits = Math.max(0, Number(hostGet(VISITS_KEY)) || 0);
  // A visit is a browser tab session: sessionStorage marks the ones already counted.
  let counted = false;
  try {
    counted = sessionStorage.getItem(VISITS_KEY) === '1';
    sessionStorage.setItem(VISITS_KEY, '1');
  } catch {
    // blocked: every page load counts as it did before, at least one visit
  }
  if (!counted || !visits) hostSet(VISITS_KEY, String(++visits));
  return { visitorId, visits };
}

/**
 * Presence: this page view, a heartbeat every 30 s while the tab is visible, and leaving. Sent as
 * text/plain so a page view costs one request, no CORS preflight; `keepalive` lets the last one
 * outlive the page. A single-page app's own navigations (pushState, replaceState, back and
 * forward) count as page views too.
 */
function reportPresence(visitorId: string, visits: number, invite: (text: string) => void, lang: 'en' | 'zh'): void {
  let pageId = crypto.randomUUID();
  const send = (kind: 'view' | 'ping' | 'leave', extra: object = {}) =>
    void fetch(SUPPORT + '/webchat/presence', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ visitorId, kind, pageId, ...extra }),
      credentials: 'omit',
      keepalive: true,
    })
      .then(async (res) => {
        // An agent's invitation rides on the heartbeat's answer.
        if (res.status !== 200) return;
        const body = (await res.json()) as { invite?: { text: string | null } };
        if (body.invite) invite(body.invite.text || INVITE_DEFAULT[lang]);
      })
      .catch(() => undefined);
  onDismiss = () => send('ping', { dismissed: true });
  // The site they came from: only another site's referrer counts, not the shop's own pages.
  const referrer = document.referrer && new URL(document.referrer).origin !== location.origin ? document.referrer : '';
  let shown = location.href;
  send('view', {
    url: shown,
    title: document.title,
    referrer,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    language: navigator.language,
    visits,
  });
  const moved = () => {
    // An app sets the new title just after navigating: read it once that has happened.
    setTimeout(() => {
      if (location.href === shown) return;
      shown = location.href;
      pageId = crypto.randomUUID();
      send('view', { url: shown, title: document.title });
    }, 100);
  };
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name].bind(history);
    history[name] = (...args: Parameters<History['pushState']>) => {
      original(...args);
      moved();
    };
  }
  addEventListener('popstate', moved);
  setInterval(() => {
    if (document.visibilityState === 'visible') send('ping');
  }, 30_000);
  addEventListener('pagehide', () => send('leave'));
}

async function start(): Promise<void> {
  let res: Response;
  try {
    res = await fetch(SUPPORT + '/webchat/config', { credentials: 'omit' });
  } catch {
    console.warn(`switchboard widget: ${SUPPORT} refused this site (${location.origin}); add it to WIDGET_ORIGINS`);
    return;
  }
  if (!res.ok) return;
  const cfg = (await res.json()) as Omit<Look, 'lang'>;
  const lang = pageLang();
  const { visitorId, visits } = visitorIdentity();
  const invite = mount({ ...cfg, lang }, visitorId);
  reportPresence(visitorId, visits, invite, lang);
  void inviteByRules(invite, lang, visits);
}

/** The admin's invitation rules, evaluated here: the first whose URL matches fires after its time on the page. */
async function inviteByRules(invite: (text: string) => void, lang: 'en' | 'zh', visits: number): Promise<void> {
  const started = Date.now();
  let rules: InviteRule[];
  try {
    rules = ((await (await fetch(SUPPORT + '/webchat/invite-rules', { credentials: 'omit' })).json()) as { rules: InviteRule[] }).rules;
  } catch {
    return;
  }
  const rule = rules.find((r) => visits >= r.minVisits && urlMatches(r.pattern));
  if (rule) setTimeout(() => invite(rule.message[lang]), Math.max(0, rule.minSeconds * 1000 - (Date.now() - started)));
}

if (document.body) void start();
else document.addEventListener('DOMContentLoaded', () => void start(), { once: true });
