import type { Agent, Message } from './types.js';

export const TOKEN_KEY = 'switchboard.agentToken';

export const LISTS = {
  queue: '?status=queued',
  mine: '?status=assigned&mine=true',
  assigned: '?status=assigned',
  resolved: '?status=resolved',
} as const;
export type Tab = keyof typeof LISTS;

/** Everything the console remembers; it holds no data of its own beyond what /api returned last. */
export const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  me: null as Agent | null,
  agents: new Map<string, Agent>(),
  tab: 'queue' as Tab,
  openId: null as string | null,
  /** How many pages of the list the agent asked for ("Load more"); each poll follows nextCursor that far. */
  listPages: 1,
  /** Older messages of the open conversation loaded with "Load earlier messages", oldest first. */
  olderMessages: [] as Message[],
  olderCursor: null as string | null,
  draftId: null as string | null,
  /** What was rendered last, so a poll that brings nothing new leaves the DOM (and the scroll) alone. */
  listKey: '',
  detailKey: '',
  timer: undefined as ReturnType<typeof setInterval> | undefined,
  polling: null as Promise<void> | null,
  again: false,
};
