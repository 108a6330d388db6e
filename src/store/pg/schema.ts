import { pgTable, text, bigint, bigserial, integer, doublePrecision, index, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import {
  AGENT_ROLES,
  DRAFT_KINDS,
  DRAFT_STATUSES,
  DRAFT_OUTCOMES,
  MESSAGE_AUTHORS,
  MESSAGE_DIRECTIONS,
  OUTBOX_STATUSES,
  STATUSES,
  PRIORITIES,
  CUSTOMER_TIERS,
  FAQ_SUGGESTION_SOURCES,
  FAQ_SUGGESTION_STATUSES,
  AGENT_STATUSES,
  SEARCH_KINDS,
  WEBHOOK_DELIVERY_STATUSES,
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
  /** What agents note about the customer (PATCH /api/customers/:id). */
  notes: text('notes'),
  /** Set while the customer is merged into another (src/customers/merge.ts); a split clears it again. */
  mergedInto: text('merged_into'),
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
    /** When the SLA clock started: the hand-off (or the reopen) the targets count from (src/sla/policy.ts). */
    slaStartedAt: bigint('sla_started_at', { mode: 'number' }),
    /** The first agent reply since then; bot replies never count. */
    firstRespondedAt: bigint('first_responded_at', { mode: 'number' }),
    /** When the breach events were written (src/sla/breaches.ts), so each is written once. */
    firstResponseBreachedAt: bigint('first_response_breached_at', { mode: 'number' }),
    resolutionBreachedAt: bigint('resolution_breached_at', { mode: 'number' }),
    /** When the message bodies were purged (retention or erasure): the job never visits it again. */
    redactedAt: bigint('redacted_at', { mode: 'number' }),
    /** Until when agents set it aside (snooze); null when it is in their lists. src/queue/snooze.ts wakes it. */
    snoozedUntil: bigint('snoozed_until', { mode: 'number' }),
  },
  (t) => [
    index('conversations_thread').on(t.channel, t.threadKey),
    // The list pages (conversations-repo.ts): by status, and by assignee and status.
    index('conversations_status').on(t.status, t.waitingSince, t.id),
    index('conversations_assignee').on(t.assigneeId, t.status, t.priority, t.waitingSince, t.id),
    // The queue pages: by status, then priority (one range per priority), then waiting time; and per team.
    index('conversations_queue').on(t.status, t.priority, t.waitingSince, t.id),
    index('conversations_team_queue').on(t.team, t.status, t.priority, t.waitingSince, t.id),
    // The retention job's scan: closed, not yet purged, oldest first.
    index('conversations_retention').on(t.status, t.redactedAt, t.updatedAt),
    // sort=activity (browse): newest activity first within a status, read one status at a time.
    index('conversations_activity').on(t.status, t.lastMessageAt, t.id),
    index('conversations_customer').on(t.customerId, t.id),
    // The snooze timer's scan: the snoozed ones whose time has come.
    index('conversations_snoozed').on(t.snoozedUntil),
    // The breach timer's scan (open, started before a cutoff) and the median of recent first responses.
    index('conversations_sla').on(t.status, t.slaStartedAt, t.id),
    index('conversations_first_response').on(t.firstRespondedAt),
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
    status: text('status', { enum: DRAFT_STATUSES }).notNull().default('ready'),
    statusReason: text('status_reason'),
    sourceIds: text('source_ids').notNull().default('[]'),
    ungrounded: integer('ungrounded').notNull().default(0),
    needsCheck: integer('needs_check').notNull().default(0),
    needsCheckReason: text('needs_check_reason'),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    cacheWriteTokens: integer('cache_write_tokens').notNull().default(0),
    cacheReadTokens: integer('cache_read_tokens').notNull().default(0),
    outcome: text('outcome', { enum: DRAFT_OUTCOMES }),
    editPermille: integer('edit_permille'),
    outcomeAgentId: text('outcome_agent_id'),
    outcomeAt: bigint('outcome_at', { mode: 'number' }),
  },
  (t) => [index('drafts_conversation').on(t.conversationId), index('drafts_created').on(t.createdAt)],
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

/** Free labels on conversations ("complaint", "退款"…), normalised by src/domain/labels.ts. */
export const conversationLabels = pgTable(
  'conversation_labels',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    label: text('label').notNull(),
    /** An agent id, or `system` for a label the pipeline adds (complaints). */
    createdBy: text('created_by').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.label] }),
    // ?label= lists: the conversations carrying one label.
    index('conversation_labels_label').on(t.label, t.conversationId),
  ],
);

/** Agents invited into a conversation they do not hold: they see its events and may reply and note. */
export const conversationParticipants = pgTable(
  'conversation_participants',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id),
    addedBy: text('added_by').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.agentId] }), index('conversation_participants_agent').on(t.agentId, t.conversationId)],
);

/** Canned responses: a shortcut agents type, the text it expands to (with {{placeholders}}), optionally per locale and team. */
export const cannedResponses = pgTable(
  'canned_responses',
  {
    id: text('id').primaryKey(),
    shortcut: text('shortcut').notNull(),
    text: text('text').notNull(),
    locale: text('locale'),
    teamId: text('team_id'),
    ownerId: text('owner_id').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('canned_responses_shortcut').on(t.shortcut, t.id)],
);
/** Teams conversations are routed to; the id is the slug of the name (src/routing/teams.ts). */
export const teams = pgTable('teams', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** 1: queued conversations of the team are assigned to its online members (src/routing/assigner.ts). */
  autoAssign: integer('auto_assign').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
});

/** Which agents belong to which teams. */
export const teamMembers = pgTable(
  'team_members',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id),
  },
  (t) => [uniqueIndex('team_members_pair').on(t.teamId, t.agentId), index('team_members_agent').on(t.agentId)],
);

/**
 * An agent's availability and load settings, beside the agent row: a missing row is an offline
 * agent of the default capacity. `lastAssignedAt` makes ties between equally loaded agents go
 * round-robin, on every instance and after restarts.
 */
export const agentRouting = pgTable('agent_routing', {
  agentId: text('agent_id')
    .primaryKey()
    .references(() => agents.id),
  capacity: integer('capacity').notNull(),
  status: text('status', { enum: AGENT_STATUSES }).notNull(),
  lastSeenAt: bigint('last_seen_at', { mode: 'number' }),
  lastAssignedAt: bigint('last_assigned_at', { mode: 'number' }),
});

/** Admin-defined hand-off routing, tried in order of creation; `match` is JSON (src/routing/match.ts). */
export const routingRules = pgTable('routing_rules', {
  id: text('id').primaryKey(),
  match: text('match').notNull(),
  channel: text('channel'),
  teamId: text('team_id')
    .notNull()
    .references(() => teams.id),
  priority: text('priority', { enum: PRIORITIES }),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
});

/** Settings an admin changes at run time (the SLA policy), one JSON value per key, shared by every instance. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  updatedBy: text('updated_by').notNull(),
});
/** What full-text search finds; see ../sqlite/schema.ts. The GIN index on its tsvector is made by a hand-written migration. */
export const searchDocuments = pgTable(
  'search_documents',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull(),
    kind: text('kind', { enum: SEARCH_KINDS }).notNull(),
    conversationId: text('conversation_id'),
    customerId: text('customer_id'),
    body: text('body').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('search_documents_id').on(t.id)],
);

/** One identity a merge moved; see ../sqlite/schema.ts. */
export const customerMerges = pgTable(
  'customer_merges',
  {
    id: text('id').primaryKey(),
    mergeId: text('merge_id').notNull(),
    intoId: text('into_id')
      .notNull()
      .references(() => customers.id),
    fromId: text('from_id')
      .notNull()
      .references(() => customers.id),
    identityId: text('identity_id'),
    conversationIds: text('conversation_ids').notNull(),
    by: text('by').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
    splitAt: bigint('split_at', { mode: 'number' }),
  },
  (t) => [index('customer_merges_identity').on(t.identityId, t.splitAt)],
);

/** Outgoing webhooks (src/webhooks/): where events are POSTed, signed with `secret` (stored as is: signing needs it). */
export const webhooks = pgTable('webhooks', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  secretRotatedAt: bigint('secret_rotated_at', { mode: 'number' }),
});

/** The event types a webhook receives, one row each (`*`: every type); event appends match on `type`. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.id),
    type: text('type').notNull(),
  },
  (t) => [uniqueIndex('webhook_events_webhook_type').on(t.webhookId, t.type), index('webhook_events_type').on(t.type)],
);

/**
 * One event to deliver to one webhook, written in the event's own transaction and leased like
 * the outbox (lease owner and expiry, attempts, next attempt, give-up); the body is built from
 * the event row at send time, so an erasure that rewrites the event reaches pending deliveries.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.id),
    eventSeq: bigint('event_seq', { mode: 'number' }).notNull(),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: bigint('next_attempt_at', { mode: 'number' }).notNull(),
    leaseUntil: bigint('lease_until', { mode: 'number' }),
    leaseOwner: text('lease_owner'),
    /** The HTTP status of the last attempt; null when it got no response (network error, timeout). */
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    deliveredAt: bigint('delivered_at', { mode: 'number' }),
  },
  (t) => [
    // One delivery per event and webhook, however often an append is retried; also the log's page order.
    uniqueIndex('webhook_deliveries_event').on(t.webhookId, t.eventSeq),
    index('webhook_deliveries_due').on(t.status, t.nextAttemptAt),
  ],
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

/** Email copies of agents' web chat replies; see ../sqlite/schema.ts. */
export const emailCopies = pgTable(
  'email_copies',
  {
    messageId: text('message_id')
      .primaryKey()
      .references(() => messages.id),
    conversationId: text('conversation_id').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: bigint('next_attempt_at', { mode: 'number' }).notNull(),
    leaseUntil: bigint('lease_until', { mode: 'number' }),
    leaseOwner: text('lease_owner'),
    lastError: text('last_error'),
    externalId: text('external_id'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    sentAt: bigint('sent_at', { mode: 'number' }),
  },
  (t) => [index('email_copies_due').on(t.status, t.nextAttemptAt), index('email_copies_conversation').on(t.conversationId, t.status)],
);

/** See the SQLite schema. */
export const attachments = pgTable(
  'attachments',
  {
    id: text('id').primaryKey(),
    messageId: text('message_id'),
    customerId: text('customer_id'),
    owner: text('owner'),
    sha256: text('sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    mime: text('mime').notNull(),
    name: text('name').notNull(),
    inline: integer('inline').notNull().default(0),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    index('attachments_message').on(t.messageId),
    index('attachments_customer').on(t.customerId, t.createdAt),
    index('attachments_owner').on(t.owner, t.createdAt),
    index('attachments_sha256').on(t.sha256),
  ],
);

/** See the SQLite schema. */
export const llmReservations = pgTable(
  'llm_reservations',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    cost: doublePrecision('cost').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('llm_reservations_created').on(t.createdAt)],
);
