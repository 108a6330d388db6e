import type { Store } from './store.js';

/** Rows indexed per transaction: small, so requests of a running instance do not wait long behind it. */
const BATCH = 500;
const DONE = 'done';

/**
 * The data half of the search migration (drizzle/{sqlite,pg}/0012_search_index.sql): messages,
 * notes and customers stored before the index existed are indexed once, in batches, when the
 * store opens. The terms are computed in TypeScript (src/domain/search-text.ts), which a SQL
 * migration cannot do. Progress is kept in channel_state, so an interrupted backfill resumes;
 * instances running it together only repeat work (documents are upserted by id). Everything
 * written since the migration is indexed in its own transaction and needs none of this.
 */
export async function backfillSearch(store: Store): Promise<void> {
  await run(store, 'search.backfill.messages', (r, after) => r.search.backfillMessages(after, BATCH));
  await run(store, 'search.backfill.customers', (r, after) => r.search.backfillCustomers(after, BATCH));
}

async function run(
  store: Store,
  key: string,
  step: (r: Parameters<Parameters<Store['tx']>[0]>[0], after: string | undefined) => Promise<string | undefined>,
): Promise<void> {
  let cursor = await store.tx((r) => r.state.get(key));
  while (cursor !== DONE) {
    const after = cursor;
    cursor = await store.tx(async (r) => {
      const last = await step(r, after);
      const next = last ?? DONE;
      await r.state.set(key, next, Date.now());
      return next;
    });
  }
}
