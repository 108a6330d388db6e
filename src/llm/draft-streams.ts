/**
 * Drafts being written right now, in this process: the text so far and who is listening, so an
 * agent's SSE stream can be handed every delta in order (the text so far first, then the rest
 * as it comes), and a draft can be cancelled. A finished draft leaves; its row is the truth.
 */
import type { DraftStatus } from '../store/ports.js';

export type DraftStreamEvent = { type: 'delta'; text: string } | { type: 'end'; status: DraftStatus; reason: string | null };

interface Live {
  text: string;
  listeners: Set<(e: DraftStreamEvent) => void>;
  controller: AbortController;
}

export class DraftStreams {
  private readonly live = new Map<string, Live>();

  open(draftId: string, controller: AbortController): void {
    this.live.set(draftId, { text: '', listeners: new Set(), controller });
  }

  push(draftId: string, delta: string): void {
    const d = this.live.get(draftId);
    if (!d || !delta) return;
    d.text += delta;
    for (const l of d.listeners) l({ type: 'delta', text: delta });
  }

  finish(draftId: string, status: DraftStatus, reason: string | null): void {
    const d = this.live.get(draftId);
    if (!d) return;
    this.live.delete(draftId);
    for (const l of d.listeners) l({ type: 'end', status, reason });
  }

  /**
   * Follows a live draft: `listener` gets the text so far as one delta, then each new one, then
   * the end. Returns the unsubscribe, or undefined when the draft is not live here.
   */
  follow(draftId: string, listener: (e: DraftStreamEvent) => void): (() => void) | undefined {
    const d = this.live.get(draftId);
    if (!d) return undefined;
    if (d.text) listener({ type: 'delta', text: d.text });
    d.listeners.add(listener);
    return () => d.listeners.delete(listener);
  }

  /** Aborts a live draft; false when it is not live here. */
  cancel(draftId: string, reason: string): boolean {
    const d = this.live.get(draftId);
    if (!d) return false;
    d.controller.abort(new DraftCancelled(reason));
    return true;
  }
}

export class DraftCancelled extends Error {
  constructor(readonly reason: string) {
    super(`draft cancelled: ${reason}`);
  }
}
