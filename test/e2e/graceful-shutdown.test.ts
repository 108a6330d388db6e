/**
 * SIGTERM on the real process: requests already on the wire finish (none is reset), a reply
 * being sent goes out and is recorded, event streams end with a reconnect hint, the process
 * exits 0 — and a killed worker's leased reply goes out at the next start, not after its lease.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { tempDir } from '../support/app.js';
import { startService, type ServiceProcess } from '../support/service-process.js';
import { readLedger } from '../crash/load.js';

/**
 * A POST whose body is sent in two halves, so it is in flight for as long as the test wants.
 * `Expect: 100-continue` makes the server say when it has parsed the request, so `parsed`
 * proves the request reached the service (not only the kernel's accept queue).
 */
function slowPost(url: string, headers: Record<string, string>, body: string) {
  const u = new URL(url);
  const bytes = Buffer.from(body);
  let sendRest!: () => void;
  let parsed!: () => void;
  const continued = new Promise<void>((resolve) => (parsed = resolve));
  const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': bytes.length, expect: '100-continue' },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.on('continue', () => {
      req.write(bytes.subarray(0, 10));
      parsed();
    });
    sendRest = () => req.end(bytes.subarray(10));
  });
  return { done, parsed: continued, finish: () => sendRest() };
}

/** An event stream read raw, so the `retry:` line and the end of the stream are visible. */
function rawStream(url: string, headers: Record<string, string>) {
  const state = { text: '', ended: false };
  void fetch(url, { headers }).then(
    async (res) => {
      for await (const chunk of res.body!) state.text += Buffer.from(chunk).toString();
      state.ended = true;
    },
    () => (state.ended = true),
  );
  return state;
}

describe('graceful shutdown and lease reclaim of the real process', () => {
  let fake: FakeTelegramBotApi;
  const dirs: Awaited<ReturnType<typeof tempDir>>[] = [];
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    fake = await FakeTelegramBotApi.start();
  });
  afterAll(async () => {
    await service?.kill('SIGKILL');
    await fake?.close();
    for (const d of dirs) await d.rm();
  });

  it('SIGTERM: requests in flight complete, the send in flight is recorded, SSE ends with retry:, exit 0', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const env = { DATA_DIR: dir.path, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, SHUTDOWN_TIMEOUT_MS: '10000' };
    service = await startService(env);
    const session = (await (await fetch(`${service.url}/webchat/sessions`, { method: 'POST' })).json()) as {
      sessionId: string;
      secret: string;
    };
    const auth = { authorization: `Bearer ${session.secret}` };
    const stream = rawStream(`${service.url}/webchat/sessions/${session.sessionId}/events`, auth);

    // A Telegram reply whose send takes 1.5 s is in flight when SIGTERM arrives.
    fake.connectionFaults.inject('delay', { ms: 1_500, times: 1, match: (req) => req.url?.endsWith('/sendMessage') ?? false });
    fake.pushMessage({ id: 4242 }, { text: 'How do I return an item?' });
    await fake.waitFor(() => fake.connectionFaults.faulted === 1, 60_000, 'the send in flight');

    const posts = Array.from({ length: 12 }, (_, i) =>
      slowPost(
        `${service!.url}/webchat/sessions/${session.sessionId}/messages`,
        { ...auth, 'content-type': 'application/json' },
        JSON.stringify({ text: `in flight ${i}: where is my order?`, clientMessageId: `inflight-${i}` }),
      ),
    );
    await Promise.all(posts.map((p) => p.parsed));
    const exiting = service.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    for (const p of posts) p.finish();
    const answers = await Promise.all(posts.map((p) => p.done));
    const exit = await exiting;
    const output = service.output();
    service = undefined;

    expect(answers.map((a) => a.status)).toEqual(posts.map(() => 202));
    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(stream.ended).toBe(true);
    expect(stream.text.trimEnd().endsWith('retry: 2000')).toBe(true);
    expect(fake.sent.map((m) => m.chat_id)).toEqual([4242]);
    const ledger = await readLedger({ sqliteFile: `${dir.path}/switchboard.db` });
    for (let i = 0; i < posts.length; i++) expect(ledger.filter((r) => r.text === `in flight ${i}: where is my order?`)).toHaveLength(1);
    const telegramReply = ledger.filter((r) => r.channel === 'telegram' && r.direction === 'out');
    expect(telegramReply.map((r) => [r.outbox_status, r.sent_id])).toEqual([['sent', `4242:${fake.sent[0]!.message_id}`]]);
  }, 180_000);

  it('SIGKILL mid-send: the next start sends the leased reply at once, not after the 60 s lease', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const env = { DATA_DIR: dir.path, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, LOG_LEVEL: 'info' };
    service = await startService(env);
    fake.connectionFaults.clear();
    fake.connectionFaults.inject('hang', { match: (req) => req.url?.endsWith('/sendMessage') ?? false });
    const before = fake.connectionFaults.faulted;
    fake.pushMessage({ id: 4343 }, { text: 'Do you ship internationally?' });
    await fake.waitFor(() => fake.connectionFaults.faulted === before + 1, 60_000, 'the hanging send');
    await service.kill('SIGKILL');
    fake.connectionFaults.clear();

    const ledger = await readLedger({ sqliteFile: `${dir.path}/switchboard.db` });
    expect(ledger.filter((r) => r.channel === 'telegram' && r.direction === 'out').map((r) => r.outbox_status)).toEqual(['pending']);
    service = await startService(env);
    const startedAt = Date.now();
    await fake.waitFor(() => fake.sentTo(4343).length === 1, 10_000, 'the reclaimed reply');
    const after = Date.now() - startedAt;
    expect(after).toBeLessThan(10_000);
    expect(service.output()).toContain('released the outbox leases of stopped workers');
    await service.kill('SIGTERM');
    service = undefined;
    expect(fake.sentTo(4343)).toHaveLength(1);
  }, 180_000);
});
