import { pgTable, text, bigint, bigserial, integer, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
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
 * PostgreSQL's tables: its DDL and migrations (drizzle/pg). Mirrors ../sqlite/schema.ts column for
 * column (test/store/schema-parity.test.ts): timestamps are epoch milliseconds (bigint as number),
 * JSON is text, enum columns are typed text (no SQL enum type).
 */

export const customers = pgTable('customers', {
  id: text('id').primaryKey(),
  displayName: text('display_name'),
  email: text('email'),
  locale: text('locale'),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  /** When the customer's personal data was erased (src/privacy/erase.ts); the row stays for the reports. */
  erasedAt: bigint('erased_at', { mode: 'number' }),
  tier: text('tier', { enum: CUSTOMER_TIERS }).notNull().default('standard'),
});

export const channelIdentities = pgTable(
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
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('channel_identities_channel_user').on(t.channel, t.channelUserId)],
);

export const conversations = pgTable(
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
    waitingSince: bigint('waiting_since', { mode: 'number' }),
    lastMessageAt: bigint('last_message_at', { mode: 'number' }).notNull(),
    resolvedAt: bigint('resolved_at', { mode: 'number' }),
    /** Customer satisfaction, 1–5, answered to the question sent on resolve. */
    csat: integer('csat'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
    /** When the message bodies were purged (retention or erasure): the job never visits it again. */
    redactedAt: bigint('redacted_at', { mode: 'number' }),
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

export const messages = pgTable(
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
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('messages_channel_external').on(t.channel, t.externalId), index('messages_conversation').on(t.conversationId, t.id)],
);

export const drafts = pgTable(
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
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('drafts_conversation').on(t.conversationId)],
);

export const outbox = pgTable(
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
    nextAttemptAt: bigint('next_attempt_at', { mode: 'number' }).notNull(),
    leaseUntil: bigint('lease_until', { mode: 'number' }),
    /** The worker process holding the lease, so a dead worker's leases can be released before they expire. */
    leaseOwner: text('lease_owner'),
    lastError: text('last_error'),
    externalId: text('external_id'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    sentAt: bigint('sent_at', { mode: 'number' }),
  },
  (t) => [
    index('outbox_due').on(t.status, t.nextAttemptAt),
    uniqueIndex('outbox_message').on(t.messageId),
    // leaseDue looks for an earlier unsent row of the same conversation.
    index('outbox_conversation').on(t.conversationId, t.status, t.id),
  ],
);

export const agents = pgTable('agents', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role', { enum: AGENT_ROLES }).notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
});

export const events = pgTable(
  'events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    conversationId: text('conversation_id'),
    type: text('type').notNull(),
    data: text('data').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    /** The writing transaction, so readers skip events whose transaction may still be open. */
    txId: bigint('tx_id', { mode: 'number' }).default(sql`pg_current_xact_id()::text::bigint`),
  },
  (t) => [index('events_conversation').on(t.conversationId, t.seq)],
);

export const webchatSessions = pgTable('webchat_sessions', {
  id: text('id').primaryKey(),
  secretHash: text('secret_hash').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  /** Last authorised use (updated at most every few minutes); idle sessions expire from it. */
  lastSeenAt: bigint('last_seen_at', { mode: 'number' }),
});

/** One fixed-window request counter per key, shared by every instance on one database. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: bigint('window_start', { mode: 'number' }).notNull(),
  count: integer('count').notNull(),
});

export const channelState = pgTable('channel_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const faqSuggestions = pgTable(
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
    decidedAt: bigint('decided_at', { mode: 'number' }),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('faq_suggestions_status').on(t.status, t.createdAt)],
);

/** Bearer tokens of agents, several per agent; only the SHA-256 of a token is stored. */
export const agentTokens = pgTable(
  'agent_tokens',
  {
    id: text('id').primaryKey(),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id),
    tokenHash: text('token_hash').notNull().unique(),
    label: text('label'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    expiresAt: bigint('expires_at', { mode: 'number' }),
    lastUsedAt: bigint('last_used_at', { mode: 'number' }),
    revokedAt: bigint('revoked_at', { mode: 'number' }),
  },
  (t) => [index('agent_tokens_agent').on(t.agentId, t.id)],
);

/** Who did what and when: token events, agent actions, customer export and erasure. `detail` is JSON without secrets. */
export const audit = pgTable(
  'audit',
  {
    id: text('id').primaryKey(),
    at: bigint('at', { mode: 'number' }).notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action').notNull(),
    subjectId: text('subject_id'),
    detail: text('detail').notNull(),
  },
  (t) => [index('audit_at').on(t.at, t.id), index('audit_actor').on(t.actorId, t.at, t.id)],
);

/** Per-conversation report figures; see ../sqlite/schema.ts. */
export const conversationFacts = pgTable(
  'conversation_facts',
  {
    conversationId: text('conversation_id').primaryKey(),
    channel: text('channel').notNull(),
    team: text('team'),
    agentId: text('agent_id'),
    attributedAt: bigint('attributed_at', { mode: 'number' }),
    openedAt: bigint('opened_at', { mode: 'number' }).notNull(),
    handedOffAt: bigint('handed_off_at', { mode: 'number' }),
    firstResponseAt: bigint('first_response_at', { mode: 'number' }),
    firstResponseMs: bigint('first_response_ms', { mode: 'number' }),
    resolvedAt: bigint('resolved_at', { mode: 'number' }),
    resolutionMs: bigint('resolution_ms', { mode: 'number' }),
    csatScore: integer('csat_score'),
    slaBreaches: integer('sla_breaches').notNull().default(0),
  },
  (t) => [index('conversation_facts_opened').on(t.openedAt), index('conversation_facts_resolved').on(t.resolvedAt)],
);
