import { describe, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';
import { storeContract } from './contract.js';

if (TEST_DATABASE_URL) {
  storeContract('PostgreSQL', async () => {
    const db = await createTestDatabase();
    const store = await openStore({ databaseUrl: db.url, sqliteFile: '' });
    return { store, dispose: async () => (await store.close(), await db.drop()) };
  });
} else {
  describe('store contract: PostgreSQL', () => {
    it.skip('needs TEST_DATABASE_URL (set by .ci/run)', () => {});
  });
}
