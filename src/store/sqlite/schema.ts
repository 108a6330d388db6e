import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  AGENT_ROLES,
  DRAFT_KINDS,
  MESSAGE_AUTHORS,
  MESSAGE_DIRECTIONS,
  OUTBOX_STATUSES,
  STATUSES,
  PRIORITIES,
  CUSTOMER_TIERS,
  FAQ_SUGGESTION_SOURCES,
  FAQ_SUGGESTION_STATUSES,
} from '../ports.js';

/*
 * SQLite's tables, and the tables every repository builds its queries from (../dialect.ts).
 * Mirrors ../pg/schema.ts column for column (test/store/schema-parity.test.ts): timestamps are
 * epoch milliseconds, JSON is text, enum columns are typed text (no SQL constraint).
 */

export const customers = sqliteTable('customers', {
  id: text('id').primaryKey(),
  displayName: text('display_name'),
  email: text('email'),
  locale: text('locale'),
  createdAt: integer('created_at').notNull(),
  /** When the customer's personal data was erased (src/privacy/erase.ts); the row stays for the reports. */
  erasedAt: integer('erased_at'),
  tier: text('tier', { enum: CUSTOMER_TIERS }).notNull().default('standard'),
});

export const channelIdentities = sqliteTable(
  'channel_identities',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    channel: text('channel').notNull(),
    channelUserId: text('channel_user_id').notNull(),
    displayName: text('display_name'),
    username: text('username'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('channel_identities_channel_user').on(t.channel, t.channelUserId)],
);

export const conversations = sqliteTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    channel: text('channel').notNull(),
    threadKey: text('thread_key').notNull(),
    status: text('status', { enum: STATUSES }).notNull(),
    assigneeId: text('assignee_id'),
    lastAssigneeId: text('last_assignee_id'),
    team: text('team'),
    priority: text('priority', { enum: PRIORITIES }).notNull().default('normal'),
    locale: text('locale'),
    subject: text('subject'),
    waitingSince: integer('waiting_since'),
    lastMessageAt: integer('last_message_at').notNull(),
    resolvedAt: integer('resolved_at'),
    /** Customer satisfaction, 1–5, answered to the question sent on resolve. */
    csat: integer('csat'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** When the message bodies were purged (retention or erasure): the job never visits it again. */
    redactedAt: integer('redacted_at'),
  },
  (t) => [
    index('conversations_thread').on(t.channel, t.threadKey),
    // The list pages (conversations-repo.ts): by status, and by assignee and status.
    index('conversations_status').on(t.status, t.waitingSince, t.id),
    index('conversations_assignee').on(t.assigneeId, t.status, t.waitingSince, t.id),
    // The retention job's scan: closed, not yet purged, oldest first.
    index('conversations_retention').on(t.status, t.redactedAt, t.updatedAt),
    index('conversations_customer').on(t.customerId, t.id),
  ],
);

export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    channel: text('channel').notNull(),
    externalId: text('external_id'),
    direction: text('direction', { enum: MESSAGE_DIRECTIONS }).notNull(),
    author: text('author', { enum: MESSAGE_AUTHORS }).notNull(),
    agentId: text('agent_id'),
    text: text('text').notNull(),
    meta: text('meta'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('messages_channel_external').on(t.channel, t.externalId), index('messages_conversation').on(t.conversationId, t.id)],
);

export const drafts = sqliteTable(
  'drafts',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    messageId: text('message_id').notNull(),
    text: text('text').notNull(),
    kind: text('kind', { enum: DRAFT_KINDS }).notNull(),
    entryIds: text('entry_ids').notNull(),
    model: text('model'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('drafts_conversation').on(t.conversationId)],
);

export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id),
    conversationId: text('conversation_id').notNull(),
    channel: text('channel').notNull(),
    payload: text('payload').notNull(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseUntil: integer('lease_until'),
    /** The worker process holding the lease, so a dead worker's leases can be released before they expire. */
    leaseOwner: text('lease_owner'),
    lastError: text('last_error'),
    externalId: text('external_id'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (t) => [
    index('outbox_due').on(t.status, t.nextAttemptAt),
    uniqueIndex('outbox_message').on(t.messageId),
    // leaseDue looks for an earlier unsent row of the same conversation.
    index('outbox_conversation').on(t.conversationId, t.status, t.id),
  ],
);

export const agents = sqliteTable('agents', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role', { enum: AGENT_ROLES }).notNull(),
  createdAt: integer('created_at').notNull(),
});

export const events = sqliteTable(
  'events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    conversationId: text('conversation_id'),
    type: text('type').notNull(),
    data: text('data').notNull(),
    createdAt: integer('created_at').notNull(),
    /** PostgreSQL only: the writing transaction, so readers skip events whose transaction may still be open. */
    txId: integer('tx_id'),
  },
  (t) => [index('events_conversation').on(t.conversationId, t.seq)],
);

export const webchatSessions = sqliteTable('webchat_sessions', {
  id: text('id').primaryKey(),
  secretHash: text('secret_hash').notNull(),
  createdAt: integer('created_at').notNull(),
  /** Last authorised use (updated at most every few minutes); idle sessions expire from it. */
  lastSeenAt: integer('last_seen_at'),
});

/** One fixed-window request counter per key, shared by every instance on one database. */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
});

export const channelState = sqliteTable('channel_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const faqSuggestions = sqliteTable(
  'faq_suggestions',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    messageId: text('message_id'),
    entryId: text('entry_id'),
    newEntry: integer('new_entry').notNull(),
    locale: text('locale').notNull(),
    question: text('question').notNull(),
    answer: text('answer'),
    source: text('source', { enum: FAQ_SUGGESTION_SOURCES }).notNull(),
    createdBy: text('created_by').notNull(),
    status: text('status', { enum: FAQ_SUGGESTION_STATUSES }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: integer('decided_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('faq_suggestions_status').on(t.status, t.createdAt)],
);

/** Bearer tokens of agents, several per agent; only the SHA-256 of a token is stored. */
export const agentTokens = sqliteTable(
  'agent_tokens',
  {
    id: text('id').primaryKey(),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id),
    tokenHash: text('token_hash').notNull().unique(),
    label: text('label'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at'),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('agent_tokens_agent').on(t.agentId, t.id)],
);

/** Who did what and when: token events, agent actions, customer export and erasure. `detail` is JSON without secrets. */
export const audit = sqliteTable(
  'audit',
  {
    id: text('id').primaryKey(),
    at: integer('at').notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action').notNull(),
    subjectId: text('subject_id'),
    detail: text('detail').notNull(),
  },
  (t) => [index('audit_at').on(t.at, t.id), index('audit_actor').on(t.actorId, t.at, t.id)],
);

/**
 * One row per conversation with the moments and figures the reports read (src/store/reports-repo.ts),
 * kept by the events it follows in the same transaction as each event (src/store/conversation-facts.ts),
 * so a report reads one indexed range of this table instead of the event log. Not a foreign key of
 * `conversations`: it holds no personal data and outlives erasure like the event log does.
 */
export const conversationFacts = sqliteTable(
  'conversation_facts',
  {
    conversationId: text('conversation_id').primaryKey(),
    channel: text('channel').notNull(),
    /** The team and agent the conversation is counted under (see conversation-facts.ts, "attribution"). */
    team: text('team'),
    agentId: text('agent_id'),
    /** When team and agent stopped following the conversation: its first agent reply, else its resolution. */
    attributedAt: integer('attributed_at'),
    openedAt: integer('opened_at').notNull(),
    handedOffAt: integer('handed_off_at'),
    firstResponseAt: integer('first_response_at'),
    /** From the hand-off (or the opening, when an agent wrote without one) to the first agent reply. */
    firstResponseMs: integer('first_response_ms'),
    resolvedAt: integer('resolved_at'),
    /** From the opening to the latest resolution; null again while reopened. */
    resolutionMs: integer('resolution_ms'),
    csatScore: integer('csat_score'),
    slaBreaches: integer('sla_breaches').notNull().default(0),
  },
  (t) => [index('conversation_facts_opened').on(t.openedAt), index('conversation_facts_resolved').on(t.resolvedAt)],
);
