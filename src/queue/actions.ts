import { uploadsForReply, type OutboundFilePolicy } from '../attachments/outbound.js';
import { transition, type ConversationEvent } from '../domain/conversation.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { DEFAULT_CAPACITY } from '../domain/presence.js';
import { newId } from '../domain/ids.js';
import type { Clock } from '../domain/clock.js';
import type { Choice } from '../domain/channel.js';
import type { Repos, Store } from '../store/store.js';
import type { AgentRow, ConversationRow, DraftRow, MessageRow } from '../store/ports.js';
import { normalisedEditDistance } from '../kit/edit-distance.js';
import { enqueueReply } from '../outbox/enqueue.js';
import { csatChoices } from '../pipeline/csat.js';
import { csatQuestion } from '../pipeline/replies.js';
import { applyTransition, markAnswered } from '../lifecycle/apply.js';
import { audit } from '../audit/record.js';
import { mentionedAgents } from '../domain/mentions.js';
import { addParticipant } from './tools.js';

/** Called after an action commits that may let the auto-assigner place a conversation (src/routing/assigner.ts). */
export interface QueueHooks {
  /** A conversation went back to a team's queue, or an agent freed a slot. */
  freed(change: { team: string | null; agentIds: string[] }): void;
  /** A conversation was transferred to another agent (after the commit). */
  transferred?(conversationId: string): void;
}

/** What agents do to a conversation. Each action is one transaction with the conversation row locked. */
export class QueueActions {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hooks: QueueHooks = { freed: () => {} },
  ) {}

  /**
   * Takes a queued conversation. Capacity binds claims as it binds the auto-assigner: an agent
   * holding `capacity` open conversations is refused (409) until they free one, so the promise
   * "nobody above capacity" holds however work arrives. Under the agent's lock, after the
   * conversation's, as the auto-assigner takes them. Handing an agent more than their capacity is
   * a deliberate act: a transfer, which does not check it.
   */
  claim(agent: AgentRow, id: string): Promise<ConversationRow> {
    return this.store.tx(async (r) =>
      this.applyIn(r, id, { type: 'claim', agentId: agent.id }, agent, undefined, async (c) => {
        if (c.status === 'assigned' && c.assigneeId === agent.id) return;
        await r.lock(`assign:agent:${agent.id}`);
        const capacity = (await r.agentRouting.get(agent.id))?.capacity ?? DEFAULT_CAPACITY;
        const held = (await r.conversations.openCounts([agent.id])).get(agent.id) ?? 0;
        if (held >= capacity) throw new ConflictError(`at capacity: you hold ${held} open conversations (capacity ${capacity})`);
      }),
    );
  }

  async release(agent: AgentRow, id: string): Promise<ConversationRow> {
    return this.apply(id, { type: 'release' }, agent, (c) => this.mustHold(agent, c));
  }

  async transfer(agent: AgentRow, id: string, toAgentId: string): Promise<ConversationRow> {
    const row = await this.store.tx(async (r) => {
      if (!(await r.agents.get(toAgentId))) throw new ValidationError(`unknown agent ${toAgentId}`, 'agentId');
      return this.applyIn(r, id, { type: 'transfer', agentId: toAgentId }, agent, (c) => this.mustHold(agent, c));
    });
    this.hooks.transferred?.(id);
    return row;
  }

  /** Resolves, and asks the customer to rate the help when a person handled it. */
  async resolve(agent: AgentRow, id: string): Promise<ConversationRow> {
    return this.store.tx(async (r) => {
      let handledByPerson = false;
      const resolved = await this.applyIn(r, id, { type: 'resolve' }, agent, (c) => {
        this.mustHold(agent, c);
        handledByPerson = c.status === 'queued' || c.status === 'assigned';
      });
      if (handledByPerson) {
        const now = this.clock.now().getTime();
        const choices = csatChoices(resolved.channel);
        await enqueueReply(r, {
          conversation: resolved,
          author: 'bot',
          text: csatQuestion(resolved.locale === 'zh' ? 'zh' : 'en'),
          ...(choices ? { choices } : {}),
          now,
        });
      }
      return resolved;
    });
  }

  /**
   * An agent's reply: the holder may speak, and so may an invited participant while a person
   * handles it (queued or assigned); it leaves through the outbox.
   */
  async reply(
    agent: AgentRow,
    id: string,
    text: string,
    draftId?: string,
    extra: { meta?: Record<string, unknown>; files?: { ids: string[]; policy: OutboundFilePolicy }; choices?: Choice[] } = {},
  ): Promise<MessageRow> {
    const { meta, files, choices } = extra;
    return this.store.tx(async (r) => {
      const c = await this.load(r, id);
      const holds = c.status === 'assigned' && c.assigneeId === agent.id;
      const invited = (c.status === 'assigned' || c.status === 'queued') && (await this.isParticipant(r, c.id, agent.id));
      if (!holds && !invited) throw new ForbiddenError('claim the conversation before replying');
      let draft: DraftRow | undefined;
      if (draftId) {
        draft = await r.drafts.get(draftId);
        if (!draft || draft.conversationId !== id)
          throw new ValidationError(`draft ${draftId} does not belong to this conversation`, 'draftId');
      }
      const attachments = files?.ids.length
        ? await uploadsForReply(r, files.ids, { owner: `agent:${agent.id}`, channel: c.channel, policy: files.policy })
        : undefined;
      const now = this.clock.now().getTime();
      await judgeDraft(r, draft ?? (await r.drafts.latestPending(id)), text, agent.id, now);
      const message = await enqueueReply(r, {
        conversation: c,
        author: 'agent',
        agentId: agent.id,
        text,
        now,
        attachments,
        ...(choices?.length ? { choices } : {}),
        ...(meta ? { meta } : {}),
      });
      await markAnswered(r, c, now);
      await audit(r, {
        by: agent.id,
        action: 'conversation.reply',
        subjectId: id,
        detail: { messageId: message.id, draftId: draftId ?? null },
        now,
      });
      return message;
    });
  }

  /** Internal note: visible to agents only, never sent. */
  async note(agent: AgentRow, id: string, text: string): Promise<MessageRow> {
    return this.store.tx(async (r) => {
      const c = await this.load(r, id);
      const now = this.clock.now().getTime();
      const note: MessageRow = {
        id: newId(now),
        conversationId: c.id,
        channel: c.channel,
        externalId: null,
        direction: 'internal',
        author: 'agent',
        agentId: agent.id,
        text,
        meta: null,
        createdAt: now,
      };
      await r.messages.insert(note);
      await r.events.append(c.id, { type: 'note', data: { messageId: note.id, agentId: agent.id } }, now);
      // `@name` notifies that agent and invites them, so they can still open it once someone else holds it.
      const mentioned = mentionedAgents(text, await r.agents.list()).filter((a) => a.id !== agent.id);
      for (const m of mentioned) {
        if (m.role !== 'admin' && c.assigneeId !== m.id) await addParticipant(r, c, m.id, agent.id, now);
        await r.events.append(c.id, { type: 'mention', data: { messageId: note.id, agentId: m.id, by: agent.id } }, now);
      }
      await audit(r, {
        by: agent.id,
        action: 'conversation.note',
        subjectId: id,
        detail: { messageId: note.id, mentioned: mentioned.map((m) => m.id) },
        now,
      });
      return note;
    });
  }

  private async isParticipant(r: Repos, conversationId: string, agentId: string): Promise<boolean> {
    return ((await r.participants.of([conversationId])).get(conversationId) ?? []).includes(agentId);
  }

  private mustHold(agent: AgentRow, c: ConversationRow): void {
    if (c.status === 'assigned' && c.assigneeId !== agent.id && agent.role !== 'admin') {
      throw new ForbiddenError('conversation is held by another agent');
    }
  }

  private apply(id: string, event: ConversationEvent, agent: AgentRow, check?: (c: ConversationRow) => void): Promise<ConversationRow> {
    return this.store.tx((r) => this.applyIn(r, id, event, agent, check));
  }

  private async applyIn(
    r: Repos,
    id: string,
    event: ConversationEvent,
    agent: AgentRow,
    check?: (c: ConversationRow) => void,
    checkLocked?: (c: ConversationRow) => Promise<void>,
  ): Promise<ConversationRow> {
    const c = await this.load(r, id);
    check?.(c);
    // A legal transition only: a refused one must not take the agent's lock first.
    transition({ status: c.status, assigneeId: c.assigneeId }, event);
    await checkLocked?.(c);
    const now = this.clock.now().getTime();
    await audit(r, { by: agent.id, action: `conversation.${event.type}`, subjectId: id, detail: { ...event, from: c.status }, now });
    const next = await applyTransition(r, c, event, { by: agent.id, now });
    // Whoever held it has a slot free; a conversation back in the queue may go to someone.
    const slotFreed = c.status === 'assigned' && (next.status !== 'assigned' || next.assigneeId !== c.assigneeId);
    if (slotFreed || (next.status === 'queued' && c.status !== 'queued')) {
      const freed = { team: next.status === 'queued' ? next.team : c.team, agentIds: c.assigneeId ? [c.assigneeId] : [] };
      r.afterCommit(() => this.hooks.freed(freed));
    }
    return next;
  }

  private async load(r: Repos, id: string): Promise<ConversationRow> {
    const c = await r.conversations.get(id, { lock: true });
    if (!c) throw new NotFoundError(`conversation ${id} not found`);
    return c;
  }
}

/** A reply at most this far (normalised edit distance) from the draft started from it; further, the agent wrote their own. */
export const EDITED_MAX_DISTANCE = 0.6;

/**
 * Records what the first reply after a draft did with it: sent it as is, edited it, or wrote
 * its own. Judged on the text, whether or not the client named the draft (an agent may copy it by
 * hand); a draft already judged, not ready, or redacted is left alone.
 */
async function judgeDraft(r: Repos, draft: DraftRow | undefined, reply: string, agentId: string, now: number): Promise<void> {
  if (!draft || draft.outcome !== null || draft.status !== 'ready' || !draft.text) return;
  const distance = normalisedEditDistance(draft.text, reply);
  const outcome = distance === 0 ? 'as_is' : distance <= EDITED_MAX_DISTANCE ? 'edited' : 'own';
  await r.drafts.update(draft.id, { outcome, editPermille: Math.round(distance * 1000), outcomeAgentId: agentId, outcomeAt: now });
}
