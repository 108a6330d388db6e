import { and, desc, eq, inArray, ne, asc, gt, isNull, lt, sql } from 'drizzle-orm';
import { conversations, messages } from './sqlite/schema.js';
import type { DialectOps, QueryDb } from './dialect.js';
import type { ConversationStatus } from '../domain/conversation.js';
import type { ConversationRow, ConversationsRepo } from './ports.js';

export class SqlConversationsRepo implements ConversationsRepo {
  constructor(
    private readonly db: QueryDb,
    private readonly ops: DialectOps,
  ) {}

  async get(id: string, opts: { lock?: boolean } = {}): Promise<ConversationRow | undefined> {
    if (opts.lock) await this.ops.lockConversation(this.db, id);
    return (await this.db.select().from(conversations).where(eq(conversations.id, id)).limit(1))[0];
  }

  async latestForThread(channel: string, threadKey: string): Promise<ConversationRow | undefined> {
    const rows = await this.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.channel, channel), eq(conversations.threadKey, threadKey)))
      .orderBy(desc(conversations.createdAt), desc(conversations.id))
      .limit(1);
    return rows[0];
  }

  async findByMessageExternalIds(channel: string, externalIds: string[]): Promise<string | undefined> {
    if (externalIds.length === 0) return undefined;
    const rows = await this.db
      .select({ conversationId: messages.conversationId })
      .from(messages)
      .where(and(eq(messages.channel, channel), inArray(messages.externalId, externalIds)))
      .orderBy(desc(messages.id))
      .limit(1);
    return rows[0]?.conversationId;
  }

  async insert(row: ConversationRow): Promise<void> {
    await this.db.insert(conversations).values(row);
  }

  async update(id: string, patch: Partial<Omit<ConversationRow, 'id'>>): Promise<void> {
    await this.db.update(conversations).set(patch).where(eq(conversations.id, id));
  }

  async list(filter: { status?: ConversationStatus; assigneeId?: string; limit: number; afterId?: string }): Promise<ConversationRow[]> {
    const conds = [];
    if (filter.status) conds.push(eq(conversations.status, filter.status));
    else conds.push(ne(conversations.status, 'closed'));
    if (filter.assigneeId) conds.push(eq(conversations.assigneeId, filter.assigneeId));
    if (filter.afterId) conds.push(gt(conversations.id, filter.afterId));
    return this.db
      .select()
      .from(conversations)
      .where(and(...conds))
      .orderBy(asc(conversations.waitingSince), asc(conversations.id))
      .limit(filter.limit);
  }

  async resolvedBefore(cutoff: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.status, 'resolved'), sql`${conversations.resolvedAt} < ${cutoff}`))
      .limit(limit);
    return rows.map((r) => r.id);
  }

  async countQueuedBefore(waitingSince: number): Promise<number> {
    const rows = await this.db
      .select({ n: sql<number>`count(*)` })
      .from(conversations)
      .where(and(eq(conversations.status, 'queued'), sql`${conversations.waitingSince} < ${waitingSince}`));
    return Number(rows[0]?.n ?? 0);
  }

  async ofCustomer(customerId: string, opts: { afterId?: string; limit: number }): Promise<ConversationRow[]> {
    const conds = [eq(conversations.customerId, customerId)];
    if (opts.afterId) conds.push(gt(conversations.id, opts.afterId));
    return this.db
      .select()
      .from(conversations)
      .where(and(...conds))
      .orderBy(asc(conversations.id))
      .limit(opts.limit);
  }

  async dueForRetention(cutoff: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.status, 'closed'), isNull(conversations.redactedAt), lt(conversations.updatedAt, cutoff)))
      .orderBy(asc(conversations.updatedAt), asc(conversations.id))
      .limit(limit);
    return rows.map((r) => r.id);
  }
}
