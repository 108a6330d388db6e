import { asc, eq, gte, inArray, lt, sum } from 'drizzle-orm';
import { llmReservations } from './sqlite/schema.js';
import type { QueryDb } from './dialect.js';
import type { LlmReservationRow, LlmReservationsRepo } from './ports.js';

export class SqlLlmReservationsRepo implements LlmReservationsRepo {
  constructor(private readonly db: QueryDb) {}

  async insert(row: LlmReservationRow): Promise<void> {
    await this.db.insert(llmReservations).values(row);
  }

  async delete(id: string): Promise<boolean> {
    const gone = await this.db.delete(llmReservations).where(eq(llmReservations.id, id)).returning({ id: llmReservations.id });
    return gone.length > 0;
  }

  async list(): Promise<LlmReservationRow[]> {
    return this.db.select().from(llmReservations).orderBy(asc(llmReservations.createdAt), asc(llmReservations.id));
  }

  async deleteIds(ids: string[]): Promise<LlmReservationRow[]> {
    if (ids.length === 0) return [];
    return this.db.delete(llmReservations).where(inArray(llmReservations.id, ids)).returning();
  }

  async costSince(since: number): Promise<number> {
    const rows = await this.db
      .select({ cost: sum(llmReservations.cost) })
      .from(llmReservations)
      .where(gte(llmReservations.createdAt, since));
    // SUM comes back as text or a number depending on the database, and null over no rows.
    return Number(rows[0]?.cost ?? 0);
  }

  async purge(before: number): Promise<LlmReservationRow[]> {
    return this.db.delete(llmReservations).where(lt(llmReservations.createdAt, before)).returning();
  }
}
