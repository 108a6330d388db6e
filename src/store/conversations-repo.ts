import { and, desc, eq, inArray, ne, asc, gt, sql } from 'drizzle-orm';
import { conversations, messages } from './sqlite/schema.js';
import { patchPlaceholders, prepared, rowPlaceholders, type DialectOps, type QueryDb } from './dialect.js';
import type { ConversationStatus } from '../domain/conversation.js';
import type { ConversationRow, ConversationsRepo } from './ports.js';

export class SqlConversationsRepo implements ConversationsRepo {
  constructor(
    private readonly db: QueryDb,
    private readonly ops: DialectOps,
  ) {}

  async get(id: string, opts: { lock?: boolean } = {}): Promise<ConversationRow | undefined> {
    if (opts.lock) await this.ops.lockConversation(this.db, id);
    const q = prepared(this.db, 'conversations.get', (db) =>
      db
        .select()
        .from(conversations)
        .where(eq(conversations.id, sql.placeholder('id')))
        .limit(1)
        .prepare(),
    );
    return (await q.all({ id }))[0];
  }

  async latestForThread(channel: string, threadKey: string, opts: { lock?: boolean } = {}): Promise<ConversationRow | undefined> {
    const q = prepared(this.db, 'conversations.latestForThread', (db) =>
      db
        .select()
        .from(conversations)
        .where(and(eq(conversations.channel, sql.placeholder('channel')), eq(conversations.threadKey, sql.placeholder('threadKey'))))
        .orderBy(desc(conversations.createdAt), desc(conversations.id))
        .limit(1)
        .prepare(),
    );
    const row = (await q.all({ channel, threadKey }))[0];
    // Where rows can change under a running transaction, lock it and read it again as locked.
    return row && opts.lock && this.ops.rowsChangeDuringTransaction ? this.get(row.id, { lock: true }) : row;
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
    const q = prepared(this.db, 'conversations.insert', (db) => db.insert(conversations).values(rowPlaceholders(conversations)).prepare());
    await q.run({ ...row });
  }

  async update(id: string, values: Partial<Omit<ConversationRow, 'id'>>): Promise<void> {
    // The placeholders of exactly the columns the caller's patch sets (lifecycle writes come from src/lifecycle/apply.ts).
    const { keys, set: patch } = patchPlaceholders(values);
    const q = prepared(this.db, `conversations.update:${keys}`, (db) =>
      db
        .update(conversations)
        .set(patch)
        .where(eq(conversations.id, sql.placeholder('whereId')))
        .prepare(),
    );
    await q.run({ ...values, whereId: id });
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
    // An index range count on conversations_status (status, waiting_since): no table rows are read.
    const q = prepared(this.db, 'conversations.countQueuedBefore', (db) =>
      db
        .select({ n: sql<number>`count(*)` })
        .from(conversations)
        .where(and(eq(conversations.status, 'queued'), sql`${conversations.waitingSince} < ${sql.placeholder('waitingSince')}`))
        .prepare(),
    );
    const rows = await q.all({ waitingSince });
    return Number(rows[0]?.n ?? 0);
  }
}
