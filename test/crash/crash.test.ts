/**
 * The crash suite: the real service as a child process under web-chat and Telegram load,
 * SIGKILLed at random moments (and sometimes SIGTERMed), restarted on the same data, and
 * checked for exactly-once after every restart and once more when all is quiet.
 * `CRASH_ITERATIONS=1000 npm run test:crash` for the long run; `npm test` runs a few.
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { eventually, tempDir } from '../support/app.js';
import { startService, type ServiceProcess } from '../support/service-process.js';
import { checkExactlyOnce, readLedger, startLoad } from './load.js';

const ITERATIONS = Number(process.env.CRASH_ITERATIONS ?? 4);

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('crash suite: SIGKILL and SIGTERM under load, exactly-once after every restart', () => {
  let fake: FakeTelegramBotApi;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    fake = await FakeTelegramBotApi.start();
    dir = await tempDir('switchboard-crash-');
  });
  afterAll(async () => {
    await service?.kill('SIGKILL');
    await fake?.close();
    await dir?.rm();
  });

  it(
    `${ITERATIONS} kills, nothing lost, nothing stored twice, every reply delivered`,
    async () => {
      const port = await freePort();
      const env = {
        DATA_DIR: dir.path,
        PORT: String(port),
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        SHUTDOWN_TIMEOUT_MS: '5000',
      };
      const sqliteFile = `${dir.path}/switchboard.db`;
      const url = `http://127.0.0.1:${port}`;
      let sigterming = false;
      service = await startService(env);
      const load = startLoad({ baseUrls: () => [url], telegram: fake, webchat: 3, telegramUsers: 3, sigterming: () => sigterming });
      const started = Date.now();
      const restartMs: number[] = [];
      let kills = 0;
      let terms = 0;
      try {
        for (let i = 0; i < ITERATIONS; i++) {
          await new Promise((r) => setTimeout(r, 200 + Math.random() * 1300));
          const acceptedBefore = new Set(load.stats.acceptedWebchat);
          if (Math.random() < 0.2) {
            terms++;
            sigterming = true;
            const exit = await service.kill('SIGTERM');
            sigterming = false;
            expect(exit, service.output()).toEqual({ code: 0, signal: null });
          } else {
            kills++;
            await service.kill('SIGKILL');
          }
          const t = Date.now();
          service = await startService(env);
          restartMs.push(Date.now() - t);
          // Whatever was accepted before the kill is there, once.
          const check = checkExactlyOnce(await readLedger({ sqliteFile }), load.stats, undefined, acceptedBefore);
          expect(check.lost, `iteration ${i}: accepted and lost`).toEqual([]);
          expect(check.duplicated, `iteration ${i}: stored twice`).toEqual([]);
        }
      } finally {
        await load.stop();
      }

      // Quiet: every update confirmed, every reply out.
      let last: unknown;
      const final = await eventually(
        async () => {
          const c = checkExactlyOnce(await readLedger({ sqliteFile }), load.stats, fake);
          last = { pendingUpdates: fake.pendingCount, ...c, lost: c.lost.slice(0, 5) };
          return fake.pendingCount === 0 && c.lost.length === 0 && c.repliesPending === 0 ? c : undefined;
        },
        60_000,
        'every message stored and every reply sent',
      ).catch((err: Error) => {
        throw new Error(`${err.message}: ${JSON.stringify(last)}\n${service?.output()}`);
      });
      const exit = await service.kill('SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
      service = undefined;

      const medianRestart = restartMs.sort((a, b) => a - b)[Math.floor(restartMs.length / 2)] ?? 0;
      console.log(
        `crash suite: ${ITERATIONS} restarts (${kills} SIGKILL, ${terms} SIGTERM) in ${((Date.now() - started) / 1000).toFixed(1)} s, median restart ${medianRestart} ms; ` +
          `${load.stats.acceptedWebchat.size} web-chat + ${load.stats.pushedTelegram.size} Telegram messages, ${final.stored} stored, ` +
          `${final.lost.length} lost, ${final.duplicated.length} stored twice; ${final.repliesSent} replies sent, ${final.repliesFailed} failed, ` +
          `${final.missingDeliveries} sent but not delivered, ${final.extraDeliveries} delivered twice (a kill between Telegram's answer and the commit); ` +
          `${load.stats.resetsDuringSigterm} requests reset during SIGTERM (keep-alive race, retried), ${load.stats.webchatRetries} client retries`,
      );
      expect(final.stored).toBe(load.stats.acceptedWebchat.size + load.stats.pushedTelegram.size);
      expect(final.duplicated).toEqual([]);
      expect(final.repliesFailed).toBe(0);
      expect(final.missingDeliveries).toBe(0);
      // Telegram has no idempotency key: a kill between its answer and our commit resends that
      // reply once; at most the sends in flight at the kill (the worker's limit, 20).
      expect(final.extraDeliveries).toBeLessThanOrEqual(20 * kills);
      // Not asserted: a request written to a keep-alive socket in the instant the stopping server
      // closes it as idle is reset before the service reads it (the client retries it, and it is
      // stored once, as checked above). Requests the service has read are never cut: see
      // test/e2e/graceful-shutdown.test.ts.
    },
    120_000 + ITERATIONS * 60_000,
  );
});
