/**
 * `switchboard llm reservations [clear …]`: the model-call reservations held against
 * LLM_MONTHLY_BUDGET, and a way to clear those a crash left behind. A process that dies during a
 * call keeps its reservation counting at its worst case until the month ends (see
 * `ModelBudget.reserve`); only an operator can tell that its call is gone for good.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { monthStart } from '../pipeline/drafting.js';
import { openStore, type Store } from '../store/store.js';
import type { LlmReservationRow } from '../store/ports.js';
import { audit, CLI_ACTOR } from '../audit/record.js';
import { roundCost } from './pricing.js';

export interface LlmIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  clock?: Clock;
}

/**
 * Younger reservations may belong to a call still in flight (a streamed draft, a slow model):
 * clearing one would let calls started meanwhile pass the budget, so clear refuses them.
 */
export const MIN_CLEAR_MINUTES = 10;

export const LLM_USAGE = `  llm reservations [--json]               model-call reservations held now (id, kind, worst-case cost, age)
                                          and what they add to this month's LLM_MONTHLY_BUDGET spend
  llm reservations clear --older-than MINUTES | clear ID…
                                          delete reservations a crash left behind (${MIN_CLEAR_MINUTES} minutes old at least)`;

class UsageError extends Error {}

export async function runLlmCli(sub: string | undefined, args: string[], io: LlmIo): Promise<number> {
  const clear = args[0] === 'clear';
  const name = `llm ${sub ?? ''}${clear ? ' clear' : ''}`;
  try {
    if (sub !== 'reservations') throw new UsageError(`unknown command "llm ${sub ?? ''}"`);
    let parsed;
    try {
      parsed = parseArgs({
        args: clear ? args.slice(1) : args,
        allowPositionals: true,
        options: { json: { type: 'boolean' }, 'older-than': { type: 'string' } },
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { values: v, positionals } = parsed;
    const now = (io.clock ?? systemClock).now().getTime();
    if (!clear) {
      if (positionals.length || v['older-than'] !== undefined) throw new UsageError('the listing takes only --json');
      const rows = await withStore(io, (store) => store.read((r) => r.llmReservations.list()));
      printList(io, rows, now, v.json === true);
      return 0;
    }
    if (v.json) throw new UsageError('--json applies to the listing only');
    const minutes = v['older-than'] === undefined ? undefined : parseMinutes(v['older-than']);
    if ((minutes === undefined) === (positionals.length === 0)) throw new UsageError('give either --older-than MINUTES or IDs');
    const youngest = now - MIN_CLEAR_MINUTES * 60_000;
    const ids = [...new Set(positionals)];
    const cleared = await withStore(io, (store) =>
      store.tx(async (r) => {
        const gone = minutes === undefined ? await r.llmReservations.deleteIds(ids) : await r.llmReservations.purge(now - minutes * 60_000);
        // A throw here rolls the whole deletion back: a bad id means nothing is cleared.
        const missing = ids.filter((id) => !gone.some((row) => row.id === id));
        if (missing.length) throw new UsageError(`no reservation ${missing.join(', ')} (see "llm reservations"); nothing was cleared`);
        const young = gone.filter((row) => row.createdAt > youngest);
        if (young.length)
          throw new UsageError(
            `${young.map((row) => row.id).join(', ')} is under ${MIN_CLEAR_MINUTES} minutes old and may belong to a call in flight; nothing was cleared`,
          );
        const freed = costThisMonth(gone, now);
        if (gone.length)
          await audit(r, {
            by: CLI_ACTOR,
            action: 'llm_reservation.clear',
            detail: {
              count: gone.length,
              freed,
              ids: gone.map((row) => row.id),
              ...(minutes === undefined ? {} : { olderThanMinutes: minutes }),
            },
            now,
          });
        return { count: gone.length, freed };
      }),
    );
    io.stdout.write(`cleared ${cleared.count} reservation(s), freeing ${cleared.freed} of this month's budget\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`${name.trim()}: ${err.message}\nusage:\n${LLM_USAGE}\n`);
    return 2;
  }
}

function parseMinutes(raw: string): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`--older-than takes a whole number of minutes, got "${raw}"`);
  const minutes = Number(raw);
  if (minutes < MIN_CLEAR_MINUTES)
    throw new UsageError(
      `--older-than must be at least ${MIN_CLEAR_MINUTES} minutes: a call in flight may still hold a younger reservation`,
    );
  return minutes;
}

/** Only this month's reservations count in the budget; older ones free nothing. */
function costThisMonth(rows: LlmReservationRow[], now: number): number {
  const since = monthStart(now);
  return roundCost(rows.filter((row) => row.createdAt >= since).reduce((total, row) => total + row.cost, 0));
}

function printList(io: LlmIo, rows: LlmReservationRow[], now: number, json: boolean): void {
  const shaped = rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    cost: row.cost,
    createdAt: new Date(row.createdAt).toISOString(),
    ageMinutes: Math.floor((now - row.createdAt) / 60_000),
  }));
  const since = new Date(monthStart(now)).toISOString();
  const reservedThisMonth = costThisMonth(rows, now);
  if (json) {
    io.stdout.write(JSON.stringify({ monthStart: since, reservedThisMonth, reservations: shaped }) + '\n');
    return;
  }
  for (const r of shaped) io.stdout.write(`${r.id}  ${r.kind.padEnd(9)}  ${r.cost}  ${r.createdAt}  ${r.ageMinutes} min old\n`);
  io.stdout.write(`${shaped.length} reservation(s) held; ${reservedThisMonth} counts against this month's budget (since ${since})\n`);
}

async function withStore<T>(io: LlmIo, fn: (store: Store) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env);
  const store = await openStore({ databaseUrl: config.DATABASE_URL, sqliteFile: config.sqliteFile });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
