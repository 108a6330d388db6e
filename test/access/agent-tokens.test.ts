import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchboard, type Running } from '../../src/main.js';
import { createLogger } from '../../src/log.js';
import { api, SAMPLE_FAQ, tempDir } from '../support/app.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/postgres.js';

/** A clock the test moves by hand, so expiry and last-used times are exact. */
function manualClock(start = Date.parse('2026-03-01T09:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms), at: () => now };
}

async function start(env: Record<string, string>, clock: ReturnType<typeof manualClock>, dataDir: string) {
  return startSwitchboard(
    { PORT: '0', HOST: '127.0.0.1', FAQ_DIR: SAMPLE_FAQ, DATA_DIR: dataDir, ...env },
    { clock, log: createLogger('silent') },
  );
}

const backends: { name: string; env: () => Promise<{ env: Record<string, string>; drop: () => Promise<void> }> }[] = [
  { name: 'SQLite', env: async () => ({ env: {}, drop: async () => {} }) },
];
if (TEST_DATABASE_URL) {
  backends.push({
    name: 'PostgreSQL',
    env: async () => {
      const db = await createTestDatabase();
      return { env: { DATABASE_URL: db.url }, drop: () => db.drop() };
    },
  });
}

for (const backend of backends) {
  describe(`agent tokens (${backend.name})`, () => {
    const clock = manualClock();
    let app: Running;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      const dir = await tempDir();
      const { env, drop } = await backend.env();
      app = await start({ ...env, AGENT_TOKEN_TTL_DAYS: '30' }, clock, dir.path);
      cleanup = async () => (await app.stop(), await drop(), await dir.rm());
    });
    afterAll(async () => cleanup?.());

    it('an agent makes, lists and revokes its own tokens; a revoked token is refused at once; secrets appear once', async () => {
      const admin = await app.createAgent('Root', 'admin');
      const bea = await app.createAgent('Bea');
      const other = await app.createAgent('Cid');
      const listed = await api(app, bea.token, 'GET', `/api/agents/${bea.id}/tokens`);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toHaveLength(1);
      expect(listed.body.items[0]).toMatchObject({ label: 'initial', state: 'active', revokedAt: null });
      // The TTL applies to every new token, the first one included.
      expect(Date.parse(listed.body.items[0].expiresAt)).toBe(clock.at() + 30 * 86_400_000);

      const made = await api(app, bea.token, 'POST', `/api/agents/${bea.id}/tokens`, { label: 'laptop' });
      expect(made.status).toBe(201);
      expect(made.body.token).toMatch(/^sb_/);
      expect((await api(app, made.body.token, 'GET', '/api/me')).body).toMatchObject({ id: bea.id });
      const again = await api(app, bea.token, 'GET', `/api/agents/${bea.id}/tokens`);
      expect(again.body.items.map((t: { label: string }) => t.label)).toEqual(['initial', 'laptop']);
      expect(JSON.stringify(again.body)).not.toContain(made.body.token);
      expect(JSON.stringify(again.body)).not.toMatch(/hash/i);

      // Not for somebody else, unless admin.
      expect((await api(app, bea.token, 'POST', `/api/agents/${other.id}/tokens`, {})).status).toBe(403);
      expect((await api(app, bea.token, 'GET', `/api/agents/${other.id}/tokens`)).status).toBe(403);
      expect((await api(app, admin.token, 'GET', `/api/agents/${other.id}/tokens`)).status).toBe(200);
      expect((await api(app, admin.token, 'POST', '/api/agents/no-such-agent/tokens', {})).status).toBe(404);
      expect((await api(app, bea.token, 'DELETE', `/api/agents/${bea.id}/tokens/${other.tokenId}`)).status).toBe(404);

      const revoked = await api(app, made.body.token, 'DELETE', `/api/agents/${bea.id}/tokens/${bea.tokenId}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.tokenInfo.state).toBe('revoked');
      const refused = await api(app, bea.token, 'GET', '/api/me');
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toBe('token revoked');
      expect((await api(app, made.body.token, 'GET', '/api/me')).status).toBe(200);

      // Rotate: one new token, every other one revoked in the same step.
      const rotated = await api(app, made.body.token, 'POST', `/api/agents/${bea.id}/tokens`, { rotate: true, label: 'rotated' });
      expect(rotated.status).toBe(201);
      expect(rotated.body.revoked).toEqual([made.body.tokenInfo.id]);
      expect((await api(app, made.body.token, 'GET', '/api/me')).status).toBe(401);
      expect((await api(app, rotated.body.token, 'GET', '/api/me')).status).toBe(200);

      // An admin revokes anybody's token.
      expect((await api(app, admin.token, 'DELETE', `/api/agents/${bea.id}/tokens/${rotated.body.tokenInfo.id}`)).status).toBe(200);
      expect((await api(app, rotated.body.token, 'GET', '/api/me')).status).toBe(401);

      const audit = await api(app, admin.token, 'GET', `/api/audit?since=${new Date(clock.at()).toISOString()}&limit=500`);
      const ours = audit.body.items.filter((e: { subjectId: string }) => e.subjectId === bea.id);
      expect(ours.map((e: { action: string }) => e.action)).toEqual([
        'agent.create',
        'token.create',
        'token.create',
        'token.revoke',
        'token.rotate',
        'token.revoke',
      ]);
      expect(ours.at(-1).actorId).toBe(admin.id);
      for (const secret of [bea.token, made.body.token, rotated.body.token]) expect(JSON.stringify(audit.body)).not.toContain(secret);
    });

    it('refuses bad bodies: an expiry in the past, past the TTL, not a date; an unknown field type', async () => {
      const bea = await app.createAgent('Bea2');
      const post = (body: unknown) => api(app, bea.token, 'POST', `/api/agents/${bea.id}/tokens`, body);
      expect((await post({ expiresAt: new Date(clock.at() - 1000).toISOString() })).status).toBe(400);
      expect((await post({ expiresAt: new Date(clock.at() + 31 * 86_400_000).toISOString() })).status).toBe(400);
      expect((await post({ expiresAt: 'tomorrow' })).status).toBe(400);
      expect((await post({ rotate: 'yes' })).status).toBe(400);
      expect((await post('{not json')).status).toBe(400);
      const tokens = await api(app, bea.token, 'GET', `/api/agents/${bea.id}/tokens`);
      expect(tokens.body.items).toHaveLength(1);
    });

    it('a token expires at its expiresAt, and its last use is written at most once a minute', async () => {
      const bea = await app.createAgent('Bea3');
      const short = await api(app, bea.token, 'POST', `/api/agents/${bea.id}/tokens`, {
        expiresAt: new Date(clock.at() + 3_600_000).toISOString(),
      });
      const lastUsed = async () => {
        const rows = await app.store.tx((r) => r.agentTokens.listFor(bea.id));
        return rows.find((t) => t.id === short.body.tokenInfo.id)!.lastUsedAt;
      };
      expect(await lastUsed()).toBeNull();
      const t0 = clock.at();
      expect((await api(app, short.body.token, 'GET', '/api/me')).status).toBe(200);
      expect(await lastUsed()).toBe(t0);
      clock.advance(30_000);
      expect((await api(app, short.body.token, 'GET', '/api/me')).status).toBe(200);
      expect(await lastUsed()).toBe(t0);
      clock.advance(31_000);
      expect((await api(app, short.body.token, 'GET', '/api/me')).status).toBe(200);
      expect(await lastUsed()).toBe(t0 + 61_000);

      clock.advance(3_600_000);
      const expired = await api(app, short.body.token, 'GET', '/api/me');
      expect(expired.status).toBe(401);
      expect(expired.body.error.message).toBe('token expired');
      const listed = await api(app, bea.token, 'GET', `/api/agents/${bea.id}/tokens`);
      expect(listed.body.items.map((t: { state: string }) => t.state)).toEqual(['active', 'expired']);
    });
  });
}

describe.skipIf(!TEST_DATABASE_URL)('agent tokens on two instances of one PostgreSQL', () => {
  let a: Running;
  let b: Running;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dirs: Awaited<ReturnType<typeof tempDir>>[];
  beforeAll(async () => {
    db = await createTestDatabase();
    dirs = [await tempDir(), await tempDir()];
    const clock = { now: () => new Date() };
    const env = { DATABASE_URL: db.url };
    [a, b] = await Promise.all([
      startSwitchboard(
        { PORT: '0', HOST: '127.0.0.1', FAQ_DIR: SAMPLE_FAQ, DATA_DIR: dirs[0]!.path, ...env },
        { clock, log: createLogger('silent') },
      ),
      startSwitchboard(
        { PORT: '0', HOST: '127.0.0.1', FAQ_DIR: SAMPLE_FAQ, DATA_DIR: dirs[1]!.path, ...env },
        { clock, log: createLogger('silent') },
      ),
    ]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
    for (const d of dirs ?? []) await d.rm();
  });

  it('a token revoked on one instance is refused by the other at its very next request', async () => {
    const bea = await a.createAgent('Bea');
    // B has served this token, so any cache it kept would still hold it.
    for (let i = 0; i < 3; i++) expect((await api(b, bea.token, 'GET', '/api/me')).status).toBe(200);
    const spare = await api(b, bea.token, 'POST', `/api/agents/${bea.id}/tokens`, { label: 'spare' });
    expect((await api(a, bea.token, 'DELETE', `/api/agents/${bea.id}/tokens/${bea.tokenId}`)).status).toBe(200);
    expect((await api(b, bea.token, 'GET', '/api/me')).status).toBe(401);
    expect((await api(b, bea.token, 'GET', '/api/conversations')).status).toBe(401);
    expect((await api(a, spare.body.token, 'GET', '/api/me')).status).toBe(200);
    // And a rotation on B revokes on A.
    const rotated = await api(b, spare.body.token, 'POST', `/api/agents/${bea.id}/tokens`, { rotate: true });
    expect((await api(a, spare.body.token, 'GET', '/api/me')).status).toBe(401);
    expect((await api(a, rotated.body.token, 'GET', '/api/me')).status).toBe(200);
  });
});
