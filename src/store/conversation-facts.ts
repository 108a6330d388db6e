import { and, eq, isNull, sql } from 'drizzle-orm';
import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import { conversationFacts, conversations, messages } from './sqlite/schema.js';
import { ONE_ROW, type QueryDb } from './dialect.js';
import type { DomainEvent } from '../domain/events.js';

/**
 * Keeps `conversation_facts` (one row per conversation, read by the reports) in step with the
 * event log: `SqlEventsRepo.append`, the one place events are written, calls `recordFact` for
 * each event in the same transaction, so a fact and the event it comes from commit together.
 *
 * What each event does to its conversation's row:
 * - status `open`: the row is created (channel, team, opened at).
 * - status `handoff`: handed off at (the first hand-off; later ones keep it).
 * - status `resolve`: resolved at and resolution time (opening → this resolution); `reopen`
 *   clears both until the next resolution, as the conversation's own `resolvedAt` does.
 * - message `out` by an `agent`: the first one sets first response at and first response time,
 *   measured from the first hand-off, or from the opening when an agent wrote without one.
 *   Bot replies never count.
 * - `csat`: the customer's latest score.
 * - `sla.breached`: counted, by type name, whenever the log holds such events.
 *
 * Attribution: a conversation is counted under one team and one agent, so grouped reports add up
 * to their totals. Until it is attributed its row follows the conversation's current team and
 * assignee; it is attributed, for good, at its first agent reply (the replying agent and the team
 * at that moment) or, when no agent replied before, at its first resolution (the assignee, else
 * the last assignee, and the team at that moment).
 */

/** The event type another part of the service records when a conversation misses its SLA. */
export const SLA_BREACHED = 'sla.breached';

export async function recordFact(db: QueryDb, conversationId: string | null, event: DomainEvent, now: number): Promise<void> {
  if (!conversationId) return;
  // Compared as a string: the union may not (yet) hold the type, and the count must follow it when it does.
  const type: string = event.type;
  if (type === SLA_BREACHED) {
    await update(db, conversationId, { slaBreaches: sql`${conversationFacts.slaBreaches} + 1` });
    return;
  }
  if (event.type === 'csat') {
    await update(db, conversationId, { csatScore: event.data.score });
    return;
  }
  if (event.type === 'message') {
    if (event.data.author !== 'agent' || event.data.direction !== 'out') return;
    const [m] = await db
      .select({ agentId: messages.agentId, team: conversations.team })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(eq(messages.id, event.data.messageId))
      .limit(ONE_ROW);
    await db
      .update(conversationFacts)
      .set({
        firstResponseAt: now,
        firstResponseMs: sql`${now} - coalesce(${conversationFacts.handedOffAt}, ${conversationFacts.openedAt})`,
        ...attribute(m?.team ?? null, m?.agentId ?? null, now),
      })
      .where(and(eq(conversationFacts.conversationId, conversationId), isNull(conversationFacts.firstResponseAt)));
    return;
  }
  if (event.type !== 'status') return;

  const [c] = await db
    .select({ channel: conversations.channel, team: conversations.team, lastAssigneeId: conversations.lastAssigneeId })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .limit(ONE_ROW);
  if (!c) return;
  const { action, assigneeId } = event.data;
  switch (action) {
    case 'open':
      await db
        .insert(conversationFacts)
        .values({ conversationId, channel: c.channel, team: c.team, agentId: assigneeId, openedAt: now })
        .onConflictDoNothing();
      return;
    case 'handoff':
      await update(db, conversationId, {
        handedOffAt: sql`coalesce(${conversationFacts.handedOffAt}, ${now})`,
        ...follow(c.team, assigneeId),
      });
      return;
    case 'resolve':
      await update(db, conversationId, {
        resolvedAt: now,
        resolutionMs: sql`${now} - ${conversationFacts.openedAt}`,
        ...attribute(c.team, assigneeId ?? c.lastAssigneeId, now),
      });
      return;
    case 'reopen':
      await update(db, conversationId, { resolvedAt: null, resolutionMs: null, ...follow(c.team, assigneeId) });
      return;
    case 'claim':
    case 'release':
    case 'transfer':
      await update(db, conversationId, follow(c.team, assigneeId));
      return;
    case 'close':
      return;
  }
}

type FactsPatch = SQLiteUpdateSetSource<typeof conversationFacts>;

function update(db: QueryDb, conversationId: string, patch: FactsPatch) {
  return db.update(conversationFacts).set(patch).where(eq(conversationFacts.conversationId, conversationId));
}

/** Team and agent follow the conversation while it is not attributed yet. */
function follow(team: string | null, agentId: string | null): FactsPatch {
  const unattributed = sql`${conversationFacts.attributedAt} is null`;
  return {
    team: sql`case when ${unattributed} then ${team} else ${conversationFacts.team} end`,
    agentId: sql`case when ${unattributed} then ${agentId} else ${conversationFacts.agentId} end`,
  };
}

/** Team and agent are fixed now unless they already were. */
function attribute(team: string | null, agentId: string | null, now: number): FactsPatch {
  return { ...follow(team, agentId), attributedAt: sql`coalesce(${conversationFacts.attributedAt}, ${now})` };
}
