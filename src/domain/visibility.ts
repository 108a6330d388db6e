import type { LoggedEvent } from './events.js';

/** Who is looking: an agent or an admin. */
export interface Viewer {
  id: string;
  role: 'agent' | 'admin';
}

/** A conversation's holder as it is now, and the agents invited into it. */
export interface Holder {
  assigneeId: string | null;
  participantIds?: readonly string[];
}

/**
 * Least privilege for agents: they see the conversations nobody holds (the bot's and the queue)
 * those they hold and those they were invited into; admins see every conversation. (Teams, once
 * they exist, widen this.)
 */
export function maySeeConversation(viewer: Viewer, conversation: Holder | null): boolean {
  if (viewer.role === 'admin') return true;
  if (conversation === null) return false;
  return conversation.assigneeId === null || conversation.assigneeId === viewer.id || isParticipant(viewer, conversation);
}

/** Invited into the conversation (POST /api/conversations/:id/participants, or named in a note). */
export function isParticipant(viewer: Viewer, conversation: Holder): boolean {
  return conversation.participantIds?.includes(viewer.id) ?? false;
}

/**
 * An event is seen by whoever may see its conversation now; an agent also sees the status change
 * that took a conversation out of their sight (a claim or an auto-assignment from the queue
 * everyone watches, or a transfer they made), so their view can drop it. Events of no conversation are for admins.
 */
export function maySeeEvent(viewer: Viewer, event: LoggedEvent, conversation: Holder | null): boolean {
  // A mention is a notification for the agent named, nobody else (admins neither: it is not a change of the conversation).
  if (event.type === 'mention') return event.data.agentId === viewer.id;
  if (maySeeConversation(viewer, conversation)) return true;
  if (conversation === null) return false;
  // Taken out of a conversation: the agent is told, so their view can drop it.
  if (event.type === 'participant') return event.data.agentId === viewer.id;
  return event.type === 'status' && (event.data.action === 'claim' || event.data.action === 'assign' || event.data.by === viewer.id);
}
