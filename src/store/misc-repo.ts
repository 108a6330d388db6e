import { and, asc, eq, gt, gte, inArray, sql, type SQL } from 'drizzle-orm';
import { tables, type Db, type Dialect } from './database.js';
import type { AgentRow, EventRow, WebchatSessionRow } from './rows.js';

const { agents, events, webchatSessions, channelState, conversations } = tables;

export class AgentsRepo {
  constructor(private readonly db: Db) {}

  async insert(row: AgentRow): Promise<void> {
    await this.db.insert(agents).values(row);
  }

  async byTokenHash(tokenHash: string): Promise<AgentRow | undefined> {
    return (await this.db.select().from(agents).where(eq(agents.tokenHash, tokenHash)).limit(1))[0];
  }

  async get(id: string): Promise<AgentRow | undefined> {
    return (await this.db.select().from(agents).where(eq(agents.id, id)).limit(1))[0];
  }

  async list(): Promise<AgentRow[]> {
    return this.db.select().from(agents).orderBy(asc(agents.name));
  }
}

/**
 * Sequence numbers are handed out at insert but become visible at commit, so on PostgreSQL a
 * reader could see seq 11 before seq 10 commits and then skip 10 for ever. Readers therefore only
 * see events of transactions older than every transaction still running.
 */
const settled = sql`${events.txId} < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`;

export class EventsRepo {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
    private readonly onAppend: () => void,
  ) {}

  private visible(conds: SQL[]): SQL[] {
    return this.dialect === 'pg' ? [...conds, settled] : conds;
  }

  async append(conversationId: string | null, type: string, data: unknown, now: number): Promise<number> {
    const rows = await this.db
      .insert(events)
      .values({ conversationId, type, data: JSON.stringify(data), createdAt: now })
      .returning({ seq: events.seq });
    this.onAppend();
    return Number(rows[0]!.seq);
  }

  async after(seq: number, opts: { conversationId?: string; limit: number }): Promise<EventRow[]> {
    const conds = [gt(events.seq, seq)];
    if (opts.conversationId) conds.push(eq(events.conversationId, opts.conversationId));
    return this.db.select().from(events).where(and(...this.visible(conds))).orderBy(asc(events.seq)).limit(opts.limit);
  }

  async since(createdAt: number): Promise<EventRow[]> {
    return this.db.select().from(events).where(gte(events.createdAt, createdAt)).orderBy(asc(events.seq));
  }

  async maxSeq(): Promise<number> {
    const rows = await this.db
      .select({ seq: sql<number>`coalesce(max(${events.seq}), 0)` })
      .from(events)
      .where(and(...this.visible([])));
    return Number(rows[0]?.seq ?? 0);
  }

  /** Events of the given types on every conversation of one thread (a web-chat session), after `seq`. */
  async forThread(channel: string, threadKey: string, types: string[], seq: number, limit: number): Promise<EventRow[]> {
    const rows = await this.db
      .select({ e: events })
      .from(events)
      .innerJoin(conversations, eq(events.conversationId, conversations.id))
      .where(and(...this.visible([eq(conversations.channel, channel), eq(conversations.threadKey, threadKey), inArray(events.type, types), gt(events.seq, seq)])))
      .orderBy(asc(events.seq))
      .limit(limit);
    return rows.map((r) => r.e);
  }
}

export class WebchatSessionsRepo {
  constructor(private readonly db: Db) {}

  async insert(row: WebchatSessionRow): Promise<void> {
    await this.db.insert(webchatSessions).values(row);
  }

  async get(id: string): Promise<WebchatSessionRow | undefined> {
    return (await this.db.select().from(webchatSessions).where(eq(webchatSessions.id, id)).limit(1))[0];
  }
}

export class ChannelStateRepo {
  constructor(private readonly db: Db) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.db.select().from(channelState).where(eq(channelState.key, key)).limit(1))[0]?.value;
  }

  async set(key: string, value: string, now: number): Promise<void> {
    await this.db
      .insert(channelState)
      .values({ key, value, updatedAt: now })
      .onConflictDoUpdate({ target: channelState.key, set: { value, updatedAt: now } });
  }
}
