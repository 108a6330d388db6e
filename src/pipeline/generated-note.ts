import { newId } from '../domain/ids.js';
import type { ConversationRow, MessageRow, Repos } from '../store/ports.js';

/**
 * Stores what a model wrote for agents (a summary, a translation) as an internal note marked
 * `meta.generated`, never sent to the customer, and tells the console about it: in the caller's
 * transaction, beside the tokens it cost.
 */
export async function addGeneratedNote(
  r: Repos,
  conv: ConversationRow,
  text: string,
  generated: { kind: 'summary' | 'translation' } & Record<string, unknown>,
  now: number,
): Promise<MessageRow> {
  const note: MessageRow = {
    id: newId(now),
    conversationId: conv.id,
    channel: conv.channel,
    externalId: null,
    direction: 'internal',
    author: 'bot',
    agentId: null,
    text,
    meta: JSON.stringify({ generated }),
    createdAt: now,
  };
  await r.messages.insert(note);
  await r.events.append(conv.id, { type: 'note', data: { messageId: note.id, agentId: null, generated: generated.kind } }, now);
  return note;
}
