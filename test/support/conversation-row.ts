import type { ConversationRow } from '../../src/store/ports.js';

/** A stored conversation for unit tests: queued at `at`, urgent, its SLA clock started then, nothing met or breached. */
export function conversationRow(at: number, patch: Partial<ConversationRow> = {}): ConversationRow {
  return {
    id: 'c1',
    customerId: 'u1',
    channel: 'webchat',
    threadKey: 't1',
    status: 'queued',
    assigneeId: null,
    lastAssigneeId: null,
    team: null,
    priority: 'urgent',
    locale: 'en',
    subject: null,
    waitingSince: at,
    lastMessageAt: at,
    resolvedAt: null,
    csat: null,
    createdAt: at,
    updatedAt: at,
    redactedAt: null,
    slaStartedAt: at,
    firstRespondedAt: null,
    firstResponseBreachedAt: null,
    resolutionBreachedAt: null,
    snoozedUntil: null,
    ...patch,
  };
}
