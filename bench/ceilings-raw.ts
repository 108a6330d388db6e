/**
 * The ceilings for ingest in `npm run bench:ceilings`: the rows one FAQ-answered message writes
 * (look-ups, customer/identity/conversation on first contact, the message, its event, the reply,
 * its outbox row and event, the conversation's timestamps, each message's search document (whose
 * insert also updates the full-text index), the webhook deliveries of the events — none here, as
 * in the benchmark no webhook is registered, but the statement runs), written with hand-made statements
 * in one transaction per message — on better-sqlite3 with the project's pragmas, and on `pg`
 * with a pool of 10 as the store uses. No ORM, no pipeline, no rules: what the database costs.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { FaqMatcher } from '../src/faq/matcher.js';
import { indexTerms } from '../src/domain/search-text.js';

export interface RawMessage {
  externalId: string;
  customer: string;
  text: string;
}

let seq = 0;
const id = () => `${Date.now().toString(36)}-${(seq++).toString(36)}-raw`;
const payload = (text: string, to: string) =>
  JSON.stringify({ channel: 'webchat', threadKey: to, to: { channelUserId: to }, text, author: 'bot' });

/** `faq` given: the ceiling also pays the FAQ match, so only the store and pipeline are compared. */
export function rawSqliteIngest(file: string, messages: RawMessage[], answer: string, faq?: FaqMatcher): void {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const s = {
    known: db.prepare('select id, conversation_id from messages where channel = ? and external_id = ?'),
    identity: db.prepare('select customer_id from channel_identities where channel = ? and channel_user_id = ?'),
    customer: db.prepare('insert into customers (id, display_name, email, locale, created_at) values (?, null, null, null, ?)'),
    newIdentity: db.prepare(
      'insert into channel_identities (id, customer_id, channel, channel_user_id, display_name, username, created_at) values (?, ?, ?, ?, null, null, ?)',
    ),
    conversation: db.prepare(
      'select id, status from conversations where channel = ? and thread_key = ? order by created_at desc, id desc limit 1',
    ),
    newConversation: db.prepare(
      `insert into conversations (id, customer_id, channel, thread_key, status, last_message_at, created_at, updated_at)
       values (?, ?, 'webchat', ?, 'bot', ?, ?, ?)`,
    ),
    message: db.prepare(
      `insert into messages (id, conversation_id, channel, external_id, direction, author, text, meta, created_at)
       values (?, ?, 'webchat', ?, ?, ?, ?, ?, ?) on conflict do nothing returning id`,
    ),
    touch: db.prepare('update conversations set last_message_at = ?, updated_at = ? where id = ?'),
    event: db.prepare('insert into events (conversation_id, type, data, created_at) values (?, ?, ?, ?) returning seq'),
    outbox: db.prepare(
      `insert into outbox (id, message_id, conversation_id, channel, payload, status, attempts, next_attempt_at, created_at)
       values (?, ?, ?, 'webchat', ?, 'pending', 0, ?, ?)`,
    ),
    search: db.prepare(
      `insert into search_documents (id, kind, conversation_id, customer_id, body, created_at) values (?, 'message', ?, null, ?, ?)`,
    ),
    webhooks: db.prepare(
      `insert into webhook_deliveries (id, webhook_id, event_seq, status, attempts, next_attempt_at, created_at)
       select webhook_id || ':' || @a, webhook_id, @a, 'pending', 0, @now, @now from webhook_events where type in ('message', '*')
       union all
       select webhook_id || ':' || @b, webhook_id, @b, 'pending', 0, @now, @now from webhook_events where type in ('message', '*')`,
    ),
  };
  const one = db.transaction((m: RawMessage) => {
    const now = Date.now();
    if (s.known.get('webchat', m.externalId)) return;
    let customerId = (s.identity.get('webchat', m.customer) as { customer_id: string } | undefined)?.customer_id;
    if (!customerId) {
      customerId = id();
      s.customer.run(customerId, now);
      s.newIdentity.run(id(), customerId, 'webchat', m.customer, now);
    }
    let conversationId = (s.conversation.get('webchat', m.customer) as { id: string } | undefined)?.id;
    if (!conversationId) {
      conversationId = id();
      s.newConversation.run(conversationId, customerId, m.customer, now, now, now);
      s.event.get(conversationId, 'status', '{"status":"bot","action":"open"}', now);
    }
    const inId = id();
    s.message.get(
      inId,
      conversationId,
      m.externalId,
      'in',
      'customer',
      m.text,
      JSON.stringify({ sender: { channelUserId: m.customer } }),
      now,
    );
    s.search.run(inId, conversationId, indexTerms(m.text), now);
    s.touch.run(now, now, conversationId);
    const inSeq = (s.event.get(conversationId, 'message', `{"messageId":"${inId}","direction":"in"}`, now) as { seq: number }).seq;
    const reply = faq ? (faq.match(m.text).answer ?? answer) : answer;
    const outId = id();
    s.message.get(outId, conversationId, null, 'out', 'bot', reply, null, now);
    s.search.run(outId, conversationId, indexTerms(reply), now);
    s.outbox.run(id(), outId, conversationId, payload(reply, m.customer), now, now);
    s.touch.run(now, now, conversationId);
    const outSeq = (s.event.get(conversationId, 'message', `{"messageId":"${outId}","direction":"out"}`, now) as { seq: number }).seq;
    s.webhooks.run({ a: inSeq, b: outSeq, now });
  });
  for (const m of messages) one.immediate(m);
  db.close();
}

const SEARCH_PG = `insert into search_documents (id, kind, conversation_id, customer_id, body, created_at) values ($1, 'message', $2, null, $3, $4)`;
const WEBHOOKS_PG = `insert into webhook_deliveries (id, webhook_id, event_seq, status, attempts, next_attempt_at, created_at)
  select webhook_id || ':' || $1::text, webhook_id, $1::bigint, 'pending', 0, $3::bigint, $3::bigint from webhook_events where type in ('message', '*')
  union all
  select webhook_id || ':' || $2::text, webhook_id, $2::bigint, 'pending', 0, $3::bigint, $3::bigint from webhook_events where type in ('message', '*')`;

/** The same rows on PostgreSQL: one transaction per message, `concurrency` customers at a time on a pool of 10. */
export async function rawPgIngest(url: string, byCustomer: RawMessage[][], answer: string, faq?: FaqMatcher): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', () => undefined); // a connection ended by the database's drop
  const one = async (m: RawMessage) => {
    const c = await pool.connect();
    try {
      const now = Date.now();
      await c.query('begin');
      const known = await c.query('select id from messages where channel = $1 and external_id = $2', ['webchat', m.externalId]);
      if (known.rowCount) return void (await c.query('commit'));
      await c.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`thread:webchat:${m.customer}`]);
      let customerId = (
        await c.query<{ customer_id: string }>('select customer_id from channel_identities where channel = $1 and channel_user_id = $2', [
          'webchat',
          m.customer,
        ])
      ).rows[0]?.customer_id;
      if (!customerId) {
        customerId = id();
        await c.query('insert into customers (id, created_at) values ($1, $2)', [customerId, now]);
        await c.query(
          'insert into channel_identities (id, customer_id, channel, channel_user_id, created_at) values ($1, $2, $3, $4, $5)',
          [id(), customerId, 'webchat', m.customer, now],
        );
      }
      let conversationId = (
        await c.query<{ id: string }>(
          'select id from conversations where channel = $1 and thread_key = $2 order by created_at desc, id desc limit 1 for update',
          ['webchat', m.customer],
        )
      ).rows[0]?.id;
      if (!conversationId) {
        conversationId = id();
        await c.query(
          `insert into conversations (id, customer_id, channel, thread_key, status, last_message_at, created_at, updated_at)
           values ($1, $2, 'webchat', $3, 'bot', $4, $4, $4)`,
          [conversationId, customerId, m.customer, now],
        );
        await c.query('insert into events (conversation_id, type, data, created_at) values ($1, $2, $3, $4)', [
          conversationId,
          'status',
          '{"status":"bot"}',
          now,
        ]);
      }
      const inId = id();
      await c.query(
        `insert into messages (id, conversation_id, channel, external_id, direction, author, text, meta, created_at)
         values ($1, $2, 'webchat', $3, 'in', 'customer', $4, $5, $6) on conflict do nothing returning id`,
        [inId, conversationId, m.externalId, m.text, '{}', now],
      );
      await c.query(SEARCH_PG, [inId, conversationId, indexTerms(m.text), now]);
      await c.query('update conversations set last_message_at = $1, updated_at = $1 where id = $2', [now, conversationId]);
      const inSeq = (
        await c.query<{ seq: string }>(
          'insert into events (conversation_id, type, data, created_at) values ($1, $2, $3, $4) returning seq',
          [conversationId, 'message', `{"messageId":"${inId}"}`, now],
        )
      ).rows[0]!.seq;
      const reply = faq ? (faq.match(m.text).answer ?? answer) : answer;
      const outId = id();
      await c.query(
        `insert into messages (id, conversation_id, channel, direction, author, text, created_at) values ($1, $2, 'webchat', 'out', 'bot', $3, $4)`,
        [outId, conversationId, reply, now],
      );
      await c.query(SEARCH_PG, [outId, conversationId, indexTerms(reply), now]);
      await c.query(
        `insert into outbox (id, message_id, conversation_id, channel, payload, status, attempts, next_attempt_at, created_at)
         values ($1, $2, $3, 'webchat', $4, 'pending', 0, $5, $5)`,
        [id(), outId, conversationId, payload(reply, m.customer), now],
      );
      await c.query('update conversations set last_message_at = $1, updated_at = $1 where id = $2', [now, conversationId]);
      const outSeq = (
        await c.query<{ seq: string }>(
          'insert into events (conversation_id, type, data, created_at) values ($1, $2, $3, $4) returning seq',
          [conversationId, 'message', `{"messageId":"${outId}"}`, now],
        )
      ).rows[0]!.seq;
      await c.query(WEBHOOKS_PG, [inSeq, outSeq, now]);
      await c.query('commit');
    } catch (err) {
      await c.query('rollback');
      throw err;
    } finally {
      c.release();
    }
  };
  await Promise.all(
    byCustomer.map(async (list) => {
      for (const m of list) await one(m);
    }),
  );
  await pool.end();
}
