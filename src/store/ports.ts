import type { ConversationStatus, CustomerTier, Priority } from '../domain/conversation.js';
import type { DomainEvent } from '../domain/events.js';

/*
 * The storage interface the rest of the code sees: the row types, one interface per repository,
 * and `Repos`, the repositories bound to one transaction. Both dialects' schemas are typed to
 * produce exactly these rows (test/store/schema-parity.test.ts checks it, at compile time too).
 * Timestamps are epoch milliseconds; JSON columns are text.
 */

export { STATUSES, PRIORITIES, CUSTOMER_TIERS } from '../domain/conversation.js';
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
  /** When the customer's personal data was erased; the row stays so reports still add up. */
  erasedAt: number | null;
  tier: CustomerTier;
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
  priority: Priority;
  locale: string | null;
  subject: string | null;
  waitingSince: number | null;
  lastMessageAt: number;
  resolvedAt: number | null;
  /** Customer satisfaction, 1–5, answered to the question sent on resolve. */
  csat: number | null;
  createdAt: number;
  updatedAt: number;
  /** When message bodies were purged (retention or erasure). */
  redactedAt: number | null;
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
  /** The worker process holding the lease (see `src/store/liveness.ts`). */
  leaseOwner: string | null;
  lastError: string | null;
  externalId: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface AgentRow {
  id: string;
  name: string;
  role: AgentRole;
  createdAt: number;
}

/** One bearer token of an agent (an agent may hold several); only its SHA-256 is stored. */
export interface AgentTokenRow {
  id: string;
  agentId: string;
  tokenHash: string;
  label: string | null;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** One audited action: who (an agent id, `system` or `cli`), when, what, on which subject; `detail` is JSON without secrets. */
export interface AuditRow {
  id: string;
  at: number;
  actorId: string;
  action: string;
  subjectId: string | null;
  detail: string;
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
/** Where an event's conversation lives and who holds it now, read with the event (EventsRepo.feed). */
export type ConversationRef = Pick<ConversationRow, 'channel' | 'threadKey' | 'status' | 'assigneeId'>;

export interface FeedRow {
  event: EventRow;
  /** Null for an event of no conversation (or of one that no longer exists). */
  conversation: ConversationRef | null;
}

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
  lastSeenAt: number | null;
}

/** Where a conversation sorts in lists: waiting since (nulls last), then id. */
export type ConversationKey = Pick<ConversationRow, 'waitingSince' | 'id'>;

export interface ConversationsRepo {
  /** Reads a conversation; with `lock`, no other transaction may lock or change it until this one ends. */
  get(id: string, opts?: { lock?: boolean }): Promise<ConversationRow | undefined>;
  /** The newest conversation of a thread (a chat, an email thread, a web-chat session); `lock` as in `get`. */
  latestForThread(channel: string, threadKey: string, opts?: { lock?: boolean }): Promise<ConversationRow | undefined>;
  /** The conversation holding any of these external message ids (email In-Reply-To / References). */
  findByMessageExternalIds(channel: string, externalIds: string[]): Promise<string | undefined>;
  insert(row: ConversationRow): Promise<void>;
  update(id: string, patch: Partial<Omit<ConversationRow, 'id'>>): Promise<void>;
  /**
   * Open conversations (or those of `status`), longest waiting first, then those nobody waits on
   * by id; `after` (the last row of the previous page) pages on. Each page is a few index range
   * reads, however many conversations there are.
   */
  list(filter: { status?: ConversationStatus; assigneeId?: string; limit: number; after?: ConversationKey }): Promise<ConversationRow[]>;
  resolvedBefore(cutoff: number, limit: number): Promise<string[]>;
  countQueuedBefore(waitingSince: number): Promise<number>;
  /** A customer's conversations by id; `afterId` pages on. */
  ofCustomer(customerId: string, opts: { afterId?: string; limit: number }): Promise<ConversationRow[]>;
  /** Closed conversations last changed before `cutoff` whose bodies are not purged yet, oldest first. */
  dueForRetention(cutoff: number, limit: number): Promise<string[]>;
}

/** Customers and the channel identities (a Telegram user, an email address…) that belong to them. */
export interface CustomersRepo {
  insert(row: CustomerRow): Promise<void>;
  get(id: string): Promise<CustomerRow | undefined>;
  byIds(ids: string[]): Promise<Map<string, CustomerRow>>;
  findIdentity(channel: string, channelUserId: string): Promise<IdentityRow | undefined>;
  insertIdentity(row: IdentityRow): Promise<void>;
  identitiesOf(customerId: string): Promise<IdentityRow[]>;
  update(id: string, patch: Partial<Omit<CustomerRow, 'id'>>): Promise<void>;
  updateIdentity(id: string, patch: Partial<Omit<IdentityRow, 'id' | 'customerId'>>): Promise<void>;
}

/** Reply suggestions for agents (LLM or FAQ fallback), kept beside the conversation, never sent by themselves. */
export interface DraftsRepo {
  insert(row: DraftRow): Promise<void>;
  list(conversationId: string): Promise<DraftRow[]>;
  get(id: string): Promise<DraftRow | undefined>;
  /** Blanks the text of every draft of a conversation; returns how many changed. */
  redact(conversationId: string): Promise<number>;
}

export interface MessagesRepo {
  findByExternal(channel: string, externalId: string): Promise<MessageRow | undefined>;
  /** Inserts unless (channel, externalId) exists; returns false on that conflict. */
  insert(row: MessageRow): Promise<boolean>;
  byIds(ids: string[]): Promise<MessageRow[]>;
  get(id: string): Promise<MessageRow | undefined>;
  setExternalId(id: string, externalId: string): Promise<void>;
  list(conversationId: string, opts: { includeInternal: boolean }): Promise<MessageRow[]>;
  /** One page of a conversation's messages going back in time: the `limit` newest before message id `before`, newest first. */
  page(conversationId: string, opts: { includeInternal: boolean; limit: number; before?: string }): Promise<MessageRow[]>;
  /** The last `limit` customer-visible messages, oldest first. */
  recent(conversationId: string, limit: number): Promise<MessageRow[]>;
  lastInbound(conversationId: string): Promise<MessageRow | undefined>;
  /** The last customer-visible message of each conversation. */
  lastOf(conversationIds: string[]): Promise<Map<string, MessageRow>>;
  /**
   * Blanks the text and meta (attachment references, raw headers) of up to `limit` messages of a
   * conversation not blank yet, and with `externalIds` their platform ids too; returns how many
   * changed, so a caller loops in small batches until 0.
   */
  redact(conversationId: string, opts: { externalIds: boolean; limit: number }): Promise<number>;
}

export interface OutboxRepo {
  insert(row: OutboxRow): Promise<void>;
  /**
   * Leases up to `limit` due rows to this worker until `leaseUntil`: only the earliest unsent row
   * of each conversation, so replies leave in order even when one is waiting for a retry or is
   * in flight on another instance. A row whose lease expired (its worker crashed mid-send) is due
   * again: that is the "at most one resend" case.
   */
  leaseDue(now: number, leaseUntil: number, limit: number, owner?: string): Promise<OutboxRow[]>;
  /** Owners holding a lease on an unsent row right now. */
  leaseOwners(now: number): Promise<string[]>;
  /** Releases every lease of unsent rows held by these owners (workers known dead, or stopping); returns how many. */
  releaseLeases(owners: string[]): Promise<number>;
  get(id: string): Promise<OutboxRow | undefined>;
  update(id: string, patch: Partial<Omit<OutboxRow, 'id'>>): Promise<void>;
  forMessages(messageIds: string[]): Promise<Map<string, OutboxRow>>;
  /** When the next row becomes due, so the worker can sleep until then. */
  nextDueAt(): Promise<number | undefined>;
  /** Blanks the payloads of a conversation's rows; pending ones fail with `reason` instead of being sent. */
  redact(conversationId: string, reason: string): Promise<number>;
}

export interface AgentsRepo {
  insert(row: AgentRow): Promise<void>;
  get(id: string): Promise<AgentRow | undefined>;
  /** By name. */
  list(): Promise<AgentRow[]>;
}

export interface AgentTokensRepo {
  insert(row: AgentTokenRow): Promise<void>;
  /** The token with this hash and its agent, whatever its state (the caller checks revoked and expired). */
  byHash(tokenHash: string): Promise<{ token: AgentTokenRow; agent: AgentRow } | undefined>;
  get(id: string): Promise<AgentTokenRow | undefined>;
  /** An agent's tokens, oldest first. */
  listFor(agentId: string): Promise<AgentTokenRow[]>;
  /** Revokes a token not revoked yet; false when it was already revoked or does not exist. */
  revoke(id: string, now: number): Promise<boolean>;
  /** Revokes every live token of an agent but `exceptId`; returns the ids revoked. */
  revokeAllFor(agentId: string, now: number, exceptId?: string): Promise<string[]>;
  /** Records a use at `now` unless one was recorded less than `minIntervalMs` ago; true when it wrote. */
  touch(id: string, now: number, minIntervalMs: number): Promise<boolean>;
}

/** The audit log, read by time then id; `after` is the last row of the previous page. */
export interface AuditRepo {
  append(row: AuditRow): Promise<void>;
  list(opts: { since?: number; actorId?: string; after?: { at: number; id: string }; limit: number }): Promise<AuditRow[]>;
}

/** The append-only event log; `seq` is the cursor of SSE streams and the outbox's wake-up. */
export interface EventsRepo {
  /** Rows come back with their data as stored; read them with `decodeEvent` (src/domain/events.ts). */
  append(conversationId: string | null, event: DomainEvent, now: number): Promise<number>;
  /**
   * The same event, written with the transaction's other later appends as it ends (or before
   * the log is next read in it), in the order appended; for hot paths that need no `seq`.
   * On PostgreSQL it keeps the appends' lock out of the rest of the transaction.
   */
  appendLater(conversationId: string | null, event: DomainEvent, now: number): void;
  after(seq: number, opts: { conversationId?: string; limit: number }): Promise<EventRow[]>;
  since(createdAt: number): Promise<EventRow[]>;
  maxSeq(): Promise<number>;
  /** Every conversation's events after `seq` with their conversation's current routing and holder: the event hub's one read. */
  feed(seq: number, limit: number): Promise<FeedRow[]>;
  /** Events of the given types on every conversation of one thread (a web-chat session), after `seq`. */
  forThread(channel: string, threadKey: string, types: string[], seq: number, limit: number): Promise<EventRow[]>;
  /** Rewrites one event's payload; only erasure uses it, to drop customer text from the log. */
  replaceData(seq: number, event: DomainEvent): Promise<void>;
}

export interface WebchatSessionsRepo {
  insert(row: WebchatSessionRow): Promise<void>;
  get(id: string): Promise<WebchatSessionRow | undefined>;
  /** Records a use of the session at `at`. */
  touch(id: string, at: number): Promise<void>;
}

export interface RateLimitsRepo {
  /** Counts one request for `key` in the window starting at `windowStart` (a new window starts at 1); returns the count. */
  hit(key: string, windowStart: number): Promise<number>;
  /** Drops counters of windows that started before `before`. */
  purge(before: number): Promise<void>;
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
  /** Blanks the question and answer of a conversation's suggestions and rejects the pending ones (by `by`). */
  redact(conversationId: string, by: string, now: number): Promise<number>;
}

/** Small per-channel key/value state (an IMAP UID, a polling offset). */
export interface ChannelStateRepo {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, now: number): Promise<void>;
}

export interface QueueByTeam {
  /** null: the general queue. */
  team: string | null;
  count: number;
}

export interface OutboxBacklog {
  /** Replies not yet sent (waiting, leased or backing off). */
  pending: number;
  /** When the oldest of them was written; null when none are pending. */
  oldestCreatedAt: number | null;
}

/** What operators watch (metrics, readiness), read at scrape time. */
export interface MonitorRepo {
  queuedByTeam(): Promise<QueueByTeam[]>;
  outboxBacklog(): Promise<OutboxBacklog>;
  /** The journal timestamp of the newest migration applied to this database; null before any. */
  lastMigrationAt(): Promise<number | null>;
}

/** The repositories, bound to one transaction. This is the only storage interface the rest of the code sees. */
export interface Repos {
  conversations: ConversationsRepo;
  customers: CustomersRepo;
  drafts: DraftsRepo;
  messages: MessagesRepo;
  outbox: OutboxRepo;
  agents: AgentsRepo;
  agentTokens: AgentTokensRepo;
  audit: AuditRepo;
  events: EventsRepo;
  webchat: WebchatSessionsRepo;
  rateLimits: RateLimitsRepo;
  state: ChannelStateRepo;
  faqSuggestions: FaqSuggestionsRepo;
  monitor: MonitorRepo;
  /** Serialises transactions that touch the same key (a thread, an identity) until this one ends. */
  lock(key: string): Promise<void>;
  /** Runs after this transaction commits (e.g. wake SSE streams); dropped on rollback. */
  afterCommit(fn: () => void): void;
}
