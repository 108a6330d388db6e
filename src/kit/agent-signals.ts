import { maySeeConversation, type Holder, type Viewer } from '../domain/visibility.js';

/**
 * Ephemeral signals to the agents' open event streams (GET /api/events): the visitors list
 * changed, a customer is typing. Like SessionSignals they are pushed to the streams and
 * forgotten: no id, never stored, never replayed on reconnect; like them a customer's typing
 * reaches the other instances on one PostgreSQL through `relay` (the visitors signal does not
 * need to: every instance holds the visitors and signals its own streams). `holder` (data, so it crosses instances) limits a
 * signal to the agents who may see a conversation held so (a customer's typing); `to`, a
 * function, limits it too but keeps it in this process.
 */
export interface AgentSignal {
  event: 'visitors' | 'typing';
  data: Record<string, unknown>;
  holder?: Holder;
  to?: (viewer: Viewer) => boolean;
}

type Listener = (s: { event: string; data: unknown }) => void;

export class AgentSignals {
  private readonly listeners = new Map<Listener, Viewer>();
  /** Set where other instances exist: called with every signal published here without a `to`. */
  relay?: (signal: AgentSignal) => void;

  /** To this process's streams and, through `relay`, the other instances'; returns how many streams here got it. */
  publish(signal: AgentSignal): number {
    if (!signal.to) this.relay?.(signal);
    return this.deliver(signal);
  }

  /** To this process's streams only: what another instance relayed. */
  deliver(signal: AgentSignal): number {
    let n = 0;
    for (const [fn, viewer] of this.listeners) {
      if (signal.to && !signal.to(viewer)) continue;
      if (signal.holder && !maySeeConversation(viewer, signal.holder)) continue;
      fn({ event: signal.event, data: signal.data });
      n++;
    }
    return n;
  }

  subscribe(viewer: Viewer, fn: Listener): () => void {
    this.listeners.set(fn, viewer);
    return () => this.listeners.delete(fn);
  }
}

/** The `visitors` signal at most once per `everyMs` (the consoles refetch the list on it). */
const SIGNAL_EVERY_MS = 2000;
/** How often expiry is looked for: a visitor who stopped pinging leaves the list without a request of theirs. */
const SWEEP_EVERY_MS = 10_000;

/**
 * Tells agents' streams that GET /api/visitors changed: on each page view, link or leave
 * (throttled to one per 2 s, the last change always sent), and when a sweep finds visitors expired.
 */
export function signalVisitorChanges(
  visitors: { onChange?: () => void; signature(now: number): string },
  signals: AgentSignals,
  now: () => number = Date.now,
): () => void {
  let lastAt = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let seen = '';
  const send = () => {
    pending = undefined;
    lastAt = now();
    seen = visitors.signature(lastAt);
    // To this process's streams only: with several instances each holds the same visitors
    // (adapters/webchat/presence-relay.ts) and signals its own streams when its copy changes.
    signals.deliver({ event: 'visitors', data: { at: new Date(lastAt).toISOString() } });
  };
  const changed = () => {
    if (pending) return;
    const wait = lastAt + SIGNAL_EVERY_MS - now();
    if (wait <= 0) send();
    else pending = setTimeout(send, wait);
  };
  visitors.onChange = changed;
  const sweep = setInterval(() => {
    if (visitors.signature(now()) !== seen) changed();
  }, SWEEP_EVERY_MS);
  sweep.unref();
  return () => {
    clearInterval(sweep);
    clearTimeout(pending);
    visitors.onChange = undefined;
  };
}
