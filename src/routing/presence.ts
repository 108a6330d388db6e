import type { Clock } from '../domain/clock.js';
import { DEFAULT_CAPACITY, effectiveStatus, type AgentStatus } from '../domain/presence.js';
import type { AgentRoutingRow } from '../store/ports.js';
import type { Store } from '../store/store.js';

/** What an agent without a routing row is: offline, default capacity, never assigned. */
export const ROUTING_DEFAULTS: Omit<AgentRoutingRow, 'agentId'> = {
  capacity: DEFAULT_CAPACITY,
  status: 'offline',
  lastSeenAt: null,
  lastAssignedAt: null,
};

/**
 * Where agents are present: the status they set (POST /api/me/status) and when they were last
 * seen, which every authenticated request and every open event stream keeps fresh. An agent
 * silent for longer than `awayMs` (AGENT_AWAY_AFTER_SECONDS) counts as offline. Presence is in the
 * database, so every instance sees the same.
 */
export class Presence {
  /** When this process last wrote each agent's presence, so most requests write nothing. */
  private readonly written = new Map<string, number>();
  private readonly streams = new Map<string, { count: number; timer: NodeJS.Timeout }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly awayMs: number,
    /** Called after an agent became (or may have become) available again: the auto-assigner looks. */
    private readonly onAvailable: (agentId: string) => void = () => {},
  ) {}

  /** Presence is refreshed at most this often; well inside the away timeout. */
  get refreshMs(): number {
    return Math.max(1000, Math.min(30_000, Math.floor(this.awayMs / 4)));
  }

  status(row: AgentRoutingRow | undefined, now = this.clock.now().getTime()): AgentStatus {
    return effectiveStatus(row, now, this.awayMs);
  }

  /** The agent made a request (or holds a stream open). */
  async seen(agentId: string): Promise<void> {
    const now = this.clock.now().getTime();
    const last = this.written.get(agentId);
    if (last !== undefined && now - last < this.refreshMs && now >= last) return;
    this.written.set(agentId, now);
    const before = await this.store.tx(async (r) => {
      const row = await r.agentRouting.get(agentId);
      if (row && row.status !== 'offline') await r.agentRouting.touch(agentId, now, 0);
      return row;
    });
    // Back after being away: conversations waiting in their teams may go to them now.
    if (before && before.status === 'online' && this.status(before, now) === 'offline') this.onAvailable(agentId);
  }

  async setStatus(agentId: string, status: AgentStatus): Promise<AgentRoutingRow> {
    const now = this.clock.now().getTime();
    this.written.set(agentId, now);
    const row = await this.store.tx(async (r) => {
      await r.agentRouting.upsert(agentId, { status, lastSeenAt: now }, ROUTING_DEFAULTS);
      return (await r.agentRouting.get(agentId))!;
    });
    if (status === 'online') this.onAvailable(agentId);
    return row;
  }

  /** An event stream of the agent opened: they count as present until `close()` (refreshed on a timer). */
  streamOpened(agentId: string): () => void {
    const held = this.streams.get(agentId);
    if (held) held.count++;
    else {
      const timer = setInterval(() => void this.seen(agentId).catch(() => undefined), this.refreshMs);
      timer.unref();
      this.streams.set(agentId, { count: 1, timer });
    }
    void this.seen(agentId).catch(() => undefined);
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      const s = this.streams.get(agentId);
      if (!s) return;
      if (--s.count === 0) {
        clearInterval(s.timer);
        this.streams.delete(agentId);
      }
    };
  }

  stop(): void {
    for (const s of this.streams.values()) clearInterval(s.timer);
    this.streams.clear();
  }
}
