import type { InboxItem } from './types.js';

/**
 * What this agent has read, kept in localStorage per agent (so it survives a reload and is shared
 * by the agent's tabs, but not by colleagues; the server has no read receipts). A conversation is
 * unread when its last customer message is newer than the agent last had it open.
 */
const key = (agentId: string) => 'switchboard.seen.' + agentId;
const MAX_KEPT = 2000;

export class ReadMarks {
  private seen: Record<string, string> = {};
  constructor(private readonly agentId: string) {
    try {
      this.seen = JSON.parse(localStorage.getItem(key(agentId)) ?? '{}') as Record<string, string>;
    } catch {
      this.seen = {};
    }
  }

  isUnread(item: InboxItem): boolean {
    const said = item.lastCustomerMessage?.createdAt;
    if (!said) return false;
    const seen = this.seen[item.id];
    return !seen || seen < said;
  }

  /** Marks read through `at` (an ISO time from the server, so clock skew does not matter). */
  markRead(id: string, at: string): void {
    if ((this.seen[id] ?? '') >= at) return;
    this.seen[id] = at;
    const ids = Object.keys(this.seen);
    // Oldest marks go first once there are many, so the entry stays small.
    if (ids.length > MAX_KEPT) {
      for (const old of ids.sort((a, b) => (this.seen[a]! < this.seen[b]! ? -1 : 1)).slice(0, ids.length - MAX_KEPT)) delete this.seen[old];
    }
    try {
      localStorage.setItem(key(this.agentId), JSON.stringify(this.seen));
    } catch {
      // Kept for this page only.
    }
  }
}
