import type { BrowseKey, ConversationSort } from '../domain/list-order.js';
import type { ConversationStatus, CustomerTier, Priority } from '../domain/conversation.js';
import type { DomainEvent } from '../domain/events.js';
import type { AgentStatus } from '../domain/presence.js';
import type { SearchTerm } from '../domain/search-text.js';

/*
 * The storage interface the rest of the code sees: the row types, one interface per repository,
 * and `Repos`, the repositories bound to one transaction. Both dialects' schemas are typed to
 * produce exactly these rows (test/store/schema-parity.test.ts checks it, at compile time too).
 * Timestamps are epoch milliseconds; JSON columns are text.
 */

export { STATUSES, PRIORITIES, CUSTOMER_TIERS } from '../domain/conversation.js';
export { AGENT_STATUSES } from '../domain/presence.js';
export const MESSAGE_DIRECTIONS = ['in', 'out', 'internal'] as const;
export const MESSAGE_AUTHORS = ['customer', 'bot', 'agent'] as const;
/**
 * `summary` rows hold the tokens of a generated summary note (src/pipeline/summaries.ts),
 * `translation` rows those of a translation (src/pipeline/translations.ts), `ai_agent` and
 * `selection` rows those of AI agent mode and the answer selector (src/ai-agent/plan.ts); none is
 * a reply draft.
 */
export const DRAFT_KINDS = ['llm', 'faq', 'summary', 'translation', 'ai_agent', 'selection'] as const;
/** The kinds that are reply drafts an agent can use. */
export const REPLY_DRAFT_KINDS = ['llm', 'faq'] as const;
/** streaming: the model is still writing; skipped: no draft on purpose (budget, breaker, nothing close in the FAQ). */
export const DRAFT_STATUSES = ['streaming', 'ready', 'failed', 'cancelled', 'skipped'] as const;
/** What the agent's reply did with the draft: sent it unchanged, edited it, or wrote their own. */
export const DRAFT_OUTCOMES = ['as_is', 'edited', 'own'] as const;
export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export const AGENT_ROLES = ['agent', 'admin'] as const;
export const FAQ_SUGGESTION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const FAQ_SUGGESTION_SOURCES = ['agent', 'pick'] as const;
export const SEARCH_KINDS = ['message', 'note', 'customer'] as const;
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];
export type MessageAuthor = (typeof MESSAGE_AUTHORS)[number];
export type DraftKind = (typeof DRAFT_KINDS)[number];
export type DraftStatus = (typeof DRAFT_STATUSES)[number];
export type DraftOutcome = (typeof DRAFT_OUTCOMES)[number];
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export type AgentRole = (typeof AGENT_ROLES)[number];
export type FaqSuggestionStatus = (typeof FAQ_SUGGESTION_STATUSES)[number];
export type FaqSuggestionSource = (typeof FAQ_SUGGESTION_SOURCES)[number];
export type SearchKind = (typeof SEARCH_KINDS)[number];
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** The columns of a customer a conversation list shows. */
export type CustomerCard = Pick<CustomerRow, 'id' | 'displayName' | 'email' | 'locale'>;

export interface CustomerRow {
  id: string;
  displayName: string | null;
  email: string | null;
  locale: string | null;
  createdAt: number;
  /** When the customer's personal data was erased; the row stays so reports still add up. */
  erasedAt: number | null;
  tier: CustomerTier;
  /** What agents note about the customer. */
  notes: string | null;
  /** The customer this one is merged into; null unless merged (a split restores it). */
  mergedInto: string | null;
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
  /** When the SLA clock started (the hand-off or reopen the targets count from); null before any. */
  slaStartedAt: number | null;
  /** The first agent reply since `slaStartedAt`; bot replies never count. */
  firstRespondedAt: number | null;
  /** When the `sla.breached` event of each target was written, so it is written once. */
  firstResponseBreachedAt: number | null;
  resolutionBreachedAt: number | null;
  /** Until when agents set it aside; null when it is in their lists (src/queue/snooze.ts). */
  snoozedUntil: number | null;
}

export interface LabelRow {
  conversationId: string;
  label: string;
  /** An agent id, or `system` for the pipeline's own labels (complaints). */
  createdBy: string;
  createdAt: number;
}

export interface ParticipantRow {
  conversationId: string;
  agentId: string;
  addedBy: string;
  createdAt: number;
}

export interface CannedResponseRow {
  id: string;
  shortcut: string;
  text: string;
  locale: string | null;
  teamId: string | null;
  /** The agent who made it; they (and admins) may change or delete it. */
  ownerId: string;
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

/** One stored file (src/attachments/): the bytes are in the file store under `sha256`. */
export interface AttachmentRow {
  id: string;
  /** Null until an upload is sent with a message. */
  messageId: string | null;
  customerId: string | null;
  /** Who uploaded it before it was linked: `webchat:<session>` or `agent:<id>`; null for files that came with a message. */
  owner: string | null;
  sha256: string;
  size: number;
  /** Sniffed from the bytes, never the name. */
  mime: string;
  name: string;
  /** 1: shown inside the message (email inline image, Telegram photo). */
  inline: number;
  createdAt: number;
}

export interface AttachmentsRepo {
  insert(row: AttachmentRow): Promise<void>;
  get(id: string): Promise<AttachmentRow | undefined>;
  byIds(ids: string[]): Promise<AttachmentRow[]>;
  /** The files of these messages, oldest first. */
  ofMessages(messageIds: string[]): Promise<AttachmentRow[]>;
  /** Links uploads to the message they were sent with; returns how many were still unlinked and changed. */
  link(ids: string[], messageId: string, customerId: string | null): Promise<number>;
  /** Bytes stored for this customer (or upload owner) since `since`: the daily allowance. */
  bytesSince(key: { customerId?: string; owner?: string }, since: number): Promise<number>;
  /** Deletes the rows of these messages; returns their hashes, so the caller can drop bytes nobody else refers to. */
  deleteOfMessages(messageIds: string[]): Promise<string[]>;
  deleteOfCustomer(customerId: string): Promise<string[]>;
  /** The rows of every message of a conversation (retention, erasure); returns their hashes. */
  deleteOfConversation(conversationId: string): Promise<string[]>;
  /** Unlinked uploads older than `before` (never sent), deleted; returns their hashes. */
  deleteUnlinkedBefore(before: number, limit: number): Promise<string[]>;
  /** Whether any row still refers to these bytes. */
  referenced(sha256: string): Promise<boolean>;
}

export interface DraftRow {
  id: string;
  conversationId: string;
  messageId: string;
  text: string;
  kind: DraftKind;
  /** JSON array of the FAQ entry ids the draft cites (only ids among `sourceIds`). */
  entryIds: string;
  model: string | null;
  createdAt: number;
  status: DraftStatus;
  /** Why a draft failed, was cancelled or skipped (machine-readable, e.g. `budget`, `timeout`). */
  statusReason: string | null;
  /** JSON array of the FAQ entry ids sent to the model as sources. */
  sourceIds: string;
  /** 1 when the draft cites no FAQ entry: nothing it says is backed by the FAQ. */
  ungrounded: number;
  /** 1 when the model says a person must check something (order data, refunds, anything the FAQ does not state). */
  needsCheck: number;
  needsCheckReason: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  /** Set by the first agent reply after the draft. */
  outcome: DraftOutcome | null;
  /** Normalised edit distance between draft and reply, in thousandths (0 = identical). */
  editPermille: number | null;
  outcomeAgentId: string | null;
  outcomeAt: number | null;
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
export type ConversationRef = Pick<ConversationRow, 'channel' | 'threadKey' | 'status' | 'assigneeId'> & {
  /** Agents invited into it (conversation_participants), who see its events too. */
  participantIds: string[];
};

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

/** Where a conversation sorts in lists: priority (urgent first), waiting since (nulls last), then id. */
export type ConversationKey = Pick<ConversationRow, 'priority' | 'waitingSince' | 'id'>;

export interface TeamRow {
  /** The slug of the name; FAQ entries' `team:` and routing rules name a team by id or name. */
  id: string;
  name: string;
  /** 1: its queued conversations are assigned to online members automatically. */
  autoAssign: number;
  createdAt: number;
}

/** An agent's availability and load (no row: offline, default capacity). */
export interface AgentRoutingRow {
  agentId: string;
  /** Open (assigned) conversations the auto-assigner and claims stop at. */
  capacity: number;
  status: AgentStatus;
  /** Last request or open event stream; presence times out from it. */
  lastSeenAt: number | null;
  /** Last auto-assignment: equally loaded agents take turns, oldest first. */
  lastAssignedAt: number | null;
}

export interface RoutingRuleRow {
  id: string;
  /** JSON: `{"regex":"…"}` or `{"keywords":["…"]}` (src/routing/match.ts). */
  match: string;
  /** Only messages of this channel; null: any channel. */
  channel: string | null;
  teamId: string;
  /** Raises the conversation's priority to at least this; null: leaves it. */
  priority: Priority | null;
  createdAt: number;
}

export interface TeamsRepo {
  insert(row: TeamRow): Promise<void>;
  get(id: string): Promise<TeamRow | undefined>;
  /** By name; there are few teams (the API caps them). */
  list(): Promise<TeamRow[]>;
  update(id: string, patch: Partial<Omit<TeamRow, 'id' | 'createdAt'>>): Promise<void>;
  /** Deletes the team with its memberships and routing rules; false when it did not exist. */
  delete(id: string): Promise<boolean>;
  /** The members' agent ids, sorted. */
  members(teamId: string): Promise<string[]>;
  /** Replaces an agent's teams. */
  setTeamsOf(agentId: string, teamIds: string[]): Promise<void>;
  /** Each agent's team ids, sorted (agents in no team are absent). */
  teamsOf(agentIds: string[]): Promise<Map<string, string[]>>;
}

export interface AgentRoutingRepo {
  get(agentId: string): Promise<AgentRoutingRow | undefined>;
  /** Rows of these agents (those without one are absent). */
  byIds(agentIds: string[]): Promise<Map<string, AgentRoutingRow>>;
  /** Writes the fields given, creating the row from `defaults` when the agent has none. */
  upsert(agentId: string, patch: Partial<Omit<AgentRoutingRow, 'agentId'>>, defaults: Omit<AgentRoutingRow, 'agentId'>): Promise<void>;
  /** Records presence at `now` unless recorded less than `minIntervalMs` ago (or the agent has no row); true when it wrote. */
  touch(agentId: string, now: number, minIntervalMs: number): Promise<boolean>;
}

export interface RoutingRulesRepo {
  insert(row: RoutingRuleRow): Promise<void>;
  /** In the order they are tried: oldest first. */
  list(limit: number): Promise<RoutingRuleRow[]>;
  delete(id: string): Promise<boolean>;
}

export interface ConversationFilter {
  status?: ConversationStatus;
  assigneeId?: string;
  /** Only this team's (null: the general queue's). */
  team?: string | null;
  /** Only those carrying this (normalised) label. */
  label?: string;
  /** true: only snoozed ones; false: only those not snoozed; undefined: both. */
  snoozed?: boolean;
  limit: number;
  after?: ConversationKey;
}

export { CONVERSATION_SORTS, type BrowseKey, type ConversationSort } from '../domain/list-order.js';

/** The console's list with any sort and more filters than `list`; several statuses at once. */
export interface BrowseFilter extends Omit<ConversationFilter, 'status' | 'after'> {
  statuses: ConversationStatus[];
  channel?: string;
  priority?: Priority;
  sort: ConversationSort;
  after?: BrowseKey;
}
/** An outgoing webhook. `secret` signs its requests; the API shows it only when it is made or rotated. */
export interface WebhookRow {
  id: string;
  url: string;
  secret: string;
  createdBy: string;
  createdAt: number;
  secretRotatedAt: number | null;
}

/** A webhook with the event types it receives (`*`: all), sorted. */
export type Webhook = WebhookRow & { events: string[] };

export interface WebhookDeliveryRow {
  /** `<webhook id>:<event seq>`. */
  id: string;
  webhookId: string;
  eventSeq: number;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil: number | null;
  /** The worker process holding the lease (see `src/store/liveness.ts`). */
  leaseOwner: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

/** A leased delivery with what sending it needs: the webhook's address and secret, and the event as stored now. */
export interface WebhookJob {
  delivery: WebhookDeliveryRow;
  url: string;
  secret: string;
  event: Pick<EventRow, 'seq' | 'conversationId' | 'type' | 'data' | 'createdAt'>;
}

/** A line of a webhook's delivery log. */
export type WebhookDeliveryLogRow = WebhookDeliveryRow & { eventType: string };

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
   * Open conversations (or those of `status`), urgent first; within a priority longest waiting
   * first, then those nobody waits on by id; `after` (the last row of the previous page) pages
   * on. Each page is a few index range reads (per status and priority), however many
   * conversations there are.
   */
  list(filter: ConversationFilter): Promise<ConversationRow[]>;
  /** `list`'s page, each row with its last lines and its customer's card, read by the same statements. */
  listWithLines(filter: ConversationFilter): Promise<ListedConversation[]>;
  /** One page in the order `filter.sort` names, past `filter.after`. */
  browse(filter: BrowseFilter): Promise<ConversationRow[]>;
  /** Snoozed conversations whose time came by `now`, soonest first. */
  snoozeDue(now: number, limit: number): Promise<string[]>;
  /** How many conversations each agent holds (status assigned); agents holding none are absent. */
  openCounts(agentIds: string[]): Promise<Map<string, number>>;
  resolvedBefore(cutoff: number, limit: number): Promise<string[]>;
  countQueuedBefore(waitingSince: number): Promise<number>;
  /** A customer's conversations by id; `afterId` pages on. */
  ofCustomer(customerId: string, opts: { afterId?: string; limit: number }): Promise<ConversationRow[]>;
  /** Closed conversations last changed before `cutoff` whose bodies are not purged yet, oldest first. */
  dueForRetention(cutoff: number, limit: number): Promise<string[]>;
  /**
   * Queued or assigned conversations whose SLA clock started at or before `startedBy` and that
   * still lack a breach mark (first response unmet and unmarked, or resolution unmarked), by id
   * after `afterId`: what the breach timer looks at.
   */
  slaOpen(opts: { startedBy: number; afterId?: string; limit: number }): Promise<ConversationRow[]>;
  /** Hand-off and first reply times of the conversations first answered at or after `since`, the newest `limit`. */
  firstResponsesSince(since: number, limit: number): Promise<{ slaStartedAt: number; firstRespondedAt: number }[]>;
}

/** Labels of conversations; a label is on a conversation at most once. */
export interface LabelsRepo {
  /** Adds a label; false when the conversation already carries it. */
  add(row: LabelRow): Promise<boolean>;
  /** Removes a label; false when the conversation did not carry it. */
  remove(conversationId: string, label: string): Promise<boolean>;
  /** The labels of each conversation, alphabetical. */
  of(conversationIds: string[]): Promise<Map<string, string[]>>;
}

/** Agents invited into conversations. */
export interface ParticipantsRepo {
  /** Adds a participant; false when the agent already is one. */
  add(row: ParticipantRow): Promise<boolean>;
  remove(conversationId: string, agentId: string): Promise<boolean>;
  /** The participants of each conversation, by agent id. */
  of(conversationIds: string[]): Promise<Map<string, string[]>>;
}

/** Canned responses, listed by shortcut then id; `after` is the last row of the previous page. */
export interface CannedRepo {
  insert(row: CannedResponseRow): Promise<void>;
  get(id: string): Promise<CannedResponseRow | undefined>;
  update(id: string, patch: Partial<Omit<CannedResponseRow, 'id' | 'ownerId' | 'createdAt'>>): Promise<void>;
  delete(id: string): Promise<boolean>;
  /**
   * Those whose shortcut starts with `prefix` (all when empty); with `teams`, only those of one of
   * `teams.ids` and, when `teams.global`, those of no team.
   */
  list(opts: {
    prefix?: string;
    teams?: { ids: string[]; global: boolean };
    after?: { shortcut: string; id: string };
    limit: number;
  }): Promise<CannedResponseRow[]>;
  /** The one with exactly this shortcut, locale and team, if any. */
  find(shortcut: string, locale: string | null, teamId: string | null): Promise<CannedResponseRow | undefined>;
}

/** Customers and the channel identities (a Telegram user, an email address…) that belong to them. */
export interface CustomersRepo {
  insert(row: CustomerRow): Promise<void>;
  get(id: string): Promise<CustomerRow | undefined>;
  byIds(ids: string[]): Promise<Map<string, CustomerRow>>;
  /** What a list shows of each customer (id, name, email, locale), by id; only those columns are read. */
  cardsOf(ids: string[]): Promise<Map<string, CustomerCard>>;
  findIdentity(channel: string, channelUserId: string): Promise<IdentityRow | undefined>;
  /** The identity and, read by the same statement, its customer (a reply's recipient needs both). */
  findSender(channel: string, channelUserId: string): Promise<{ identity: IdentityRow; customer: CustomerRow | undefined } | undefined>;
  insertIdentity(row: IdentityRow): Promise<void>;
  identitiesOf(customerId: string): Promise<IdentityRow[]>;
  /** The identities of several customers at once, by customer id. */
  identitiesOfMany(customerIds: string[]): Promise<Map<string, IdentityRow[]>>;
  update(id: string, patch: Partial<Omit<CustomerRow, 'id'>>): Promise<void>;
  updateIdentity(id: string, patch: Partial<Omit<IdentityRow, 'id' | 'customerId'>>): Promise<void>;
  /** Customers not merged into another, newest first; `beforeId` pages on. */
  list(opts: { beforeId?: string; limit: number }): Promise<CustomerRow[]>;
  /** Moves identities to another customer (a merge or a split). */
  moveIdentities(identityIds: string[], toCustomerId: string): Promise<void>;
  insertMerge(row: CustomerMergeRow): Promise<void>;
  /** The merge that last brought this identity into its customer and is not split yet. */
  openMergeOf(identityId: string): Promise<CustomerMergeRow | undefined>;
  /** A customer's merges not split yet, either way (into it or out of it), oldest first. */
  mergesOf(customerId: string): Promise<CustomerMergeRow[]>;
  markSplit(id: string, at: number): Promise<void>;
}

/** One identity a merge moved from `fromId` into `intoId`, with the conversations that came with it. */
export interface CustomerMergeRow {
  id: string;
  /** The rows of one merge share it. */
  mergeId: string;
  intoId: string;
  fromId: string;
  /** Null when the merged customer had no identity left (its conversations are still recorded). */
  identityId: string | null;
  /** JSON array of conversation ids. */
  conversationIds: string;
  by: string;
  at: number;
  splitAt: number | null;
}

/** A full-text query: every term required, of these kinds, as `viewerId` may see it (null: an admin, all). */
export interface SearchRequest {
  terms: SearchTerm[];
  kinds: SearchKind[];
  viewerId: string | null;
  limit: number;
  /** The last hit of the previous page. */
  after?: { score: number; id: string };
}

/** One document found: a message or note (by message id) or a customer (by customer id). */
export interface SearchHit {
  id: string;
  kind: SearchKind;
  conversationId: string | null;
  customerId: string;
  createdAt: number;
  /** Lower is more relevant; comparable only within one query. */
  score: number;
}

/** The full-text index (src/store/search-repo.ts). Messages and customers write to it themselves; callers only read. */
export interface SearchRepo {
  /** Indexes a message or note as stored (nothing for blank text). */
  indexMessage(m: MessageRow): Promise<void>;
  /** Indexes a customer's names, email and handles as they are now, or drops them when erased or merged. */
  indexCustomer(customerId: string): Promise<void>;
  remove(ids: string[]): Promise<void>;
  /** Ranked best first, then by id; an erased customer's documents never come back. */
  search(req: SearchRequest): Promise<SearchHit[]>;
  /** The database's plan for `search` (EXPLAIN): how tests and operators check the index is used. */
  explain(req: SearchRequest): Promise<string[]>;
  /** Indexes up to `limit` messages after `afterId` (the migration's backfill); returns the last id read. */
  backfillMessages(afterId: string | undefined, limit: number): Promise<string | undefined>;
  backfillCustomers(afterId: string | undefined, limit: number): Promise<string | undefined>;
}

/** Reply suggestions for agents (LLM or FAQ fallback), kept beside the conversation, never sent by themselves. */
/** One model's token sums (LLM spend), for the budget. */
export interface DraftUsageSum {
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
}

/** A draft without its text, for the LLM report. */
export type DraftReportRow = Omit<DraftRow, 'text' | 'messageId' | 'statusReason' | 'needsCheckReason'>;

export interface DraftsRepo {
  insert(row: DraftRow): Promise<void>;
  update(id: string, values: Partial<Omit<DraftRow, 'id' | 'conversationId'>>): Promise<void>;
  list(conversationId: string): Promise<DraftRow[]>;
  get(id: string): Promise<DraftRow | undefined>;
  /** The latest ready draft of a conversation no reply has been judged against yet. */
  latestPending(conversationId: string): Promise<DraftRow | undefined>;
  /** Token sums by model of the drafts created at or after `since`. */
  usageSince(since: number): Promise<DraftUsageSum[]>;
  /** Drafts created in [from, to), oldest first, without their text. */
  reportRows(from: number, to: number): Promise<DraftReportRow[]>;
  /** Blanks the text of every draft of a conversation; returns how many changed. */
  redact(conversationId: string): Promise<number>;
}

/** One message as a list line: its text (whole; the list shortens it), author and time. */
export interface MessageLine {
  text: string;
  author: MessageAuthor;
  createdAt: number;
}

export interface LastLines {
  last: MessageLine | null;
  fromCustomer: MessageLine | null;
}

/** The columns of a conversation a list shows: every other value read costs a list page (see listWithLines). */
export type ListedRow = Omit<
  ConversationRow,
  'threadKey' | 'lastAssigneeId' | 'firstResponseBreachedAt' | 'resolutionBreachedAt' | 'redactedAt'
>;

/** A conversation of a list page with what the list shows beside it (see ConversationsRepo.listWithLines). */
export interface ListedConversation {
  row: ListedRow;
  lines: LastLines;
  /** Null when the customer row is missing. */
  customer: CustomerCard | null;
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
  /**
   * What a list shows of each conversation's messages: its last customer-visible message, and its
   * last message from the customer (not the bot's or an agent's reply). Conversations without
   * either are absent.
   */
  lastLinesOf(conversationIds: string[]): Promise<Map<string, LastLines>>;
  /**
   * Blanks the text and meta (attachment references, raw headers) of up to `limit` messages of a
   * conversation not blank yet, and with `externalIds` their platform ids too; returns how many
   * changed, so a caller loops in small batches until 0.
   */
  redact(conversationId: string, opts: { externalIds: boolean; limit: number }): Promise<number>;
}

export interface OutboxRepo extends LeasedRows {
  insert(row: OutboxRow): Promise<void>;
  /**
   * Leases up to `limit` due rows to this worker until `leaseUntil`: only the earliest unsent row
   * of each conversation, so replies leave in order even when one is waiting for a retry or is
   * in flight on another instance. A row whose lease expired (its worker crashed mid-send) is due
   * again: that is the "at most one resend" case.
   */
  leaseDue(now: number, leaseUntil: number, limit: number, owner?: string): Promise<OutboxRow[]>;
  get(id: string): Promise<OutboxRow | undefined>;
  update(id: string, patch: Partial<Omit<OutboxRow, 'id'>>): Promise<void>;
  forMessages(messageIds: string[]): Promise<Map<string, OutboxRow>>;
  /** When the next row becomes due, so the worker can sleep until then. */
  nextDueAt(): Promise<number | undefined>;
  /** Blanks the payloads of a conversation's rows; pending ones fail with `reason` instead of being sent. */
  redact(conversationId: string, reason: string): Promise<number>;
}

/** What leases rows to worker processes: the outbox and webhook deliveries; src/outbox/reclaim.ts releases a dead owner's. */
export interface LeasedRows {
  /** Owners holding a lease on an unsent row right now. */
  leaseOwners(now: number): Promise<string[]>;
  /** Releases every lease of unsent rows held by these owners (workers known dead, or stopping); returns how many. */
  releaseLeases(owners: string[]): Promise<number>;
}

/** Outgoing webhooks and the event types each receives. */
export interface WebhooksRepo {
  /** Inserts a webhook receiving `events` (event type names, or `*`). */
  insert(row: WebhookRow, events: string[]): Promise<void>;
  get(id: string): Promise<Webhook | undefined>;
  /** Oldest first. */
  list(limit: number): Promise<Webhook[]>;
  count(): Promise<number>;
  /** Replaces the signing secret; false when there is no such webhook. */
  setSecret(id: string, secret: string, now: number): Promise<boolean>;
  /** Removes the webhook with its subscriptions and its deliveries (pending ones are never sent); false when there was none. */
  delete(id: string): Promise<boolean>;
}

/** Deliveries of events to webhooks, leased to workers like the outbox. */
export interface WebhookDeliveriesRepo extends LeasedRows {
  /**
   * Leases up to `limit` due deliveries to `owner` until `leaseUntil`, with what sending needs. A
   * delivery whose lease expired (its worker crashed mid-send) is due again.
   */
  leaseDue(now: number, leaseUntil: number, limit: number, owner?: string): Promise<WebhookJob[]>;
  get(id: string): Promise<WebhookDeliveryRow | undefined>;
  update(id: string, patch: Partial<Omit<WebhookDeliveryRow, 'id' | 'webhookId' | 'eventSeq'>>): Promise<void>;
  /** When the next pending delivery becomes due, so the worker can sleep until then. */
  nextDueAt(): Promise<number | undefined>;
  /** Deletes up to `limit` finished (delivered or failed) deliveries made before `before`; returns how many. */
  prune(before: number, limit: number): Promise<number>;
  /** A webhook's delivery log, newest event first; `beforeSeq` pages on. */
  log(webhookId: string, opts: { beforeSeq?: number; limit: number }): Promise<WebhookDeliveryLogRow[]>;
}

export interface AgentsRepo {
  insert(row: AgentRow): Promise<void>;
  get(id: string): Promise<AgentRow | undefined>;
  /** By name. */
  list(): Promise<AgentRow[]>;
  /** Changes an agent's role (the only field that changes after creation). */
  update(id: string, patch: Pick<AgentRow, 'role'>): Promise<void>;
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
  /** Events of one type created in [from, to), oldest first (a report's read). */
  ofType(type: string, from: number, to: number): Promise<EventRow[]>;
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

/** A model call's budget reservation while it is in flight (see the schema's `llm_reservations`). */
export interface LlmReservationRow {
  id: string;
  kind: string;
  /** The call's worst-case cost, in LLM_PRICES' currency. */
  cost: number;
  createdAt: number;
}

export interface LlmReservationsRepo {
  insert(row: LlmReservationRow): Promise<void>;
  /** Deletes the reservation; false when it was gone already. */
  delete(id: string): Promise<boolean>;
  /** Every reservation held, oldest first (`switchboard llm reservations`). */
  list(): Promise<LlmReservationRow[]>;
  /** Deletes the reservations with these ids; returns the rows deleted (ids not found are skipped). */
  deleteIds(ids: string[]): Promise<LlmReservationRow[]>;
  /** The summed cost of the reservations made since `since` (0 for none). */
  costSince(since: number): Promise<number>;
  /**
   * Drops reservations made before `before` and returns them: past months' rows (they no longer
   * count in any budget), or those an operator clears as left behind by a crash.
   */
  purge(before: number): Promise<LlmReservationRow[]>;
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
/** A setting changed at run time (the SLA policy): its JSON value, when and by whom. */
export interface SettingRow {
  key: string;
  value: string;
  updatedAt: number;
  updatedBy: string;
}

export interface SettingsRepo {
  get(key: string): Promise<SettingRow | undefined>;
  /** Inserts or replaces the key's value. */
  set(row: SettingRow): Promise<void>;
}

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
/** A report's window: conversations opened at or after `from` and before `to` (epoch ms). */
export interface ReportWindow {
  from: number;
  to: number;
  /** Only the conversations of this channel and/or this team (the team they are counted under). */
  channel?: string;
  team?: string;
}
export const REPORT_GROUPS = ['channel', 'team', 'agent'] as const;
export type ReportGroupBy = (typeof REPORT_GROUPS)[number];
export const SERIES_METRICS = [
  'conversations',
  'handoffs',
  'bot_resolved',
  'first_response_median',
  'resolution_median',
  'csat_average',
  'sla_breaches',
] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];
/** One bar of a time series: conversations opened in [start, end). */
export interface ReportBucket {
  start: number;
  end: number;
}

/** Counts and durations (ms; nearest-rank percentiles) over the conversations opened in a window. */
export interface ReportFigures {
  conversations: number;
  /** Never handed off and never answered by an agent. */
  botResolved: number;
  handoffs: number;
  resolved: number;
  firstResponses: number;
  resolutions: number;
  firstResponseMs: { median: number | null; p90: number | null };
  resolutionMs: { median: number | null; p90: number | null };
  /** The same times in business time, as `businessMs` measures them; nulls when no measure was given. */
  firstResponseBusinessMs: { median: number | null; p90: number | null };
  resolutionBusinessMs: { median: number | null; p90: number | null };
  slaBreaches: number;
  csatResponses: number;
  csatSum: number;
}
export interface GroupedFigures extends ReportFigures {
  /** The channel, team or agent id; null for conversations without one. */
  key: string | null;
}

export interface ReportsRepo {
  /**
   * The window's figures, and the same per channel, team or agent (groups partition the total).
   * `businessMs(start, end)` measures each first-response and resolution time in business time
   * (the SLA calendar; the store knows none).
   */
  figures(
    window: ReportWindow,
    groupBy?: ReportGroupBy,
    businessMs?: (start: number, end: number) => number,
  ): Promise<{ total: ReportFigures; groups: GroupedFigures[] }>;
  /** One value per bucket, in the buckets' order: counts are 0 and medians and averages null where nothing was opened. */
  series(buckets: ReportBucket[], metric: SeriesMetric, only?: Pick<ReportWindow, 'channel' | 'team'>): Promise<(number | null)[]>;
}

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
  settings: SettingsRepo;
  faqSuggestions: FaqSuggestionsRepo;
  labels: LabelsRepo;
  participants: ParticipantsRepo;
  canned: CannedRepo;
  webhooks: WebhooksRepo;
  webhookDeliveries: WebhookDeliveriesRepo;
  /** Email copies of agents' web chat replies (src/outbox/email-copies.ts). */
  emailCopies: EmailCopiesRepo;
  monitor: MonitorRepo;
  teams: TeamsRepo;
  agentRouting: AgentRoutingRepo;
  routingRules: RoutingRulesRepo;
  search: SearchRepo;
  reports: ReportsRepo;
  attachments: AttachmentsRepo;
  /** The model calls in flight, reserved against LLM_MONTHLY_BUDGET (src/pipeline/drafting.ts). */
  llmReservations: LlmReservationsRepo;
  /** Serialises transactions that touch the same key (a thread, an identity) until this one ends. */
  lock(key: string): Promise<void>;
  /** Runs after this transaction commits (e.g. wake SSE streams); dropped on rollback. */
  afterCommit(fn: () => void): void;
}

export const EMAIL_COPY_STATUSES = ['pending', 'sent', 'skipped', 'failed'] as const;
export type EmailCopyStatus = (typeof EMAIL_COPY_STATUSES)[number];

/** The email copy of one agent reply on a web chat conversation (see the schema's comment). */
export interface EmailCopyRow {
  messageId: string;
  conversationId: string;
  status: EmailCopyStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil: number | null;
  leaseOwner: string | null;
  lastError: string | null;
  externalId: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface EmailCopiesRepo extends LeasedRows {
  /** Queues a copy; a second insert for the same message changes nothing (false). */
  insert(row: EmailCopyRow): Promise<boolean>;
  /** Leases due copies, only the earliest unsent one of each conversation, so copies thread in order. */
  leaseDue(now: number, leaseUntil: number, limit: number, owner?: string): Promise<EmailCopyRow[]>;
  get(messageId: string): Promise<EmailCopyRow | undefined>;
  update(messageId: string, patch: Partial<Omit<EmailCopyRow, 'messageId' | 'conversationId'>>): Promise<void>;
  nextDueAt(): Promise<number | undefined>;
  forMessages(messageIds: string[]): Promise<Map<string, EmailCopyRow>>;
  /** The Message-IDs of the conversation's copies already sent, oldest first (the References chain). */
  sentIds(conversationId: string, limit: number): Promise<string[]>;
  /**
   * The visitor saw the chat: pending copies of replies made up to `upTo` are skipped (a copy
   * being sent right now, under a live lease, goes out). Returns how many.
   */
  skipPending(conversationId: string, upTo: number, now: number, reason: string): Promise<number>;
}
