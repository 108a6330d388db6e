import type { ConversationStatus } from '../domain/conversation.js';
import type { DomainEvent } from '../domain/events.js';

/*
 * The storage interface the rest of the code sees: the row types, one interface per repository,
 * and `Repos`, the repositories bound to one transaction. Both dialects' schemas are typed to
 * produce exactly these rows (test/store/schema-parity.test.ts checks it, at compile time too).
 * Timestamps are epoch milliseconds; JSON columns are text.
 */

export { STATUSES } from '../domain/conversation.js';
export const MESSAGE_DIRECTIONS = ['in', 'out', 'internal'] as const;
export const MESSAGE_AUTHORS = ['customer', 'bot', 'agent'] as const;
export const DRAFT_KINDS = ['llm', 'faq'] as const;
export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export const AGENT_ROLES = ['agent', 'admin'] as const;
export const FAQ_SUGGESTION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const FAQ_SUGGESTION_SOURCES = ['agent', 'pick'] as const;

export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];
export type MessageAuthor = (typeof MESSAGE_AUTHORS)[number];
export type DraftKind = (typeof DRAFT_KINDS)[number];
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export type AgentRole = (typeof AGENT_ROLES)[number];
export type FaqSuggestionStatus = (typeof FAQ_SUGGESTION_STATUSES)[number];
export type FaqSuggestionSource = (typeof FAQ_SUGGESTION_SOURCES)[number];

export interface CustomerRow {
  id: string;
  displayName: string | null;
  email: string | null;
  locale: string | null;
  createdAt: number;
}

export interface IdentityRow {
  id: string;
  customerId: string;
  channel: string;
  channelUserId: string;
  displayName: string | null;
  username: string | null;
  createdAt: number;
}

export interface ConversationRow {
  id: string;
  customerId: string;
  channel: string;
  threadKey: string;
  status: ConversationStatus;
  assigneeId: string | null;
  lastAssigneeId: string | null;
  team: string | null;
  locale: string | null;
  subject: string | null;
  waitingSince: number | null;
  lastMessageAt: number;
  resolvedAt: number | null;
  /** Customer satisfaction, 1–5, answered to the question sent on resolve. */
  csat: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface MessageRow {
  id: string;
  conversationId: string;
  channel: string;
  externalId: string | null;
  direction: MessageDirection;
  author: MessageAuthor;
  agentId: string | null;
  text: string;
  meta: string | null;
  createdAt: number;
}

export interface DraftRow {
  id: string;
  conversationId: string;
  messageId: string;
  text: string;
  kind: DraftKind;
  /** JSON array of FAQ entry ids. */
  entryIds: string;
  model: string | null;
  createdAt: number;
}

export interface OutboxRow {
  id: string;
  messageId: string;
  conversationId: string;
  channel: string;
  /** JSON of the outbound message. */
  payload: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil: number | null;
  lastError: string | null;
  externalId: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface AgentRow {
  id: string;
  name: string;
  role: AgentRole;
  tokenHash: string;
  createdAt: number;
}

export interface EventRow {
  seq: number;
  conversationId: string | null;
  type: string;
  /** JSON payload. */
  data: string;
  createdAt: number;
  /** PostgreSQL only: the writing transaction, so readers skip events whose transaction may still be open. */
  txId: number | null;
}

/**
 * A customer question proposed as an example of an FAQ entry (`entryId` set, `newEntry` 0) or as
 * a new entry (`newEntry` 1, with the agent's reply as `answer`), waiting for an admin.
 */
export interface FaqSuggestionRow {
  id: string;
  conversationId: string;
  messageId: string | null;
  entryId: string | null;
  /** 1 when approving creates `entryId` (or an id made from the question) as a new entry. */
  newEntry: number;
  locale: string;
  question: string;
  answer: string | null;
  source: FaqSuggestionSource;
  /** The agent's id, or `customer` for a customer's pick. */
  createdBy: string;
  status: FaqSuggestionStatus;
  decidedBy: string | null;
  decidedAt: number | null;
  createdAt: number;
}

export interface WebchatSessionRow {
  id: string;
  secretHash: string;
  createdAt: number;
}

export interface ConversationsRepo {
  /** Reads a conversation; with `lock`, no other transaction may lock or change it until this one ends. */
  get(id: string, opts?: { lock?: boolean }): Promise<ConversationRow | undefined>;
  /** The newest conversation of a thread (a chat, an email thread, a web-chat session); `lock` as in `get`. */
  latestForThread(channel: string, threadKey: string, opts?: { lock?: boolean }): Promise<ConversationRow | undefined>;
  /** The conversation holding any of these external message ids (email In-Reply-To / References). */
  findByMessageExternalIds(channel: string, externalIds: string[]): Promise<string | undefined>;
  insert(row: ConversationRow): Promise<void>;
  update(id: string, patch: Partial<Omit<ConversationRow, 'id'>>): Promise<void>;
  /** Open conversations (or those of `status`), longest waiting first; `afterId` pages on. */
  list(filter: { status?: ConversationStatus; assigneeId?: string; limit: number; afterId?: string }): Promise<ConversationRow[]>;
  resolvedBefore(cutoff: number, limit: number): Promise<string[]>;
  countQueuedBefore(waitingSince: number): Promise<number>;
}

/** Customers and the channel identities (a Telegram user, an email address…) that belong to them. */
export interface CustomersRepo {
  insert(row: CustomerRow): Promise<void>;
  get(id: string): Promise<CustomerRow | undefined>;
  byIds(ids: string[]): Promise<Map<string, CustomerRow>>;
  findIdentity(channel: string, channelUserId: string): Promise<IdentityRow | undefined>;
  insertIdentity(row: IdentityRow): Promise<void>;
  identitiesOf(customerId: string): Promise<IdentityRow[]>;
}

/** Reply suggestions for agents (LLM or FAQ fallback), kept beside the conversation, never sent by themselves. */
export interface DraftsRepo {
  insert(row: DraftRow): Promise<void>;
  list(conversationId: string): Promise<DraftRow[]>;
  get(id: string): Promise<DraftRow | undefined>;
}

export interface MessagesRepo {
  findByExternal(channel: string, externalId: string): Promise<MessageRow | undefined>;
  /** Inserts unless (channel, externalId) exists; returns false on that conflict. */
  insert(row: MessageRow): Promise<boolean>;
  byIds(ids: string[]): Promise<MessageRow[]>;
  get(id: string): Promise<MessageRow | undefined>;
  setExternalId(id: string, externalId: string): Promise<void>;
  list(conversationId: string, opts: { includeInternal: boolean }): Promise<MessageRow[]>;
  /** The last `limit` customer-visible messages, oldest first. */
  recent(conversationId: string, limit: number): Promise<MessageRow[]>;
  lastInbound(conversationId: string): Promise<MessageRow | undefined>;
  /** The last customer-visible message of each conversation. */
  lastOf(conversationIds: string[]): Promise<Map<string, MessageRow>>;
}

export interface OutboxRepo {
  insert(row: OutboxRow): Promise<void>;
  /**
   * Leases up to `limit` due rows to this worker until `leaseUntil`: only the earliest unsent row
   * of each conversation, so replies leave in order even when one is waiting for a retry or is
   * in flight on another instance. A row whose lease expired (its worker crashed mid-send) is due
   * again: that is the "at most one resend" case.
   */
  leaseDue(now: number, leaseUntil: number, limit: number): Promise<OutboxRow[]>;
  get(id: string): Promise<OutboxRow | undefined>;
  update(id: string, patch: Partial<Omit<OutboxRow, 'id'>>): Promise<void>;
  forMessages(messageIds: string[]): Promise<Map<string, OutboxRow>>;
  /** When the next row becomes due, so the worker can sleep until then. */
  nextDueAt(): Promise<number | undefined>;
}

export interface AgentsRepo {
  insert(row: AgentRow): Promise<void>;
  byTokenHash(tokenHash: string): Promise<AgentRow | undefined>;
  get(id: string): Promise<AgentRow | undefined>;
  /** By name. */
  list(): Promise<AgentRow[]>;
}

/** The append-only event log; `seq` is the cursor of SSE streams and the outbox's wake-up. */
export interface EventsRepo {
  /** Rows come back with their data as stored; read them with `decodeEvent` (src/domain/events.ts). */
  append(conversationId: string | null, event: DomainEvent, now: number): Promise<number>;
  after(seq: number, opts: { conversationId?: string; limit: number }): Promise<EventRow[]>;
  since(createdAt: number): Promise<EventRow[]>;
  maxSeq(): Promise<number>;
  /** Events of the given types on every conversation of one thread (a web-chat session), after `seq`. */
  forThread(channel: string, threadKey: string, types: string[], seq: number, limit: number): Promise<EventRow[]>;
}

export interface WebchatSessionsRepo {
  insert(row: WebchatSessionRow): Promise<void>;
  get(id: string): Promise<WebchatSessionRow | undefined>;
}

export interface FaqSuggestionsRepo {
  insert(row: FaqSuggestionRow): Promise<void>;
  get(id: string): Promise<FaqSuggestionRow | undefined>;
  /** Pending first, then decided ones; each part oldest first. `offset` pages on. */
  list(opts: { limit: number; offset: number }): Promise<FaqSuggestionRow[]>;
  /** Records an admin's decision on a pending suggestion; false when it was no longer pending. */
  decide(
    id: string,
    decision: { status: Exclude<FaqSuggestionStatus, 'pending'>; decidedBy: string; decidedAt: number; entryId: string | null },
  ): Promise<boolean>;
}

/** Small per-channel key/value state (an IMAP UID, a polling offset). */
export interface ChannelStateRepo {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, now: number): Promise<void>;
}

/** The repositories, bound to one transaction. This is the only storage interface the rest of the code sees. */
export interface Repos {
  conversations: ConversationsRepo;
  customers: CustomersRepo;
  drafts: DraftsRepo;
  messages: MessagesRepo;
  outbox: OutboxRepo;
  agents: AgentsRepo;
  events: EventsRepo;
  webchat: WebchatSessionsRepo;
  state: ChannelStateRepo;
  faqSuggestions: FaqSuggestionsRepo;
  /** Serialises transactions that touch the same key (a thread, an identity) until this one ends. */
  lock(key: string): Promise<void>;
  /** Runs after this transaction commits (e.g. wake SSE streams); dropped on rollback. */
  afterCommit(fn: () => void): void;
}
