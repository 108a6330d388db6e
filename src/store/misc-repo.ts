import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { tables, type Db } from './database.js';
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

export class EventsRepo {
  constructor(
    private readonly db: Db,
    private readonly onAppend: () => void,
  ) {}

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
    return this.db.select().from(events).where(and(...conds)).orderBy(asc(events.seq)).limit(opts.limit);
  }

  /** Events of the given types on every conversation of one thread (a web-chat session), after `seq`. */
  async forThread(channel: string, threadKey: string, types: string[], seq: number, limit: number): Promise<EventRow[]> {
    const rows = await this.db
      .select({ e: events })
      .from(events)
      .innerJoin(conversations, eq(events.conversationId, conversations.id))
      .where(and(eq(conversations.channel, channel), eq(conversations.threadKey, threadKey), inArray(events.type, types), gt(events.seq, seq)))
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
