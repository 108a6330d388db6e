/** `switchboard customers export|erase`: a customer's data rights from the command line (audited as `cli`). */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { loadConfig } from '../config.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { NotFoundError } from '../domain/errors.js';
import { openStore } from '../store/store.js';
import { CLI_ACTOR } from '../audit/record.js';
import { exportCustomer } from './export.js';
import { eraseCustomer } from './erase.js';
import { createFileStore } from '../attachments/create.js';

export interface CustomersIo {
  stdout: NodeJS.WritableStream;
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  clock?: Clock;
}

export const CUSTOMERS_USAGE = `  customers export CUSTOMER_ID            everything stored about a customer, as JSON on stdout
  customers erase CUSTOMER_ID --yes       erase a customer's personal data and message text (keeps anonymous counts)`;

export async function runCustomersCli(sub: string | undefined, args: string[], io: CustomersIo): Promise<number> {
  const clock = io.clock ?? systemClock;
  const [id, ...flags] = args;
  const ok = (sub === 'export' && id && flags.length === 0) || (sub === 'erase' && id && flags.length === 1 && flags[0] === '--yes');
  if (!ok) {
    io.stderr.write(`usage:\n${CUSTOMERS_USAGE}\n`);
    return 2;
  }
  const config = loadConfig(io.env);
  const store = await openStore({ databaseUrl: config.DATABASE_URL, sqliteFile: config.sqliteFile });
  try {
    if (sub === 'export') {
      const stream = await exportCustomer(store, id, CLI_ACTOR, clock.now().getTime());
      await pipeline(Readable.fromWeb(stream as WebReadableStream<Uint8Array>), io.stdout, { end: false });
    } else {
      const erased = await eraseCustomer(store, clock, id, CLI_ACTOR, createFileStore(config));
      io.stdout.write(
        `erased customer ${id}: ${erased.identities} identit${erased.identities === 1 ? 'y' : 'ies'}, ` +
          `${erased.conversations} conversation(s), ${erased.messages} message(s) blanked\n`,
      );
    }
    return 0;
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    io.stderr.write(`customers ${sub}: ${err.message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}
