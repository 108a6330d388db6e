import { describe, it } from 'vitest';
import pg from 'pg';
import { openStore } from '../../src/store/store.js';
import { storeContract } from './contract.js';

/** Set by .ci/run; each run works in a database of its own, dropped afterwards. */
const adminUrl = process.env.TEST_DATABASE_URL;

if (adminUrl) {
  storeContract('PostgreSQL', async () => {
    const name = `switchboard_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const store = await openStore({ databaseUrl: url.toString(), sqliteFile: '' });
    return {
      store,
      dispose: async () => {
        await store.close();
        await admin.query(`drop database if exists ${name}`);
        await admin.end();
      },
    };
  });
} else {
  describe('store contract: PostgreSQL', () => {
    it.skip('needs TEST_DATABASE_URL (set by .ci/run)', () => {});
  });
}
