import { describe, expect, expectTypeOf, it } from 'vitest';
import { getTableName, is, type InferSelectModel } from 'drizzle-orm';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import * as sqlite from '../../src/store/sqlite/schema.js';
import * as pg from '../../src/store/pg/schema.js';
import type * as ports from '../../src/store/ports.js';

/** What both dialects must agree on, per table: columns with their JS type, nullability, keys and enum values; indexes; references. */
function shape(config: ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>) {
  return {
    name: config.name,
    columns: Object.fromEntries(
      config.columns.map((c) => [
        c.name,
        { type: c.dataType, notNull: c.notNull, primaryKey: c.primary, unique: c.isUnique, enum: c.enumValues ?? null },
      ]),
    ),
    indexes: config.indexes
      .map((i) => ({ name: i.config.name, unique: i.config.unique }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name))),
    references: config.foreignKeys
      .map((fk) => fk.reference())
      .map((r) => ({
        from: r.columns.map((c) => c.name),
        to: getTableName(r.foreignTable),
        toColumns: r.foreignColumns.map((c) => c.name),
      })),
  };
}

const tablesOf = <T>(schema: Record<string, unknown>, isTable: (v: unknown) => v is T) =>
  Object.fromEntries(Object.entries(schema).filter((e): e is [string, T] => isTable(e[1])));

const sqliteTables = tablesOf(sqlite, (v): v is SQLiteTable => is(v, SQLiteTable));
const pgTables = tablesOf(pg, (v): v is PgTable => is(v, PgTable));

describe('SQLite and PostgreSQL schemas', () => {
  it('declare the same tables', () => {
    expect(Object.keys(pgTables).sort()).toEqual(Object.keys(sqliteTables).sort());
    expect(Object.keys(sqliteTables).length).toBeGreaterThanOrEqual(9);
  });

  for (const [name, table] of Object.entries(sqliteTables)) {
    it(`agree on ${name}: columns, types, nullability, keys, enums, indexes and references`, () => {
      const other = pgTables[name];
      expect(other, `${name} is missing from pg/schema.ts`).toBeDefined();
      expect(shape(pgConfig(other!))).toEqual(shape(sqliteConfig(table)));
    });
  }

  it('both read back as the rows of ports.ts', () => {
    // Checked by the compiler (tsc runs over the tests): a column drifting from its port row fails the build.
    expectTypeOf<InferSelectModel<typeof sqlite.conversations>>().toEqualTypeOf<ports.ConversationRow>();
    expectTypeOf<InferSelectModel<typeof pg.conversations>>().toEqualTypeOf<ports.ConversationRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.customers>>().toEqualTypeOf<ports.CustomerRow>();
    expectTypeOf<InferSelectModel<typeof pg.customers>>().toEqualTypeOf<ports.CustomerRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.channelIdentities>>().toEqualTypeOf<ports.IdentityRow>();
    expectTypeOf<InferSelectModel<typeof pg.channelIdentities>>().toEqualTypeOf<ports.IdentityRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.messages>>().toEqualTypeOf<ports.MessageRow>();
    expectTypeOf<InferSelectModel<typeof pg.messages>>().toEqualTypeOf<ports.MessageRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.drafts>>().toEqualTypeOf<ports.DraftRow>();
    expectTypeOf<InferSelectModel<typeof pg.drafts>>().toEqualTypeOf<ports.DraftRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.faqSuggestions>>().toEqualTypeOf<ports.FaqSuggestionRow>();
    expectTypeOf<InferSelectModel<typeof pg.faqSuggestions>>().toEqualTypeOf<ports.FaqSuggestionRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.outbox>>().toEqualTypeOf<ports.OutboxRow>();
    expectTypeOf<InferSelectModel<typeof pg.outbox>>().toEqualTypeOf<ports.OutboxRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.agents>>().toEqualTypeOf<ports.AgentRow>();
    expectTypeOf<InferSelectModel<typeof pg.agents>>().toEqualTypeOf<ports.AgentRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.agentTokens>>().toEqualTypeOf<ports.AgentTokenRow>();
    expectTypeOf<InferSelectModel<typeof pg.agentTokens>>().toEqualTypeOf<ports.AgentTokenRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.audit>>().toEqualTypeOf<ports.AuditRow>();
    expectTypeOf<InferSelectModel<typeof pg.audit>>().toEqualTypeOf<ports.AuditRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.events>>().toEqualTypeOf<ports.EventRow>();
    expectTypeOf<InferSelectModel<typeof pg.events>>().toEqualTypeOf<ports.EventRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.webchatSessions>>().toEqualTypeOf<ports.WebchatSessionRow>();
    expectTypeOf<InferSelectModel<typeof pg.webchatSessions>>().toEqualTypeOf<ports.WebchatSessionRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.webhooks>>().toEqualTypeOf<ports.WebhookRow>();
    expectTypeOf<InferSelectModel<typeof pg.webhooks>>().toEqualTypeOf<ports.WebhookRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.webhookDeliveries>>().toEqualTypeOf<ports.WebhookDeliveryRow>();
    expectTypeOf<InferSelectModel<typeof pg.webhookDeliveries>>().toEqualTypeOf<ports.WebhookDeliveryRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.channelState>>().toEqualTypeOf<{ key: string; value: string; updatedAt: number }>();
    expectTypeOf<InferSelectModel<typeof pg.channelState>>().toEqualTypeOf<{ key: string; value: string; updatedAt: number }>();
    expectTypeOf<InferSelectModel<typeof sqlite.attachments>>().toEqualTypeOf<ports.AttachmentRow>();
    expectTypeOf<InferSelectModel<typeof pg.attachments>>().toEqualTypeOf<ports.AttachmentRow>();
    expectTypeOf<InferSelectModel<typeof sqlite.settings>>().toEqualTypeOf<ports.SettingRow>();
    expectTypeOf<InferSelectModel<typeof pg.settings>>().toEqualTypeOf<ports.SettingRow>();
  });
});
