import { and, asc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { attachments, messages } from './sqlite/schema.js';
import { ONE_ROW, type QueryDb } from './dialect.js';
import type { AttachmentRow, AttachmentsRepo } from './ports.js';

/** The attachments rows; the bytes they name are in the file store (src/attachments/file-store.ts). */
export class SqlAttachmentsRepo implements AttachmentsRepo {
  constructor(private readonly db: QueryDb) {}

  async insert(row: AttachmentRow): Promise<void> {
    await this.db.insert(attachments).values(row);
  }

  async get(id: string): Promise<AttachmentRow | undefined> {
    return (await this.db.select().from(attachments).where(eq(attachments.id, id)).limit(ONE_ROW))[0];
  }

  async byIds(ids: string[]): Promise<AttachmentRow[]> {
    if (ids.length === 0) return [];
    return this.db.select().from(attachments).where(inArray(attachments.id, ids));
  }

  async ofMessages(messageIds: string[]): Promise<AttachmentRow[]> {
    if (messageIds.length === 0) return [];
    return this.db.select().from(attachments).where(inArray(attachments.messageId, messageIds)).orderBy(asc(attachments.id));
  }

  async link(ids: string[], messageId: string, customerId: string | null): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = await this.db
      .update(attachments)
      .set(customerId ? { messageId, customerId } : { messageId })
      .where(and(inArray(attachments.id, ids), isNull(attachments.messageId)))
      .returning({ id: attachments.id });
    return rows.length;
  }

  async bytesSince(key: { customerId?: string; owner?: string }, since: number): Promise<number> {
    const who = key.customerId !== undefined ? eq(attachments.customerId, key.customerId) : eq(attachments.owner, key.owner ?? '');
    const [row] = await this.db
      .select({ total: sql<string | number | null>`sum(${attachments.size})` })
      .from(attachments)
      .where(and(who, gte(attachments.createdAt, since)));
    return Number(row?.total ?? 0);
  }

  async deleteOfMessages(messageIds: string[]): Promise<string[]> {
    if (messageIds.length === 0) return [];
    const rows = await this.db
      .delete(attachments)
      .where(inArray(attachments.messageId, messageIds))
      .returning({ sha256: attachments.sha256 });
    return unique(rows);
  }

  async deleteOfCustomer(customerId: string): Promise<string[]> {
    const rows = await this.db.delete(attachments).where(eq(attachments.customerId, customerId)).returning({ sha256: attachments.sha256 });
    return unique(rows);
  }

  async deleteOfConversation(conversationId: string): Promise<string[]> {
    const ofConversation = this.db.select({ id: messages.id }).from(messages).where(eq(messages.conversationId, conversationId));
    const rows = await this.db
      .delete(attachments)
      .where(inArray(attachments.messageId, ofConversation))
      .returning({ sha256: attachments.sha256 });
    return unique(rows);
  }

  async deleteUnlinkedBefore(before: number, limit: number): Promise<string[]> {
    const batch = this.db
      .select({ id: attachments.id })
      .from(attachments)
      .where(and(isNull(attachments.messageId), lt(attachments.createdAt, before)))
      .limit(limit);
    const rows = await this.db.delete(attachments).where(inArray(attachments.id, batch)).returning({ sha256: attachments.sha256 });
    return unique(rows);
  }

  async referenced(sha256: string): Promise<boolean> {
    const rows = await this.db.select({ id: attachments.id }).from(attachments).where(eq(attachments.sha256, sha256)).limit(ONE_ROW);
    return rows.length > 0;
  }
}

function unique(rows: { sha256: string }[]): string[] {
  return [...new Set(rows.map((r) => r.sha256))];
}
