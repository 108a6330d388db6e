import type { LoggedEvent } from './events.js';

/** Who is looking: an agent or an admin. */
export interface Viewer {
  id: string;
  role: 'agent' | 'admin';
}

/** A conversation's holder as it is now. */
export interface Holder {
  assigneeId: string | null;
}

/**
 * Least privilege for agents: they see the conversations nobody holds (the bot's and the queue)
 * and those they hold; admins see every conversation. (Teams, once they exist, widen this.)
 */
export function maySeeConversation(viewer: Viewer, conversation: Holder | null): boolean {
  if (viewer.role === 'admin') return true;
  return conversation !== null && (conversation.assigneeId === null || conversation.assigneeId === viewer.id);
}

/**
 * An event is seen by whoever may see its conversation now; an agent also sees the status change
 * that took a conversation out of their sight (a claim or an auto-assignment from the queue
 * everyone watches, or a transfer they made), so their view can drop it. Events of no conversation are for admins.
 */
export function maySeeEvent(viewer: Viewer, event: LoggedEvent, conversation: Holder | null): boolean {
  if (maySeeConversation(viewer, conversation)) return true;
  return (
    conversation !== null &&
    event.type === 'status' &&
    (event.data.action === 'claim' || event.data.action === 'assign' || event.data.by === viewer.id)
  );
}
