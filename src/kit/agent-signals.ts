import type { Viewer } from '../domain/visibility.js';

/**
 * Ephemeral signals to the agents' open event streams (GET /api/events): the visitors list
 * changed, a customer is typing. Like SessionSignals they are pushed to the streams of this
 * process and forgotten: no id, never stored, never replayed on reconnect. `to` decides which
 * agents get one (a customer's typing goes only to those who may see the conversation).
 */
export interface AgentSignal {
  event: 'visitors' | 'typing';
  data: Record<string, unknown>;
  to?: (viewer: Viewer) => boolean;
}

type Listener = (s: { event: string; data: unknown }) => void;

export class AgentSignals {
  private readonly listeners = new Map<Listener, Viewer>();

  /** Returns how many streams it was pushed to. */
  publish(signal: AgentSignal): number {
    let n = 0;
    for (const [fn, viewer] of this.listeners) {
      if (signal.to && !signal.to(viewer)) continue;
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
    signals.publish({ event: 'visitors', data: { at: new Date(lastAt).toISOString() } });
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
