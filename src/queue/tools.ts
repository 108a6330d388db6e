import type { Priority } from '../domain/conversation.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { normalizeLabel } from '../domain/labels.js';
import { maySeeConversation } from '../domain/visibility.js';
import type { Clock } from '../domain/clock.js';
import type { Repos, Store } from '../store/store.js';
import type { AgentRow, ConversationRow } from '../store/ports.js';
import { audit } from '../audit/record.js';
import { findTeam } from '../routing/teams.js';
import { dropLabel, endSnooze, writeLabel, writePriority } from './annotations.js';

/** The longest snooze; a conversation set aside for longer is one to resolve instead. */
export const MAX_SNOOZE_MS = 90 * 86_400_000;
/** Most agents invited into one conversation. */
export const MAX_PARTICIPANTS = 20;

/** A conversation as the tools return it: the row, its labels and its participants. */
export interface AnnotatedConversation {
  conversation: ConversationRow;
  labels: string[];
  participantIds: string[];
}

/**
 * What agents do to a conversation beside its lifecycle: priority, labels, snooze, participants.
 * Any agent who may see the conversation (src/domain/visibility.ts) may use them; each is one
 * transaction with the row locked, audited, with its event.
 */
export class ConversationTools {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  setPriority(agent: AgentRow, id: string, priority: Priority): Promise<AnnotatedConversation> {
    return this.act(agent, id, async (r, c, now) => {
      if (c.priority === priority) return c;
      await audit(r, { by: agent.id, action: 'conversation.priority', subjectId: id, detail: { priority, from: c.priority }, now });
      return writePriority(r, c, priority, agent.id, now);
    });
  }

  addLabel(agent: AgentRow, id: string, raw: string): Promise<AnnotatedConversation> {
    const label = normalizeLabel(raw);
    return this.act(agent, id, async (r, c, now) => {
      if (await writeLabel(r, c, label, agent.id, now))
        await audit(r, { by: agent.id, action: 'conversation.label', subjectId: id, detail: { label }, now });
      return c;
    });
  }

  removeLabel(agent: AgentRow, id: string, raw: string): Promise<AnnotatedConversation> {
    const label = normalizeLabel(raw);
    return this.act(agent, id, async (r, c, now) => {
      if (!(await dropLabel(r, c, label, agent.id, now))) throw new NotFoundError(`conversation ${id} has no label "${label}"`);
      await audit(r, { by: agent.id, action: 'conversation.unlabel', subjectId: id, detail: { label }, now });
      return c;
    });
  }

  /** Sets the conversation aside until `until` (in the future, at most MAX_SNOOZE_MS away); snoozing again moves the time. */
  snooze(agent: AgentRow, id: string, until: number): Promise<AnnotatedConversation> {
    return this.act(agent, id, async (r, c, now) => {
      if (until <= now) throw new ValidationError('until: must be in the future', 'until');
      if (until > now + MAX_SNOOZE_MS)
        throw new ValidationError(`until: must be at most ${MAX_SNOOZE_MS / 86_400_000} days ahead`, 'until');
      if (c.status === 'resolved' || c.status === 'closed') throw new ConflictError(`cannot snooze a conversation that is ${c.status}`);
      await r.conversations.update(c.id, { snoozedUntil: until, updatedAt: now });
      await r.events.append(c.id, { type: 'snooze', data: { action: 'snooze', until, by: agent.id } }, now);
      await audit(r, { by: agent.id, action: 'conversation.snooze', subjectId: id, detail: { until: new Date(until).toISOString() }, now });
      return { ...c, snoozedUntil: until, updatedAt: now };
    });
  }

  unsnooze(agent: AgentRow, id: string): Promise<AnnotatedConversation> {
    return this.act(agent, id, async (r, c, now) => {
      if (c.snoozedUntil === null) throw new ConflictError('conversation is not snoozed');
      await audit(r, { by: agent.id, action: 'conversation.unsnooze', subjectId: id, detail: {}, now });
      return endSnooze(r, c, 'unsnooze', agent.id, now);
    });
  }

  addParticipant(agent: AgentRow, id: string, agentId: string): Promise<AnnotatedConversation> {
    return this.act(agent, id, async (r, c, now, participants) => {
      if (!(await r.agents.get(agentId))) throw new ValidationError(`unknown agent ${agentId}`, 'agentId');
      if (participants.includes(agentId)) return c;
      if (participants.length >= MAX_PARTICIPANTS) throw new ConflictError(`a conversation has at most ${MAX_PARTICIPANTS} participants`);
      await addParticipant(r, c, agentId, agent.id, now);
      await audit(r, { by: agent.id, action: 'conversation.participant_add', subjectId: id, detail: { agentId }, now });
      return c;
    });
  }

  /**
   * Invites every current member of a team (by id or name, like elsewhere) at once: one `participant`
   * event per agent added, one audit entry. Later members are not added: an invitation is of people,
   * and a team's membership changes without the conversation's holder knowing. The holder and agents
   * already invited are skipped; past MAX_PARTICIPANTS nothing is added.
   */
  inviteTeam(agent: AgentRow, id: string, teamRef: string): Promise<AnnotatedConversation> {
    return this.act(agent, id, async (r, c, now, participants) => {
      const team = findTeam(await r.teams.list(), teamRef);
      if (!team) throw new NotFoundError(`team ${teamRef} not found`);
      const added = (await r.teams.members(team.id)).filter((m) => m !== c.assigneeId && !participants.includes(m));
      if (added.length === 0) return c;
      if (participants.length + added.length > MAX_PARTICIPANTS)
        throw new ConflictError(`a conversation has at most ${MAX_PARTICIPANTS} participants; team ${team.id} would add ${added.length}`);
      for (const agentId of added) await addParticipant(r, c, agentId, agent.id, now);
      await audit(r, {
        by: agent.id,
        action: 'conversation.participant_add',
        subjectId: id,
        detail: { teamId: team.id, agentIds: added },
        now,
      });
      return c;
    });
  }

  removeParticipant(agent: AgentRow, id: string, agentId: string): Promise<AnnotatedConversation> {
    return this.act(agent, id, async (r, c, now) => {
      if (!(await r.participants.remove(c.id, agentId))) throw new NotFoundError(`agent ${agentId} is not a participant`);
      await r.events.append(c.id, { type: 'participant', data: { agentId, action: 'remove', by: agent.id } }, now);
      await audit(r, { by: agent.id, action: 'conversation.participant_remove', subjectId: id, detail: { agentId }, now });
      return c;
    });
  }

  /** Loads the conversation locked, checks the agent may see it, runs `fn`, and returns the result with its labels and participants. */
  private act(
    agent: AgentRow,
    id: string,
    fn: (r: Repos, c: ConversationRow, now: number, participants: string[]) => Promise<ConversationRow>,
  ): Promise<AnnotatedConversation> {
    return this.store.tx(async (r) => {
      const { conversation, participantIds } = await loadVisible(r, agent, id);
      const updated = await fn(r, conversation, this.clock.now().getTime(), participantIds);
      return {
        conversation: updated,
        labels: (await r.labels.of([id])).get(id) ?? [],
        participantIds: (await r.participants.of([id])).get(id) ?? [],
      };
    });
  }
}

/** The conversation, locked, if this agent may see it (held by nobody or by them, invited, or an admin); else 404 or 403. */
export async function loadVisible(
  r: Repos,
  agent: AgentRow,
  id: string,
): Promise<{ conversation: ConversationRow; participantIds: string[] }> {
  const conversation = await r.conversations.get(id, { lock: true });
  if (!conversation) throw new NotFoundError(`conversation ${id} not found`);
  const participantIds = (await r.participants.of([id])).get(id) ?? [];
  if (!maySeeConversation(agent, { assigneeId: conversation.assigneeId, participantIds }))
    throw new ForbiddenError('conversation is held by another agent');
  return { conversation, participantIds };
}

/** Invites an agent and appends the event that shows them the conversation; false when they were invited already. */
export async function addParticipant(r: Repos, c: ConversationRow, agentId: string, by: string, now: number): Promise<boolean> {
  if (!(await r.participants.add({ conversationId: c.id, agentId, addedBy: by, createdAt: now }))) return false;
  await r.events.append(c.id, { type: 'participant', data: { agentId, action: 'add', by } }, now);
  return true;
}
