import { and, eq, inArray, sql } from 'drizzle-orm';
import { customers, channelIdentities } from './sqlite/schema.js';
import { prepared, rowPlaceholders, type QueryDb } from './dialect.js';
import type { CustomerRow, IdentityRow, CustomersRepo } from './ports.js';

/** Customers and the channel identities (a Telegram user, an email address…) that belong to them. */
export class SqlCustomersRepo implements CustomersRepo {
  constructor(private readonly db: QueryDb) {}

  async insert(row: CustomerRow): Promise<void> {
    const q = prepared(this.db, 'customers.insert', (db) => db.insert(customers).values(rowPlaceholders(customers)).prepare());
    await q.run({ ...row });
  }

  async get(id: string): Promise<CustomerRow | undefined> {
    const q = prepared(this.db, 'customers.get', (db) =>
      db
        .select()
        .from(customers)
        .where(eq(customers.id, sql.placeholder('id')))
        .limit(1)
        .prepare(),
    );
    return (await q.all({ id }))[0];
  }

  async byIds(ids: string[]): Promise<Map<string, CustomerRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.select().from(customers).where(inArray(customers.id, ids));
    return new Map(rows.map((c) => [c.id, c]));
  }

  async findIdentity(channel: string, channelUserId: string): Promise<IdentityRow | undefined> {
    const q = prepared(this.db, 'customers.findIdentity', (db) =>
      db
        .select()
        .from(channelIdentities)
        .where(
          and(
            eq(channelIdentities.channel, sql.placeholder('channel')),
            eq(channelIdentities.channelUserId, sql.placeholder('channelUserId')),
          ),
        )
        .limit(1)
        .prepare(),
    );
    return (await q.all({ channel, channelUserId }))[0];
  }

  async insertIdentity(row: IdentityRow): Promise<void> {
    const q = prepared(this.db, 'customers.insertIdentity', (db) =>
      db.insert(channelIdentities).values(rowPlaceholders(channelIdentities)).prepare(),
    );
    await q.run({ ...row });
  }

  async identitiesOf(customerId: string): Promise<IdentityRow[]> {
    return this.db.select().from(channelIdentities).where(eq(channelIdentities.customerId, customerId));
  }

  async update(id: string, patch: Partial<Omit<CustomerRow, 'id'>>): Promise<void> {
    await this.db.update(customers).set(patch).where(eq(customers.id, id));
  }

  async updateIdentity(id: string, patch: Partial<Omit<IdentityRow, 'id' | 'customerId'>>): Promise<void> {
    await this.db.update(channelIdentities).set(patch).where(eq(channelIdentities.id, id));
  }
}
