/**
 * Ephemeral signals to a web chat session's open streams (an agent is typing): pushed to the
 * streams of this process and forgotten, never stored and never replayed on reconnect. With
 * several instances behind a load balancer a signal reaches only the streams of the instance the
 * agent's request landed on; it is a hint, and the reply itself goes through the store.
 */
export interface SessionSignal {
  event: 'typing';
  data: Record<string, unknown>;
}

export class SessionSignals {
  private readonly listeners = new Map<string, Set<(s: SessionSignal) => void>>();

  publish(sessionId: string, signal: SessionSignal): number {
    const set = this.listeners.get(sessionId);
    for (const fn of set ?? []) fn(signal);
    return set?.size ?? 0;
  }

  subscribe(sessionId: string, fn: (s: SessionSignal) => void): () => void {
    let set = this.listeners.get(sessionId);
    if (!set) this.listeners.set(sessionId, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (!set.size) this.listeners.delete(sessionId);
    };
  }
}
