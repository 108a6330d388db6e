import { openStore } from '../../src/store/store.js';
import { tempDir } from '../support/app.js';
import { storeContract } from './contract.js';

storeContract('SQLite', async () => {
  const dir = await tempDir();
  const store = await openStore({ sqliteFile: `${dir.path}/switchboard.db` });
  return { store, dispose: async () => (await store.close(), await dir.rm()) };
});
