/**
 * Ephemeral signals to a web chat session's open streams (an agent is typing): pushed to the
 * streams and forgotten, never stored and never replayed on reconnect. With several instances
 * on one PostgreSQL, `relay` passes each signal to the other instances (NOTIFY, see
 * src/store/pg/notify.ts), which `deliver` it to their own streams of the session, so the visitor
 * sees the agent typing whichever instance either of them landed on. It is a hint: one lost while
 * an instance reconnects to the database is not sent again, and the reply itself goes through the store.
 */
export interface SessionSignal {
  event: 'typing';
  data: Record<string, unknown>;
}

export class SessionSignals {
  private readonly listeners = new Map<string, Set<(s: SessionSignal) => void>>();
  /**
   * Set where other instances exist: called with every signal published here (not those
   * delivered from elsewhere); true when it went to them (false: too big, or not connected).
   */
  relay?: (sessionId: string, signal: SessionSignal) => boolean;

  /**
   * To this process's streams of the session and, through `relay`, the other instances'; returns
   * how many streams here got it and, where other instances exist, whether it went to them (who
   * got it there, if anyone, this instance does not learn).
   */
  publish(sessionId: string, signal: SessionSignal): { streams: number; relayed?: boolean } {
    const relayed = this.relay?.(sessionId, signal);
    return { streams: this.deliver(sessionId, signal), ...(relayed === undefined ? {} : { relayed }) };
  }

  /** To this process's streams only: what another instance relayed. */
  deliver(sessionId: string, signal: SessionSignal): number {
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
