import { eq, gte, lt, sum } from 'drizzle-orm';
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

  async costSince(since: number): Promise<number> {
    const rows = await this.db
      .select({ cost: sum(llmReservations.cost) })
      .from(llmReservations)
      .where(gte(llmReservations.createdAt, since));
    // SUM comes back as text or a number depending on the database, and null over no rows.
    return Number(rows[0]?.cost ?? 0);
  }

  async purge(before: number): Promise<void> {
    await this.db.delete(llmReservations).where(lt(llmReservations.createdAt, before));
  }
}
