import type { ChannelId } from '../../src/domain/channel.js';
import type { Running } from '../../src/main.js';
import type { ConversationRow } from '../../src/store/ports.js';
import { api } from './app.js';
import { eventually } from './eventually.js';
import type { WebchatCustomer } from './webchat-client.js';

interface ConversationItem {
  id: string;
  channel: string;
  status: string;
  customer: { displayName: string | null } | null;
}

export interface MessageView {
  direction: 'in' | 'out';
  author: string;
  text: string;
  delivery: 'pending' | 'sent' | 'failed' | null;
  deliveryError: string | null;
  externalId: string | null;
  attachments: unknown[];
}

/** The conversation of the customer the channel shows as `displayName`, read through the agent API. */
export async function conversationOf(
  app: Running,
  token: string,
  channel: ChannelId,
  displayName: string,
): Promise<{ id: string; status: string; messages: MessageView[] }> {
  const item = await eventually(
    async () => {
      const list = await api(app, token, 'GET', '/api/conversations');
      return (list.body.items as ConversationItem[]).find((c) => c.channel === channel && c.customer?.displayName === displayName);
    },
    10_000,
    `conversation of ${displayName}`,
  );
  const detail = await api(app, token, 'GET', `/api/conversations/${item.id}`);
  return { id: item.id, status: detail.body.conversation.status, messages: detail.body.messages };
}

/** Says `text` as the web chat customer; resolves with the conversation it was stored in. */
export async function conversationAfterSaying(app: Running, customer: WebchatCustomer, text: string): Promise<ConversationRow> {
  await customer.say(text);
  return eventually(() => app.store.tx((r) => r.conversations.latestForThread('webchat', customer.sessionId)), 5000, 'conversation');
}

/** A conversation waiting in the queue: the customer asks for a person (the conversation is stored queued). */
export async function queuedConversation(app: Running, customer: WebchatCustomer): Promise<string> {
  return (await conversationAfterSaying(app, customer, 'human')).id;
}
