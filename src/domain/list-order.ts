import { PRIORITIES, type Priority } from './conversation.js';

/** The console's list orders: urgent first then longest waiting; longest waiting; latest message first. */
export const CONVERSATION_SORTS = ['priority', 'waiting', 'activity'] as const;
export type ConversationSort = (typeof CONVERSATION_SORTS)[number];

/** Stands in for "not waiting" so such rows sort after every waiting one (a JS-safe integer, a bigint in PostgreSQL). */
export const NOT_WAITING = 8_640_000_000_000_000;

/** A row's place in a list order: the sort's numeric keys, then the id. The store's SQL computes the same keys. */
export interface BrowseKey {
  keys: number[];
  id: string;
}

const RANKED: Priority[] = [...PRIORITIES].reverse();

/** A row's keys in `sort`, for the next page's cursor. */
export function browseKey(
  sort: ConversationSort,
  row: { id: string; priority: Priority; waitingSince: number | null; lastMessageAt: number },
): BrowseKey {
  const waiting = row.waitingSince ?? NOT_WAITING;
  if (sort === 'activity') return { keys: [row.lastMessageAt], id: row.id };
  if (sort === 'waiting') return { keys: [waiting], id: row.id };
  return { keys: [RANKED.indexOf(row.priority), waiting], id: row.id };
}
