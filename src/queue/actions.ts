import type { ConversationEvent } from '../domain/conversation.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Clock } from '../domain/clock.js';
import type { Repos, Store } from '../store/store.js';
import type { AgentRow, ConversationRow, MessageRow } from '../store/ports.js';
import { enqueueReply } from '../outbox/enqueue.js';
import { csatQuestion } from '../pipeline/replies.js';
import { applyTransition, markAnswered } from '../lifecycle/apply.js';
import { audit } from '../audit/record.js';

/** What agents do to a conversation. Each action is one transaction with the conversation row locked. */
export class QueueActions {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  claim(agent: AgentRow, id: string): Promise<ConversationRow> {
    return this.apply(id, { type: 'claim', agentId: agent.id }, agent);
  }

  async release(agent: AgentRow, id: string): Promise<ConversationRow> {
    return this.apply(id, { type: 'release' }, agent, (c) => this.mustHold(agent, c));
  }

  async transfer(agent: AgentRow, id: string, toAgentId: string): Promise<ConversationRow> {
    return this.store.tx(async (r) => {
      if (!(await r.agents.get(toAgentId))) throw new ValidationError(`unknown agent ${toAgentId}`, 'agentId');
      return this.applyIn(r, id, { type: 'transfer', agentId: toAgentId }, agent, (c) => this.mustHold(agent, c));
    });
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
        await enqueueReply(r, { conversation: resolved, author: 'bot', text: csatQuestion(resolved.locale === 'zh' ? 'zh' : 'en'), now });
      }
      return resolved;
    });
  }

  /** An agent's reply: only the holder may speak, and it leaves through the outbox. */
  async reply(agent: AgentRow, id: string, text: string, draftId?: string): Promise<MessageRow> {
    return this.store.tx(async (r) => {
      const c = await this.load(r, id);
      if (c.status !== 'assigned' || c.assigneeId !== agent.id) throw new ForbiddenError('claim the conversation before replying');
      if (draftId) {
        const draft = await r.drafts.get(draftId);
        if (!draft || draft.conversationId !== id)
          throw new ValidationError(`draft ${draftId} does not belong to this conversation`, 'draftId');
      }
      const now = this.clock.now().getTime();
      const message = await enqueueReply(r, { conversation: c, author: 'agent', agentId: agent.id, text, now });
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
      await audit(r, { by: agent.id, action: 'conversation.note', subjectId: id, detail: { messageId: note.id }, now });
      return note;
    });
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
  ): Promise<ConversationRow> {
    const c = await this.load(r, id);
    check?.(c);
    const now = this.clock.now().getTime();
    await audit(r, { by: agent.id, action: `conversation.${event.type}`, subjectId: id, detail: { ...event, from: c.status }, now });
    return applyTransition(r, c, event, { by: agent.id, now });
  }

  private async load(r: Repos, id: string): Promise<ConversationRow> {
    const c = await r.conversations.get(id, { lock: true });
    if (!c) throw new NotFoundError(`conversation ${id} not found`);
    return c;
  }
}
