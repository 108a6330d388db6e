import { newId } from '../domain/ids.js';
import type { ConversationEvent } from '../domain/conversation.js';
import type { Repos } from '../store/store.js';
import type { AuditRow } from '../store/ports.js';

/** What the audit log records. Agent actions are written in the same transaction as the action itself. */
export const AUDIT_ACTIONS = [
  'agent.create',
  'agent.update',
  'team.create',
  'team.update',
  'team.delete',
  'routing_rule.create',
  'routing_rule.delete',
  'token.create',
  'token.rotate',
  'token.revoke',
  'conversation.reply',
  'conversation.note',
  'conversation.priority',
  'conversation.label',
  'conversation.unlabel',
  'conversation.snooze',
  'conversation.unsnooze',
  'conversation.participant_add',
  'conversation.participant_remove',
  'canned.create',
  'canned.update',
  'canned.delete',
  'customer.export',
  'customer.erase',
  'settings.update',
  'customer.update',
  'customer.merge',
  'customer.split',
  'webhook.create',
  'webhook.rotate_secret',
  'webhook.delete',
  'llm_reservation.clear',
] as const;
/** An agent's transition of a conversation (claim, release, transfer, resolve…) is audited under its lifecycle name. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number] | `conversation.${ConversationEvent['type']}`;

/** Who acted on the command line (no agent token is involved there). */
export const CLI_ACTOR = 'cli';

export interface AuditEntry {
  /** An agent id, `cli` or `system`. */
  by: string;
  action: AuditAction;
  subjectId?: string | null;
  /** What happened, as JSON: ids, counts, labels — never a token, never message text. */
  detail?: Record<string, unknown>;
  now: number;
}

export async function audit(r: Repos, e: AuditEntry): Promise<void> {
  await r.audit.append({
    id: newId(e.now),
    at: e.now,
    actorId: e.by,
    action: e.action,
    subjectId: e.subjectId ?? null,
    detail: JSON.stringify(e.detail ?? {}),
  });
}

/** An audit row as the API shows it. */
export function auditView(row: AuditRow) {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actorId: row.actorId,
    action: row.action,
    subjectId: row.subjectId,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}
