import type { Clock } from '../domain/clock.js';
import { SYSTEM } from '../domain/events.js';
import { applyTransition } from '../lifecycle/apply.js';
import { audit } from '../audit/record.js';
import { CoalescedRunner } from '../kit/coalesced-runner.js';
import type { Repos, Store } from '../store/store.js';
import { effectiveStatus } from '../domain/presence.js';
import { ROUTING_DEFAULTS } from './presence.js';

/** How many conversations one drain of a team assigns at most before it yields (it is requested again while work remains). */
const DRAIN_BATCH = 200;

/**
 * Auto-assignment for teams with `autoAssign`: the team's queued conversation that comes first
 * (highest priority, then longest waiting) goes to the online member with the fewest open
 * conversations below their capacity; ties go round-robin by `lastAssignedAt`, which is stored,
 * so turns survive restarts and are shared by instances. Nobody free: the conversation waits,
 * and the next drain (someone comes online, a slot frees, a hand-off, the periodic sweep) takes
 * it.
 *
 * Each assignment is one transaction taking, in this order, the team's lock, the conversation's
 * row lock and the agent's lock, then counting the agent's open conversations again, so two
 * instances (or a claim, which takes conversation then agent) can neither assign a conversation
 * twice nor put an agent over capacity. The state change is the lifecycle's `assign` transition,
 * whose `status` event reaches the agent's stream.
 */
export class AutoAssigner {
  private readonly runners = new Map<string, CoalescedRunner>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** AGENT_AWAY_AFTER_SECONDS in ms: a silent agent is offline (src/domain/presence.ts). */
    private readonly awayMs: number,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Drains a team now (coalesced with a drain in progress); null or unknown teams are ignored. */
  kick(teamId: string | null | undefined): void {
    if (!teamId) return;
    let runner = this.runners.get(teamId);
    if (!runner) {
      runner = new CoalescedRunner(() => this.drainTeam(teamId).then(() => undefined), { onError: this.onError });
      this.runners.set(teamId, runner);
    }
    runner.request();
  }

  /** Drains the teams an agent belongs to (they came online, or freed a slot). */
  kickAgent(agentId: string): void {
    void this.store
      .read((r) => r.teams.teamsOf([agentId]))
      .then((m) => (m.get(agentId) ?? []).forEach((t) => this.kick(t)))
      .catch(this.onError);
  }

  /** Drains every team (at start, and periodically as a safety net). */
  async kickAll(): Promise<void> {
    const teams = await this.store.read((r) => r.teams.list());
    for (const t of teams) if (t.autoAssign) this.kick(t.id);
  }

  /** Resolves when no drain is running (tests). */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.runners.values()].flatMap((r) => (r.running ? [r.running] : []));
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  /** Assigns until nobody is free or nothing waits; returns how many were assigned. */
  async drainTeam(teamId: string): Promise<number> {
    let n = 0;
    for (let tries = 0; n < DRAIN_BATCH && tries < 2 * DRAIN_BATCH; tries++) {
      const outcome = await this.store.tx((r) => this.assignOne(r, teamId));
      if (outcome === 'done') break;
      if (outcome === 'assigned') n++;
    }
    if (n === DRAIN_BATCH) this.kick(teamId);
    return n;
  }

  private async assignOne(r: Repos, teamId: string): Promise<'assigned' | 'retry' | 'done'> {
    await r.lock(`assign:team:${teamId}`);
    const team = await r.teams.get(teamId);
    if (!team || team.autoAssign !== 1) return 'done';
    const [first] = await r.conversations.list({ status: 'queued', team: teamId, limit: 1 });
    if (!first) return 'done';
    const now = this.clock.now().getTime();
    const members = await r.teams.members(teamId);
    const routing = await r.agentRouting.byIds(members);
    const online = members.filter((id) => effectiveStatus(routing.get(id), now, this.awayMs) === 'online');
    if (online.length === 0) return 'done';
    const open = await r.conversations.openCounts(online);
    const turn = (id: string) => routing.get(id)?.lastAssignedAt ?? -1;
    const candidates = online
      .map((id) => ({ id, open: open.get(id) ?? 0, capacity: routing.get(id)!.capacity }))
      .filter((a) => a.open < a.capacity)
      .sort((a, b) => a.open - b.open || turn(a.id) - turn(b.id) || (a.id < b.id ? -1 : 1));
    if (candidates.length === 0) return 'done';
    const c = await r.conversations.get(first.id, { lock: true });
    // Claimed, resolved or re-routed since the list read it (another transaction committed meanwhile).
    if (!c || c.status !== 'queued' || c.team !== teamId) return 'retry';
    for (const cand of candidates) {
      await r.lock(`assign:agent:${cand.id}`);
      // Counted again under the agent's lock: a claim or another instance may have given them one meanwhile.
      const held = (await r.conversations.openCounts([cand.id])).get(cand.id) ?? 0;
      if (held >= cand.capacity) continue;
      // Strictly after every member's last turn, so ties rotate even when the clock has not moved.
      const lastTurn = Math.max(now, ...members.map((id) => turn(id) + 1));
      await r.agentRouting.upsert(cand.id, { lastAssignedAt: lastTurn }, ROUTING_DEFAULTS);
      await audit(r, {
        by: SYSTEM,
        action: 'conversation.assign',
        subjectId: c.id,
        detail: { agentId: cand.id, team: teamId, from: c.status },
        now,
      });
      await applyTransition(r, c, { type: 'assign', agentId: cand.id }, { by: SYSTEM, now });
      return 'assigned';
    }
    return 'done';
  }
}
