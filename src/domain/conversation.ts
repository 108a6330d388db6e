import { ConflictError } from './errors.js';

/**
 * Conversation status is a state machine owned here; nothing else decides a transition.
 *
 * bot ──handoff──▶ queued ──claim|assign──▶ assigned ──release──▶ queued
 * assigned ──transfer──▶ assigned;  queued|assigned ──resolve──▶ resolved
 * resolved ──customer writes──▶ queued (reopen);  resolved ──close──▶ closed ──customer writes──▶ bot
 */
export const STATUSES = ['bot', 'queued', 'assigned', 'resolved', 'closed'] as const;
export type ConversationStatus = (typeof STATUSES)[number];

/** How soon a conversation needs a person, lowest first; queues sort by it, then by waiting time. */
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** The higher of two priorities: routing may raise a conversation's priority, never lower it. */
export function higherPriority(a: Priority, b: Priority | null | undefined): Priority {
  return b && PRIORITIES.indexOf(b) > PRIORITIES.indexOf(a) ? b : a;
}

/** Customer tiers; a VIP's conversations start at high priority. */
export const CUSTOMER_TIERS = ['standard', 'vip'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];

export type ConversationEvent =
  | { type: 'handoff' }
  | { type: 'claim'; agentId: string }
  /** The auto-assigner (src/routing/assigner.ts) gives a queued conversation to an agent. */
  | { type: 'assign'; agentId: string }
  | { type: 'release' }
  | { type: 'transfer'; agentId: string }
  | { type: 'resolve' }
  | { type: 'reopen'; agentId?: string | null }
  | { type: 'close' };

export interface ConversationState {
  status: ConversationStatus;
  assigneeId: string | null;
}

/** Where every conversation starts: with the bot, nobody assigned. */
export const OPENED: ConversationState = { status: 'bot', assigneeId: null };

export function transition(state: ConversationState, event: ConversationEvent): ConversationState {
  const { status } = state;
  const refuse = (): never => {
    throw new ConflictError(`cannot ${event.type} a conversation that is ${status}`);
  };
  switch (event.type) {
    case 'handoff':
      return status === 'bot' ? { status: 'queued', assigneeId: null } : refuse();
    case 'claim':
      if (status === 'queued') return { status: 'assigned', assigneeId: event.agentId };
      if (status === 'assigned' && state.assigneeId === event.agentId) return state;
      if (status === 'assigned') throw new ConflictError('conversation is held by another agent');
      return refuse();
    case 'assign':
      return status === 'queued' ? { status: 'assigned', assigneeId: event.agentId } : refuse();
    case 'release':
      return status === 'assigned' ? { status: 'queued', assigneeId: null } : refuse();
    case 'transfer':
      return status === 'assigned' || status === 'queued' ? { status: 'assigned', assigneeId: event.agentId } : refuse();
    case 'resolve':
      return status === 'queued' || status === 'assigned' || status === 'bot'
        ? { status: 'resolved', assigneeId: state.assigneeId }
        : refuse();
    case 'reopen':
      if (status === 'resolved')
        return event.agentId ? { status: 'assigned', assigneeId: event.agentId } : { status: 'queued', assigneeId: null };
      if (status === 'closed') return { status: 'bot', assigneeId: null };
      return refuse();
    case 'close':
      return status === 'resolved' ? { status: 'closed', assigneeId: state.assigneeId } : refuse();
  }
}

/** Only the bot may answer automatically; once a human or the queue owns it, the bot stays quiet. */
export function botMaySpeak(status: string): boolean {
  return status === 'bot';
}
