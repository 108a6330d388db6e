import type { Agent } from '../types.js';
import type { ConversationDetail } from './types.js';

/** What this agent may do to the conversation as it is now; the API decides in the end (src/queue/actions.ts, tools.ts). */
export function permissions(c: ConversationDetail, me: Agent) {
  const admin = me.role === 'admin';
  const holds = c.status === 'assigned' && c.assigneeId === me.id;
  const invited = c.participantIds.includes(me.id);
  const open = c.status === 'queued' || c.status === 'assigned';
  // Held by someone else: only an admin acts on it (release, transfer, resolve).
  const mayAct = c.status !== 'assigned' || holds || admin;
  const maySee = admin || c.assigneeId === null || c.assigneeId === me.id || invited;
  return {
    holds,
    claim: c.status === 'queued',
    release: c.status === 'assigned' && mayAct,
    resolve: (open || c.status === 'bot') && mayAct,
    transfer: open && mayAct,
    tools: maySee,
    snooze: maySee && c.status !== 'resolved' && c.status !== 'closed',
    reply: holds || (invited && open),
  };
}
