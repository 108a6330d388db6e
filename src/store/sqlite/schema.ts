import { sqliteTable, text, integer, real, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
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
  /** What agents note about the customer (PATCH /api/customers/:id). */
  notes: text('notes'),
  /** Set while the customer is merged into another (src/customers/merge.ts); a split clears it again. */
  mergedInto: text('merged_into'),
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
    /** When the SLA clock started: the hand-off (or the reopen) the targets count from (src/sla/policy.ts). */
    slaStartedAt: integer('sla_started_at'),
    /** The first agent reply since then; bot replies never count. */
    firstRespondedAt: integer('first_responded_at'),
    /** When the breach events were written (src/sla/breaches.ts), so each is written once. */
    firstResponseBreachedAt: integer('first_response_breached_at'),
    resolutionBreachedAt: integer('resolution_breached_at'),
    /** When the message bodies were purged (retention or erasure): the job never visits it again. */
    redactedAt: integer('redacted_at'),
    /** Until when agents set it aside (snooze); null when it is in their lists. src/queue/snooze.ts wakes it. */
    snoozedUntil: integer('snoozed_until'),
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
    outcomeAt: integer('outcome_at'),
  },
  (t) => [index('drafts_conversation').on(t.conversationId), index('drafts_created').on(t.createdAt)],
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

/** Free labels on conversations ("complaint", "退款"…), normalised by src/domain/labels.ts. */
export const conversationLabels = sqliteTable(
  'conversation_labels',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    label: text('label').notNull(),
    /** An agent id, or `system` for a label the pipeline adds (complaints). */
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.label] }),
    // ?label= lists: the conversations carrying one label.
    index('conversation_labels_label').on(t.label, t.conversationId),
  ],
);

/** Agents invited into a conversation they do not hold: they see its events and may reply and note. */
export const conversationParticipants = sqliteTable(
  'conversation_participants',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id),
    addedBy: text('added_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.agentId] }), index('conversation_participants_agent').on(t.agentId, t.conversationId)],
);

/** Canned responses: a shortcut agents type, the text it expands to (with {{placeholders}}), optionally per locale and team. */
export const cannedResponses = sqliteTable(
  'canned_responses',
  {
    id: text('id').primaryKey(),
    shortcut: text('shortcut').notNull(),
    text: text('text').notNull(),
    locale: text('locale'),
    teamId: text('team_id'),
    ownerId: text('owner_id').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('canned_responses_shortcut').on(t.shortcut, t.id)],
);
/** Teams conversations are routed to; the id is the slug of the name (src/routing/teams.ts). */
export const teams = sqliteTable('teams', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** 1: queued conversations of the team are assigned to its online members (src/routing/assigner.ts). */
  autoAssign: integer('auto_assign').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** Which agents belong to which teams. */
export const teamMembers = sqliteTable(
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
export const agentRouting = sqliteTable('agent_routing', {
  agentId: text('agent_id')
    .primaryKey()
    .references(() => agents.id),
  capacity: integer('capacity').notNull(),
  status: text('status', { enum: AGENT_STATUSES }).notNull(),
  lastSeenAt: integer('last_seen_at'),
  lastAssignedAt: integer('last_assigned_at'),
});

/** Admin-defined hand-off routing, tried in order of creation; `match` is JSON (src/routing/match.ts). */
export const routingRules = sqliteTable('routing_rules', {
  id: text('id').primaryKey(),
  match: text('match').notNull(),
  channel: text('channel'),
  teamId: text('team_id')
    .notNull()
    .references(() => teams.id),
  priority: text('priority', { enum: PRIORITIES }),
  createdAt: integer('created_at').notNull(),
});

/** Settings an admin changes at run time (the SLA policy), one JSON value per key, shared by every instance. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});
/**
 * What full-text search finds (src/store/search-repo.ts): one row per message or note (by
 * message id) and per customer (by customer id, their names, email and handles). `body` holds
 * the terms of src/domain/search-text.ts. SQLite indexes it with the FTS5 table `search_fts`
 * (external content, kept current by triggers), PostgreSQL with a GIN index on its tsvector;
 * both are made by hand-written migrations, since the schema cannot declare them.
 */
export const searchDocuments = sqliteTable(
  'search_documents',
  {
    /** A stable integer key: FTS5's rowid (a text key's implicit rowid may change on VACUUM). */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    kind: text('kind', { enum: SEARCH_KINDS }).notNull(),
    conversationId: text('conversation_id'),
    customerId: text('customer_id'),
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('search_documents_id').on(t.id)],
);

/**
 * One identity a merge moved from one customer into another, with the conversations that came
 * with it, so a split can move exactly those back (src/customers/merge.ts).
 */
export const customerMerges = sqliteTable(
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
    /** JSON array of conversation ids. */
    conversationIds: text('conversation_ids').notNull(),
    by: text('by').notNull(),
    at: integer('at').notNull(),
    splitAt: integer('split_at'),
  },
  (t) => [index('customer_merges_identity').on(t.identityId, t.splitAt)],
);
/** Outgoing webhooks (src/webhooks/): where events are POSTed, signed with `secret` (stored as is: signing needs it). */
export const webhooks = sqliteTable('webhooks', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  secretRotatedAt: integer('secret_rotated_at'),
});

/** The event types a webhook receives, one row each (`*`: every type); event appends match on `type`. */
export const webhookEvents = sqliteTable(
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
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.id),
    eventSeq: integer('event_seq').notNull(),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseUntil: integer('lease_until'),
    leaseOwner: text('lease_owner'),
    /** The HTTP status of the last attempt; null when it got no response (network error, timeout). */
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    deliveredAt: integer('delivered_at'),
  },
  (t) => [
    // One delivery per event and webhook, however often an append is retried; also the log's page order.
    uniqueIndex('webhook_deliveries_event').on(t.webhookId, t.eventSeq),
    index('webhook_deliveries_due').on(t.status, t.nextAttemptAt),
  ],
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

/**
 * The email copy of an agent's web chat reply (issue 15): a second phase after the chat delivery,
 * due WIDGET_EMAIL_AFTER later, skipped when the visitor saw the reply in the chat first. Leased
 * like the outbox, one row per message, so a restart or a second instance never sends it twice.
 */
export const emailCopies = sqliteTable(
  'email_copies',
  {
    messageId: text('message_id')
      .primaryKey()
      .references(() => messages.id),
    conversationId: text('conversation_id').notNull(),
    /** pending, sent, skipped (seen in the chat, no address) or failed. */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseUntil: integer('lease_until'),
    leaseOwner: text('lease_owner'),
    /** Why it was skipped, or the last send error. */
    lastError: text('last_error'),
    /** The copy's Message-ID once sent. */
    externalId: text('external_id'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (t) => [index('email_copies_due').on(t.status, t.nextAttemptAt), index('email_copies_conversation').on(t.conversationId, t.status)],
);

/**
 * One file a customer sent or an agent attached (src/attachments/). The bytes live in the file
 * store under their SHA-256, so two rows of the same file share them; `messageId` is null until
 * an upload is sent with a message. `owner` is who uploaded it before it was linked
 * (`webchat:<session>`, `agent:<id>`), so nobody else can attach it.
 */
export const attachments = sqliteTable(
  'attachments',
  {
    id: text('id').primaryKey(),
    messageId: text('message_id'),
    customerId: text('customer_id'),
    owner: text('owner'),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    mime: text('mime').notNull(),
    name: text('name').notNull(),
    inline: integer('inline').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('attachments_message').on(t.messageId),
    index('attachments_customer').on(t.customerId, t.createdAt),
    index('attachments_owner').on(t.owner, t.createdAt),
    index('attachments_sha256').on(t.sha256),
  ],
);

/**
 * The worst-case cost of each model call in flight (LLM_MONTHLY_BUDGET), shared by every instance
 * on one database: a call reserves its row before it is made (checked against the month's spend
 * and open reservations in the same transaction), and the row is deleted in the transaction that
 * records the call's tokens, or on its own when the call recorded none. A row left by a crash
 * keeps counting, at its worst case, for the rest of its month.
 */
export const llmReservations = sqliteTable(
  'llm_reservations',
  {
    id: text('id').primaryKey(),
    /** What the call was for: `draft`, `ai_agent` or `selection`. */
    kind: text('kind').notNull(),
    cost: real('cost').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('llm_reservations_created').on(t.createdAt)],
);
