import { and, asc, eq, inArray } from 'drizzle-orm';
import { conversationLabels } from './sqlite/schema.js';
import { inPlaceholders, prepared, type QueryDb } from './dialect.js';
import type { LabelRow, LabelsRepo } from './ports.js';

/** Most conversation ids one `of` read binds; callers pass a page of a list (at most 200) or a batch of the event feed. */
const MAX_IDS = 500;

export class SqlLabelsRepo implements LabelsRepo {
  constructor(private readonly db: QueryDb) {}

  async add(row: LabelRow): Promise<boolean> {
    const rows = await this.db.insert(conversationLabels).values(row).onConflictDoNothing().returning({ label: conversationLabels.label });
    return rows.length > 0;
  }

  async remove(conversationId: string, label: string): Promise<boolean> {
    const rows = await this.db
      .delete(conversationLabels)
      .where(and(eq(conversationLabels.conversationId, conversationId), eq(conversationLabels.label, label)))
      .returning({ label: conversationLabels.label });
    return rows.length > 0;
  }

  async of(conversationIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (let i = 0; i < conversationIds.length; i += MAX_IDS) {
      const ids = inPlaceholders(conversationIds.slice(i, i + MAX_IDS))!;
      const q = prepared(this.db, `labels.of:${ids.size}`, (db) =>
        db
          .select({ conversationId: conversationLabels.conversationId, label: conversationLabels.label })
          .from(conversationLabels)
          .where(inArray(conversationLabels.conversationId, ids.list))
          .orderBy(asc(conversationLabels.conversationId), asc(conversationLabels.label))
          .prepare(),
      );
      // Rows as arrays (`.values()`): drizzle's mapping of each value cost more than the read.
      for (const [conversationId, label] of (await q.values(ids.values)) as [string, string][]) {
        const got = out.get(conversationId);
        if (got) got.push(label);
        else out.set(conversationId, [label]);
      }
    }
    return out;
  }
}
