import { afterEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/store.js';
import { FileStore } from '../../src/attachments/file-store.js';
import { DiskBackend } from '../../src/attachments/disk-backend.js';
import { sweepUnsent } from '../../src/attachments/sweep.js';
import { tempDir } from '../support/app.js';
import { streamOf } from './fixtures.js';

let store: Store | undefined;
let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
afterEach(async () => {
  await store?.close();
  await dir?.rm();
});

it('deletes uploads never sent once a day old, keeping bytes a younger row still names', async () => {
  dir = await tempDir();
  store = await openStore({ sqliteFile: join(dir.path, 'db.sqlite') });
  const files = new FileStore(new DiskBackend(join(dir.path, 'files')), join(dir.path, 'tmp'));
  const now = 10 * 86_400_000;
  const clock = { now: () => new Date(now) };
  const a = await files.save(streamOf(Buffer.from('old upload')), { maxBytes: 1000 });
  const b = await files.save(streamOf(Buffer.from('shared bytes')), { maxBytes: 1000 });
  const row = (id: string, bytes: typeof a, createdAt: number) => ({
    id,
    messageId: null,
    customerId: null,
    owner: 'agent:a1',
    ...bytes,
    name: id,
    inline: 0,
    createdAt,
  });
  for (const r of [row('old', a, now - 2 * 86_400_000), row('old-shared', b, now - 2 * 86_400_000), row('young', b, now - 1000)])
    await store.tx((repos) => repos.attachments.insert(r));
  expect(await sweepUnsent(store, files, clock)).toBe(2);
  expect(await files.open(a.sha256)).toBeUndefined();
  expect(await files.open(b.sha256)).toBeDefined();
  expect((await store.read((r) => r.attachments.byIds(['old', 'old-shared', 'young']))).map((x) => x.id)).toEqual(['young']);
});
