import { and, asc, desc, eq, getTableColumns, inArray, isNull, lt, or, sql, type Placeholder } from 'drizzle-orm';
import { customers, channelIdentities, customerMerges } from './sqlite/schema.js';
import { inPlaceholders, ONE_ROW, prepared, rowPlaceholders, rowsOf, type QueryDb } from './dialect.js';
import type { CustomerCard, CustomerMergeRow, CustomerRow, IdentityRow, CustomersRepo, SearchRepo } from './ports.js';

/**
 * Customers and the channel identities (a Telegram user, an email address…) that belong to them.
 * Every write of a name, email or handle re-indexes the customer for search in the same transaction.
 */
/** `identitiesOfMany`'s rows from `.values()`: the table's columns in order. */
const toIdentities = rowsOf<IdentityRow>(Object.keys(getTableColumns(channelIdentities)));

/** `cardsOf`'s rows from `.values()`, in its selection's order. */
const toCards = rowsOf<CustomerCard>(['id', 'displayName', 'email', 'locale']);

/** The identity a channel knows someone by, its values as placeholders for a prepared query. */
const identityIs = () =>
  and(eq(channelIdentities.channel, sql.placeholder('channel')), eq(channelIdentities.channelUserId, sql.placeholder('channelUserId')));

export class SqlCustomersRepo implements CustomersRepo {
  constructor(
    private readonly db: QueryDb,
    private readonly search: SearchRepo,
  ) {}

  async insert(row: CustomerRow): Promise<void> {
    const q = prepared(this.db, 'customers.insert', (db) => db.insert(customers).values(rowPlaceholders(customers)).prepare());
    await q.run({ ...row });
    await this.search.indexCustomer(row.id);
  }

  async get(id: string): Promise<CustomerRow | undefined> {
    const q = prepared(this.db, 'customers.get', (db) =>
      db
        .select()
        .from(customers)
        .where(eq(customers.id, sql.placeholder('id')))
        .limit(ONE_ROW)
        .prepare(),
    );
    return (await q.all({ id }))[0];
  }

  async byIds(ids: string[]): Promise<Map<string, CustomerRow>> {
    if (ids.length === 0) return new Map();
    const list = inPlaceholders(ids);
    const rows = list
      ? await prepared(this.db, `customers.byIds:${list.size}`, (db) =>
          db.select().from(customers).where(inArray(customers.id, list.list)).prepare(),
        ).all(list.values)
      : await this.db.select().from(customers).where(inArray(customers.id, ids));
    return new Map(rows.map((c) => [c.id, c]));
  }

  async cardsOf(ids: string[]): Promise<Map<string, CustomerCard>> {
    if (ids.length === 0) return new Map();
    const c = customers;
    const cards = (db: QueryDb, list: (string | Placeholder)[]) =>
      db.select({ id: c.id, displayName: c.displayName, email: c.email, locale: c.locale }).from(c).where(inArray(c.id, list));
    const list = inPlaceholders(ids);
    // Rows as arrays (`.values()`), mapped here: drizzle's mapping cost more than the read.
    const rows = toCards(
      (list
        ? await prepared(this.db, `customers.cardsOf:${list.size}`, (db) => cards(db, list.list).prepare()).values(list.values)
        : await cards(this.db, ids).values()) as unknown[][],
    );
    const out = new Map<string, CustomerCard>();
    for (const card of rows) out.set(card.id, card);
    return out;
  }

  async findIdentity(channel: string, channelUserId: string): Promise<IdentityRow | undefined> {
    const q = prepared(this.db, 'customers.findIdentity', (db) =>
      db.select().from(channelIdentities).where(identityIs()).limit(ONE_ROW).prepare(),
    );
    return (await q.all({ channel, channelUserId }))[0];
  }

  async findSender(
    channel: string,
    channelUserId: string,
  ): Promise<{ identity: IdentityRow; customer: CustomerRow | undefined } | undefined> {
    const q = prepared(this.db, 'customers.findSender', (db) =>
      db
        .select({ identity: channelIdentities, customer: customers })
        .from(channelIdentities)
        .leftJoin(customers, eq(customers.id, channelIdentities.customerId))
        .where(identityIs())
        .limit(ONE_ROW)
        .prepare(),
    );
    const row = (await q.all({ channel, channelUserId }))[0];
    return row && { identity: row.identity, customer: row.customer ?? undefined };
  }

  async insertIdentity(row: IdentityRow): Promise<void> {
    const q = prepared(this.db, 'customers.insertIdentity', (db) =>
      db.insert(channelIdentities).values(rowPlaceholders(channelIdentities)).prepare(),
    );
    await q.run({ ...row });
    await this.search.indexCustomer(row.customerId);
  }

  async identitiesOf(customerId: string): Promise<IdentityRow[]> {
    return this.db.select().from(channelIdentities).where(eq(channelIdentities.customerId, customerId));
  }

  async identitiesOfMany(customerIds: string[]): Promise<Map<string, IdentityRow[]>> {
    const out = new Map<string, IdentityRow[]>();
    if (customerIds.length === 0) return out;
    const list = inPlaceholders(customerIds);
    // Rows as arrays (`.values()`), mapped here: drizzle's mapping cost more than the read.
    const rows = toIdentities(
      (list
        ? await prepared(this.db, `customers.identitiesOfMany:${list.size}`, (db) =>
            db.select().from(channelIdentities).where(inArray(channelIdentities.customerId, list.list)).prepare(),
          ).values(list.values)
        : await this.db.select().from(channelIdentities).where(inArray(channelIdentities.customerId, customerIds)).values()) as unknown[][],
    );
    for (const r of rows) {
      const got = out.get(r.customerId);
      if (got) got.push(r);
      else out.set(r.customerId, [r]);
    }
    return out;
  }

  async update(id: string, patch: Partial<Omit<CustomerRow, 'id'>>): Promise<void> {
    await this.db.update(customers).set(patch).where(eq(customers.id, id));
    await this.search.indexCustomer(id);
  }

  async updateIdentity(id: string, patch: Partial<Omit<IdentityRow, 'id' | 'customerId'>>): Promise<void> {
    const rows = await this.db
      .update(channelIdentities)
      .set(patch)
      .where(eq(channelIdentities.id, id))
      .returning({ customerId: channelIdentities.customerId });
    for (const r of rows) await this.search.indexCustomer(r.customerId);
  }

  async list(opts: { beforeId?: string; limit: number }): Promise<CustomerRow[]> {
    return this.db
      .select()
      .from(customers)
      .where(and(isNull(customers.mergedInto), opts.beforeId === undefined ? undefined : lt(customers.id, opts.beforeId)))
      .orderBy(desc(customers.id))
      .limit(opts.limit);
  }

  async moveIdentities(identityIds: string[], toCustomerId: string): Promise<void> {
    if (identityIds.length === 0) return;
    const moved = await this.db
      .update(channelIdentities)
      .set({ customerId: toCustomerId })
      .where(inArray(channelIdentities.id, identityIds))
      .returning({ customerId: channelIdentities.customerId });
    if (moved.length) await this.search.indexCustomer(toCustomerId);
  }

  async insertMerge(row: CustomerMergeRow): Promise<void> {
    await this.db.insert(customerMerges).values(row);
  }

  async openMergeOf(identityId: string): Promise<CustomerMergeRow | undefined> {
    const rows = await this.db
      .select()
      .from(customerMerges)
      .where(and(eq(customerMerges.identityId, identityId), isNull(customerMerges.splitAt)))
      .orderBy(desc(customerMerges.at), desc(customerMerges.id))
      .limit(ONE_ROW);
    return rows[0];
  }

  async mergesOf(customerId: string): Promise<CustomerMergeRow[]> {
    return this.db
      .select()
      .from(customerMerges)
      .where(and(or(eq(customerMerges.intoId, customerId), eq(customerMerges.fromId, customerId)), isNull(customerMerges.splitAt)))
      .orderBy(asc(customerMerges.at), asc(customerMerges.id));
  }

  async markSplit(id: string, at: number): Promise<void> {
    await this.db.update(customerMerges).set({ splitAt: at }).where(eq(customerMerges.id, id));
  }
}
