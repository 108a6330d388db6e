import { eq, ne, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { conversations, messages } from './sqlite/schema.js';
import type { LastLines, MessageAuthor } from './ports.js';

/**
 * The two lines a list shows beside a conversation, joined per row (messages.lastLinesOf,
 * conversations.listWithLines): its last message anyone sees and the customer's last message.
 * Each is a backward walk of the conversation's (conversation_id, id) index that stops at the
 * first match, where a max(id) per group read every message of the page's conversations.
 */
export const lastMessage = alias(messages, 'last_message');
export const lastCustomerMessage = alias(messages, 'last_customer_message');

/** The newest message of the row's conversation that `where` matches. */
const newest = (where: SQL) =>
  sql`(select ${messages.id} from ${messages} where ${messages.conversationId} = ${conversations.id} and ${where} order by ${messages.id} desc limit 1)`;

/** The id `lastMessage` joins on: internal notes are not a line the customer side has. */
export const newestShown = () => newest(ne(messages.direction, 'internal'));
/** The id `lastCustomerMessage` joins on. */
export const newestFromCustomer = () => newest(eq(messages.author, 'customer'));

/** The lines from the joined columns (null where the conversation has no such message). */
export function lastLinesOf(
  lastText: string | null,
  lastAuthor: MessageAuthor | null,
  lastAt: number | null,
  customerText: string | null,
  customerAt: number | null,
): LastLines {
  return {
    last: lastText !== null && lastAuthor !== null && lastAt !== null ? { text: lastText, author: lastAuthor, createdAt: lastAt } : null,
    fromCustomer: customerText !== null && customerAt !== null ? { text: customerText, author: 'customer', createdAt: customerAt } : null,
  };
}
