/**
 * Where the chat keeps its session (id + secret) between page loads. In order:
 * 1. its own localStorage, when the browser allows it (first-party, or a partitioned third-party frame);
 * 2. framed by widget.js with its own storage blocked (third-party storage off, some private
 *    modes): the host page's localStorage, through postMessage to widget.js, which keeps it under
 *    a `switchboard.widget:` key — the conversation then follows the visitor across the shop's pages;
 * 3. memory: the chat still works for this page's life.
 */

const KEY = 'switchboard.session';

export interface SessionStore {
  get(): Promise<string | null>;
  set(value: string | null): void;
  readonly kind: 'local' | 'parent' | 'memory';
}

function ownStorage(): Storage | undefined {
  try {
    const probe = '__switchboard_probe';
    localStorage.setItem(probe, '1');
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    return undefined;
  }
}

/** `host`: the embedding page's origin (from widget.js); messages are posted to it only, so nothing reaches another page. */
export function sessionStore(host: string | null): SessionStore {
  const own = ownStorage();
  if (own)
    return {
      kind: 'local',
      get: async () => own.getItem(KEY),
      set: (v) => (v === null ? own.removeItem(KEY) : own.setItem(KEY, v)),
    };
  let memory: string | null = null;
  if (host && window.parent !== window) {
    const parent = window.parent;
    return {
      kind: 'parent',
      get: () =>
        new Promise((resolve) => {
          const timer = setTimeout(() => done(memory), 1500);
          function done(v: string | null) {
            clearTimeout(timer);
            window.removeEventListener('message', onMessage);
            resolve(v);
          }
          function onMessage(e: MessageEvent) {
            const data = e.data as { type?: string; value?: unknown };
            if (e.source !== parent || e.origin !== host || data?.type !== 'switchboard:stored') return;
            done(typeof data.value === 'string' ? data.value : memory);
          }
          window.addEventListener('message', onMessage);
          parent.postMessage({ type: 'switchboard:get' }, host);
        }),
      set: (v) => {
        memory = v;
        parent.postMessage({ type: 'switchboard:set', value: v }, host);
      },
    };
  }
  return { kind: 'memory', get: async () => memory, set: (v) => (memory = v) };
}
