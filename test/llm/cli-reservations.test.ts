import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLlmCli } from '../../src/llm/cli-reservations.js';
import { loadConfig } from '../../src/config.js';
import { openStore, type Store } from '../../src/store/store.js';
import { tempDir } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

const NOW = Date.parse('2026-03-15T12:00:00Z');
const clock = { now: () => new Date(NOW) };
const minutesAgo = (m: number) => NOW - m * 60_000;

const backends: { name: string; env: (dataDir: string) => Promise<{ env: Record<string, string>; drop: () => Promise<void> }> }[] = [
  { name: 'SQLite', env: async (dataDir) => ({ env: { DATA_DIR: dataDir }, drop: async () => {} }) },
];
if (TEST_DATABASE_URL) {
  backends.push({
    name: 'PostgreSQL',
    env: async (dataDir) => {
      const db = await createTestDatabase();
      return { env: { DATA_DIR: dataDir, DATABASE_URL: db.url }, drop: () => db.drop() };
    },
  });
}

for (const backend of backends) {
  describe(`switchboard llm reservations (${backend.name})`, () => {
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      const dir = await tempDir();
      const db = await backend.env(dir.path);
      env = db.env;
      cleanup = async () => {
        await db.drop();
        await dir.rm();
      };
    });
    afterAll(async () => cleanup?.());

    const withStore = async <T>(fn: (s: Store) => Promise<T>) => {
      const config = loadConfig(env);
      const store = await openStore({ databaseUrl: config.DATABASE_URL, sqliteFile: config.sqliteFile });
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    };
    const run = async (sub: string, args: string[]) => {
      let out = '';
      let err = '';
      const code = await runLlmCli(sub, args, {
        stdout: { write: (t: string) => (out += t) },
        stderr: { write: (t: string) => (err += t) },
        env,
        clock,
      });
      return { code, out, err };
    };
    const heldIds = () => withStore((s) => s.read((r) => r.llmReservations.list())).then((rows) => rows.map((row) => row.id));

    const lastMonth = { id: 'res-last-month', kind: 'draft', cost: 1, createdAt: Date.parse('2026-02-20T08:00:00Z') };
    const byId = { id: 'res-by-id', kind: 'draft', cost: 0.0625, createdAt: minutesAgo(180) };
    const old = { id: 'res-old', kind: 'draft', cost: 0.25, createdAt: minutesAgo(120) };
    const half = { id: 'res-half-hour', kind: 'ai_agent', cost: 0.125, createdAt: minutesAgo(30) };
    const young = { id: 'res-young', kind: 'selection', cost: 0.5, createdAt: minutesAgo(2) };
    const all = [lastMonth, byId, old, half, young];

    it('lists the reservations held, oldest first, and what they add to this month’s budget', async () => {
      await withStore((s) =>
        s.tx(async (r) => {
          for (const row of all) await r.llmReservations.insert(row);
        }),
      );
      const listed = await run('reservations', ['--json']);
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.out)).toEqual({
        monthStart: '2026-03-01T00:00:00.000Z',
        // Last month's row no longer counts: 0.0625 + 0.25 + 0.125 + 0.5.
        reservedThisMonth: 0.9375,
        reservations: all.map((row) => ({
          id: row.id,
          kind: row.kind,
          cost: row.cost,
          createdAt: new Date(row.createdAt).toISOString(),
          ageMinutes: Math.floor((NOW - row.createdAt) / 60_000),
        })),
      });
      const text = await run('reservations', []);
      expect(text.out).toContain(`res-half-hour  ai_agent   0.125  ${new Date(half.createdAt).toISOString()}  30 min old\n`);
      expect(text.out.trim().split('\n').at(-1)).toBe(
        "5 reservation(s) held; 0.9375 counts against this month's budget (since 2026-03-01T00:00:00.000Z)",
      );
    });

    it('refuses bad input with exit code 2 and deletes nothing', async () => {
      const refusals: [string[], RegExp][] = [
        [['clear', '--older-than', '5'], /--older-than must be at least 10 minutes/],
        [['clear', '--older-than', 'abc'], /whole number of minutes, got "abc"/],
        [['clear', '--older-than', '-30'], /older-than/],
        [['clear', '--force', '--older-than', '60'], /Unknown option '--force'/],
        [['clear'], /give either --older-than MINUTES or IDs/],
        [['clear', '--older-than', '60', old.id], /give either --older-than MINUTES or IDs/],
        [['clear', old.id, 'res-unknown'], /no reservation res-unknown .*nothing was cleared/],
        [['clear', old.id, young.id], /res-young is under 10 minutes old .*nothing was cleared/],
        [['stray'], /the listing takes only --json/],
      ];
      for (const [args, message] of refusals) {
        const refused = await run('reservations', args);
        expect({ args, code: refused.code }).toEqual({ args, code: 2 });
        expect(refused.err).toMatch(message);
        expect(refused.out).toBe('');
      }
      expect((await run('budget', [])).code).toBe(2);
      expect(await heldIds()).toEqual(all.map((row) => row.id));
    });

    it('clears by id, then those older than the given minutes, reporting the cost freed and auditing it', async () => {
      const one = await run('reservations', ['clear', byId.id]);
      expect(one).toMatchObject({ code: 0, out: "cleared 1 reservation(s), freeing 0.0625 of this month's budget\n" });

      const older = await run('reservations', ['clear', '--older-than', '60']);
      // Last month's row is cleared too, but it no longer counted, so it frees nothing.
      expect(older).toMatchObject({ code: 0, out: "cleared 2 reservation(s), freeing 0.25 of this month's budget\n" });
      expect(await heldIds()).toEqual([half.id, young.id]);

      const none = await run('reservations', ['clear', '--older-than', '45']);
      expect(none.out).toBe("cleared 0 reservation(s), freeing 0 of this month's budget\n");
      expect(JSON.parse((await run('reservations', ['--json'])).out).reservedThisMonth).toBe(0.625);

      const entries = await withStore((s) => s.read((r) => r.audit.list({ limit: 10 })));
      expect(entries.map((e) => ({ actor: e.actorId, action: e.action, detail: JSON.parse(e.detail) }))).toEqual([
        { actor: 'cli', action: 'llm_reservation.clear', detail: { count: 1, freed: 0.0625, ids: [byId.id] } },
        {
          actor: 'cli',
          action: 'llm_reservation.clear',
          detail: { count: 2, freed: 0.25, ids: expect.arrayContaining([lastMonth.id, old.id]), olderThanMinutes: 60 },
        },
      ]);
    });
  });
}
