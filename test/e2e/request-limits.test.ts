import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp, tempDir } from '../support/app.js';
import { WebchatCustomer } from '../support/webchat-client.js';
import { createLogger } from '../../src/log.js';
import { startSwitchboard, type Running } from '../../src/main.js';
import { awayFromWindowEdge } from '../support/rate-window.js';
import { SAMPLE_FAQ, NO_RATE_LIMITS } from '../support/app.js';
import { streamUpload } from '../support/upload.js';

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

/** A raw request, so the test can send what fetch refuses to (huge headers). */
function rawGet(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('limits before work', () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let agent: { token: string };

  beforeAll(async () => {
    dir = await tempDir();
    app = await startApp({ MAX_BODY_KB: '64' }, dir.path);
    agent = await app.createAgent('Limits', 'admin');
  });
  afterAll(async () => {
    await app?.stop();
    await dir?.rm();
  });

  it('refuses an oversized body by Content-Length and while streaming, with 413, on every route that takes one', async () => {
    const customer = await WebchatCustomer.open(app.url);
    const targets: [string, Record<string, string>][] = [
      [`/webchat/sessions/${customer.sessionId}/messages`, { authorization: `Bearer ${customer.secret}` }],
      ['/webchat/sessions', {}],
      ['/api/agents', { authorization: `Bearer ${agent.token}` }],
    ];
    for (const [path, headers] of targets) {
      const declared = await streamUpload(app.url + path, 300 * 1024 * 1024, { headers, declare: true });
      expect(declared.status, `${path} by Content-Length`).toBe(413);
      expect(JSON.parse(declared.body).error.code).toBe('payload_too_large');
      expect(declared.sentWhenAnswered).toBeLessThan(10 * 1024 * 1024);
      const streamed = await streamUpload(app.url + path, 20 * 1024 * 1024, { headers });
      expect(streamed.status, `${path} streamed`).toBe(413);
      expect(JSON.parse(streamed.body).error.code).toBe('payload_too_large');
      // Refused while still streaming: the answer came long before the upload could have finished.
      expect(streamed.sentWhenAnswered).toBeLessThan(10 * 1024 * 1024);
    }
    // The web chat's own cap is tighter than the app's: 70 KB of valid JSON is refused too.
    const json = JSON.stringify({ text: 'a'.repeat(70 * 1024), clientMessageId: 'big' });
    const big = await fetch(`${app.url}/webchat/sessions/${customer.sessionId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer.secret}`, 'content-type': 'application/json' },
      body: json,
    });
    expect(big.status).toBe(413);
    expect((await customer.history()).items).toEqual([]);
  });

  it('refuses deep JSON, invalid UTF-8, long URLs and huge headers', async () => {
    const customer = await WebchatCustomer.open(app.url);
    const post = (body: BodyInit) =>
      fetch(`${app.url}/webchat/sessions/${customer.sessionId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${customer.secret}`, 'content-type': 'application/json' },
        body,
      });
    const deep = await post(`{"text":"hi","clientMessageId":"d","x":${'['.repeat(100)}${']'.repeat(100)}}`);
    expect(deep.status).toBe(400);
    expect((await errorOf(deep)).message).toMatch(/nested deeper/);
    const badUtf8 = await post(new Uint8Array([...Buffer.from('{"text":"'), 0xc3, 0x28, ...Buffer.from('","clientMessageId":"u"}')]));
    expect(badUtf8.status).toBe(400);
    expect((await errorOf(badUtf8)).message).toMatch(/UTF-8/);
    const apiBad = await fetch(`${app.url}/api/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.token}` },
      body: new Uint8Array([0x7b, 0xff, 0x7d]),
    });
    expect(apiBad.status).toBe(400);
    expect((await errorOf(apiBad)).message).toMatch(/UTF-8/);

    const long = await fetch(`${app.url}/webchat/sessions/${'x'.repeat(9000)}/messages`);
    expect(long.status).toBe(414);
    expect(await rawGet(`${app.url}/healthz`, { 'x-filler': 'y'.repeat(20_000) })).toBe(431);
    expect((await customer.history()).items).toEqual([]);
  });
});

describe('rate limits', () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir();
    app = await startApp(
      {
        TRUST_PROXY: '1',
        RATE_LIMIT_SESSION_CREATE_PER_MINUTE: '3',
        RATE_LIMIT_SESSION_MESSAGES_PER_MINUTE: '4',
        RATE_LIMIT_AGENT_PER_MINUTE: '5',
        RATE_LIMIT_IP_PER_MINUTE: '40',
      },
      dir.path,
    );
  });
  afterAll(async () => {
    await app?.stop();
    await dir?.rm();
  });

  const from = (ip: string) => ({ 'x-forwarded-for': `203.0.113.99, ${ip}` });
  beforeEach(() => awayFromWindowEdge());

  it('limits session creation per client address, believing X-Forwarded-For as far as TRUST_PROXY says', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await fetch(`${app.url}/webchat/sessions`, { method: 'POST', headers: from('198.51.100.1') })).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await fetch(`${app.url}/webchat/sessions`, { method: 'POST', headers: from('198.51.100.1') });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await errorOf(refused)).code).toBe('rate_limited');
    // Another address has its own allowance; the spoofable left-hand entries are not the client.
    expect((await fetch(`${app.url}/webchat/sessions`, { method: 'POST', headers: from('198.51.100.2') })).status).toBe(201);
  });

  it('limits messages per session, without touching another session', async () => {
    const open = async (ip: string) => {
      const res = await fetch(`${app.url}/webchat/sessions`, { method: 'POST', headers: from(ip) });
      return (await res.json()) as { sessionId: string; secret: string };
    };
    const say = (s: { sessionId: string; secret: string }, ip: string, text = 'hello') =>
      fetch(`${app.url}/webchat/sessions/${s.sessionId}/messages`, {
        method: 'POST',
        headers: { ...from(ip), authorization: `Bearer ${s.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text, clientMessageId: crypto.randomUUID() }),
      });
    const flooder = await open('198.51.100.10');
    const other = await open('198.51.100.11');
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await say(flooder, '198.51.100.10')).status);
    expect(statuses).toEqual([202, 202, 202, 202, 429, 429]);
    // A wrong secret is refused before it could use up the session's allowance.
    const intruder = await fetch(`${app.url}/webchat/sessions/${other.sessionId}/messages`, {
      method: 'POST',
      headers: { ...from('198.51.100.12'), authorization: 'Bearer wrong', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x', clientMessageId: 'x' }),
    });
    expect(intruder.status).toBe(401);
    expect((await say(other, '198.51.100.11')).status).toBe(202);
  });

  it('limits requests per agent after authentication, and per address before anything', async () => {
    const a = await app.createAgent('Busy');
    const b = await app.createAgent('Calm');
    const get = (token: string, ip: string) =>
      fetch(`${app.url}/api/conversations`, { headers: { ...from(ip), authorization: `Bearer ${token}` } });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(a.token, `198.51.100.${20 + i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await get(b.token, '198.51.100.30')).status).toBe(200);

    const ip = '198.51.100.40';
    const healthz = [];
    for (let i = 0; i < 41; i++) healthz.push((await fetch(`${app.url}/healthz`, { headers: from(ip) })).status);
    expect(healthz.filter((s) => s === 200)).toHaveLength(40);
    expect(healthz.at(-1)).toBe(429);
  });
});

describe('rate limits without a trusted proxy', () => {
  it('ignores X-Forwarded-For, which anyone can write', async () => {
    const dir = await tempDir();
    const app = await startApp({ RATE_LIMIT_SESSION_CREATE_PER_MINUTE: '2' }, dir.path);
    try {
      await awayFromWindowEdge();
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          (await fetch(`${app.url}/webchat/sessions`, { method: 'POST', headers: { 'x-forwarded-for': `10.0.0.${i}` } })).status,
        );
      }
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await app.stop();
      await dir.rm();
    }
  });
});

describe('web-chat sessions', () => {
  it('expire after WEBCHAT_SESSION_IDLE_DAYS unused, and answer an unknown id exactly like a wrong secret', async () => {
    const dir = await tempDir();
    let now = Date.parse('2026-03-01T10:00:00Z');
    const app = await startSwitchboard(
      { PORT: '0', HOST: '127.0.0.1', FAQ_DIR: SAMPLE_FAQ, DATA_DIR: dir.path, ...NO_RATE_LIMITS, WEBCHAT_SESSION_IDLE_DAYS: '2' },
      { clock: { now: () => new Date(now) }, log: createLogger('silent') },
    );
    try {
      const customer = await WebchatCustomer.open(app.url);
      const read = async (id: string, secret: string) => {
        const res = await fetch(`${app.url}/webchat/sessions/${id}/messages`, { headers: { authorization: `Bearer ${secret}` } });
        return { status: res.status, body: await res.text() };
      };
      expect((await read(customer.sessionId, customer.secret)).status).toBe(200);
      const unknown = await read('no-such-session', customer.secret);
      const wrong = await read(customer.sessionId, 'wrong-secret');
      expect(unknown.status).toBe(401);
      expect(unknown).toEqual(wrong);

      // Used a day and a half later: still valid, and the use counts as activity.
      now += 36 * 3_600_000;
      expect((await read(customer.sessionId, customer.secret)).status).toBe(200);
      now += 36 * 3_600_000;
      expect((await read(customer.sessionId, customer.secret)).status).toBe(200);
      // Then idle for longer than two days: refused like an unknown session.
      now += 49 * 3_600_000;
      const expired = await read(customer.sessionId, customer.secret);
      expect(expired).toEqual(unknown);
      expect((await customer.say('still there?')).status).toBe(401);
    } finally {
      await app.stop();
      await dir.rm();
    }
  });
});

describe('security headers', () => {
  let app: Running;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    dir = await tempDir();
    app = await startApp({ TRUST_PROXY: '1', WIDGET_ORIGINS: 'https://shop.example' }, dir.path);
  });
  afterAll(async () => {
    await app?.stop();
    await dir?.rm();
  });

  it('sends nosniff and frame-ancestors on every response; only the chat page may be framed, by the widget origins', async () => {
    for (const path of ['/console', '/chat/main.js', '/healthz', '/api/conversations', '/no-such-page']) {
      const res = await fetch(app.url + path);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), path).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
    const chat = await fetch(`${app.url}/chat`);
    const csp = chat.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/frame-ancestors https:\/\/shop\.example$/);
    expect(chat.headers.get('x-frame-options')).toBeNull();
  });

  it('sends HSTS only over HTTPS (here: a trusted proxy saying so)', async () => {
    expect((await fetch(`${app.url}/healthz`)).headers.get('strict-transport-security')).toBeNull();
    const https = await fetch(`${app.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('allows CORS for the web chat API from the widget origins only, and never for the agent API', async () => {
    const preflight = (path: string, origin: string) =>
      fetch(app.url + path, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const ok = await preflight('/webchat/sessions', 'https://shop.example');
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const other = await preflight('/webchat/sessions', 'https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const apiCors = await preflight('/api/conversations', 'https://shop.example');
    expect(apiCors.headers.get('access-control-allow-origin')).toBeNull();
    const created = await fetch(`${app.url}/webchat/sessions`, { method: 'POST', headers: { origin: 'https://shop.example' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });
});

describe('the per-address limit and platform webhooks', () => {
  it('does not count Telegram’s webhook calls, which carry every customer’s updates from a few addresses', async () => {
    const fake = await FakeTelegramBotApi.start();
    const dir = await tempDir();
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const secret = 'limits-webhook-secret';
    const app = await startApp(
      {
        PORT: String(port),
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
        TELEGRAM_WEBHOOK_SECRET: secret,
        RATE_LIMIT_IP_PER_MINUTE: '3',
      },
      dir.path,
    );
    try {
      await awayFromWindowEdge();
      const statuses = [];
      for (let i = 1; i <= 6; i++) {
        const update = {
          update_id: 9000 + i,
          message: {
            message_id: i,
            date: Math.floor(Date.now() / 1000),
            chat: { id: 4000 + i, type: 'private' },
            from: { id: 4000 + i, is_bot: false, first_name: 'W' },
            text: 'hello',
          },
        };
        const res = await fetch(`${app.url}/telegram/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
          body: JSON.stringify(update),
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
      const other = [];
      for (let i = 0; i < 4; i++) other.push((await fetch(`${app.url}/healthz`)).status);
      expect(other).toEqual([200, 200, 200, 429]);
    } finally {
      await app.stop();
      await fake.close();
      await dir.rm();
    }
  });
});
