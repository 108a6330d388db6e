/**
 * Customer load for the crash and failover tests, and the ledger that checks exactly-once
 * against the database: web-chat customers that retry a message under the same
 * clientMessageId until it is accepted (as the widget does), Telegram users pushing updates
 * to the fake, and, afterwards, every message counted in the store and every reply counted
 * at the fake.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';

const QUESTIONS = [
  'How do I return an item?',
  'Where is my order?',
  'Do you ship internationally?',
  'How do I use a discount code?',
  'Can I check out as a guest?',
  'My parcel arrived damaged',
];

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (min: number, max: number) => min + Math.random() * (max - min);

export interface LoadStats {
  /** Web-chat texts the service answered 2xx to (so they must be stored, once). */
  acceptedWebchat: Set<string>;
  /** Texts pushed to the Telegram fake (kept there until confirmed, so they must be stored, once). */
  pushedTelegram: Set<string>;
  /** Web-chat POSTs that failed other than by a refused connection while the service was being SIGTERMed. */
  resetsDuringSigterm: number;
  webchatRetries: number;
}

/**
 * Runs until `stop()`: `webchat` customers and `telegram` users, each writing every 30–120 ms.
 * `baseUrls()` gives the instances to talk to (a customer keeps one instance, or moves on
 * when it is unreachable); `sigterming()` tells whether a graceful stop is in progress.
 */
export function startLoad(opts: {
  baseUrls: () => string[];
  telegram?: FakeTelegramBotApi;
  webchat: number;
  telegramUsers: number;
  sigterming?: () => boolean;
}): { stats: LoadStats; stop(): Promise<void> } {
  const stats: LoadStats = { acceptedWebchat: new Set(), pushedTelegram: new Set(), resetsDuringSigterm: 0, webchatRetries: 0 };
  let running = true;
  const loops: Promise<void>[] = [];

  for (let c = 0; c < opts.webchat; c++) {
    loops.push(
      (async () => {
        const pick = () => {
          const urls = opts.baseUrls();
          return urls[(c + Math.floor(Math.random() * 2)) % urls.length]!;
        };
        let session: { id: string; secret: string } | undefined;
        while (running && !session) {
          try {
            const res = await fetch(`${pick()}/webchat/sessions`, { method: 'POST' });
            if (res.status === 201) {
              const b = (await res.json()) as { sessionId: string; secret: string };
              session = { id: b.sessionId, secret: b.secret };
            }
          } catch {
            await pause(100);
          }
        }
        for (let n = 0; running && session; n++) {
          const text = `wc${c}-${n}: ${QUESTIONS[n % QUESTIONS.length]}`;
          const clientMessageId = `wc${c}-${n}`;
          for (;;) {
            const during = opts.sigterming?.() ?? false;
            try {
              const res = await fetch(`${pick()}/webchat/sessions/${session.id}/messages`, {
                method: 'POST',
                headers: { authorization: `Bearer ${session.secret}`, 'content-type': 'application/json' },
                body: JSON.stringify({ text, clientMessageId }),
              });
              await res.arrayBuffer();
              if (res.ok) {
                stats.acceptedWebchat.add(text);
                break;
              }
            } catch (err) {
              const code = (err as { cause?: { code?: string } }).cause?.code;
              // Refused connections are a stopped listener; a reset or a dropped socket is a request cut off.
              if (during && code !== 'ECONNREFUSED') stats.resetsDuringSigterm++;
            }
            stats.webchatRetries++;
            if (!running) return;
            await pause(100);
          }
          await pause(jitter(30, 120));
        }
      })(),
    );
  }

  const tg = opts.telegram;
  for (let u = 0; tg && u < opts.telegramUsers; u++) {
    const user = { id: 7_000_000 + u, first_name: `User${u}` };
    loops.push(
      (async () => {
        for (let n = 0; running; n++) {
          // Telegram keeps updates while the service is down; a bounded backlog keeps the run about the service, not the queue.
          while (running && tg.pendingCount > 3 * (opts.telegramUsers || 1)) await pause(50);
          if (!running) return;
          const text = `tg${u}-${n}: ${QUESTIONS[(n + u) % QUESTIONS.length]}`;
          tg.pushMessage(user, { text });
          stats.pushedTelegram.add(text);
          await pause(jitter(30, 120));
        }
      })(),
    );
  }

  return {
    stats,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

export interface LedgerRow {
  direction: string;
  channel: string;
  text: string;
  outbox_status: string | null;
  sent_id: string | null;
}

const LEDGER_SQL = `select m.direction, m.channel, m.text, o.status as outbox_status, o.external_id as sent_id
  from messages m left join outbox o on o.message_id = m.id`;

/** Every message with its reply's outbox state, read straight from the database file or server. */
export async function readLedger(db: { sqliteFile: string } | { url: string }): Promise<LedgerRow[]> {
  if ('sqliteFile' in db) {
    const conn = new BetterSqlite3(db.sqliteFile, { readonly: true, fileMustExist: true });
    try {
      return conn.prepare(LEDGER_SQL).all() as LedgerRow[];
    } finally {
      conn.close();
    }
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<LedgerRow>(LEDGER_SQL)).rows;
  } finally {
    await client.end();
  }
}

export interface ExactlyOnce {
  stored: number;
  /** Accepted or pushed texts with no stored message. */
  lost: string[];
  /** Texts stored more than once. */
  duplicated: string[];
  repliesSent: number;
  repliesPending: number;
  repliesFailed: number;
  /** Telegram messages the fake delivered that no sent outbox row accounts for (a resend after a crash mid-send). */
  extraDeliveries: number;
  /** Sent Telegram replies the fake never delivered. */
  missingDeliveries: number;
}

/** Compares what was accepted with what was stored and what was delivered. */
export function checkExactlyOnce(rows: LedgerRow[], stats: LoadStats, telegram?: FakeTelegramBotApi, only?: Set<string>): ExactlyOnce {
  const inbound = new Map<string, number>();
  for (const r of rows) if (r.direction === 'in') inbound.set(r.text, (inbound.get(r.text) ?? 0) + 1);
  const expected = only ?? new Set([...stats.acceptedWebchat, ...stats.pushedTelegram]);
  const lost = [...expected].filter((t) => !inbound.has(t));
  const duplicated = [...inbound].filter(([, n]) => n > 1).map(([t]) => t);
  const out = rows.filter((r) => r.direction === 'out' && r.outbox_status !== null);
  const sentTelegram = new Set(out.filter((r) => r.channel === 'telegram' && r.outbox_status === 'sent').map((r) => r.sent_id));
  const delivered = new Set((telegram?.sent ?? []).map((m) => `${m.chat_id}:${m.message_id}`));
  return {
    stored: [...inbound.values()].reduce((a, b) => a + b, 0),
    lost,
    duplicated,
    repliesSent: out.filter((r) => r.outbox_status === 'sent').length,
    repliesPending: out.filter((r) => r.outbox_status === 'pending').length,
    repliesFailed: out.filter((r) => r.outbox_status === 'failed').length,
    extraDeliveries: [...delivered].filter((id) => !sentTelegram.has(id)).length,
    missingDeliveries: [...sentTelegram].filter((id) => !delivered.has(id!)).length,
  };
}
