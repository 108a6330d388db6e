import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgentsCli } from '../../src/access/cli-agents.js';
import { runCustomersCli } from '../../src/privacy/cli-customers.js';
import { authenticate } from '../../src/access/tokens.js';
import { openStore, type Store } from '../../src/store/store.js';
import { tempDir } from '../support/app.js';

/** Runs one command line against the data directory and returns what it printed. */
function cli(env: Record<string, string>) {
  return async (sub: string, args: string[]) => {
    let out = '';
    let err = '';
    const code = await runAgentsCli(sub, args, {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
      env,
    });
    return { code, out, err, lastLine: out.trim().split('\n').at(-1)! };
  };
}

describe('switchboard agents create|list|rotate|revoke', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await tempDir();
    env = { DATA_DIR: dir.path };
  });
  afterAll(async () => dir?.rm());
  const withStore = async <T>(fn: (s: Store) => Promise<T>) => {
    const store = await openStore({ sqliteFile: `${dir.path}/switchboard.db` });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  };

  it('creates, lists, rotates and revokes, printing a token only when it is made', async () => {
    const run = cli(env);
    const created = await run('create', ['--name', 'Ann', '--role', 'admin']);
    expect(created.code).toBe(0);
    const first = created.lastLine;
    expect(first).toMatch(/^sb_/);
    const agentId = /\(([^)]+)\)/.exec(created.out)![1]!;

    const listed = await run('list', ['--json']);
    const [ann] = JSON.parse(listed.out);
    expect(ann).toMatchObject({
      id: agentId,
      name: 'Ann',
      role: 'admin',
      tokens: [{ label: 'initial', state: 'active', lastUsedAt: null }],
    });
    expect(listed.out).not.toContain(first);
    expect((await run('list', [])).out).toContain(`token ${ann.tokens[0].id}  active`);

    const rotated = await run('rotate', [agentId, '--label', 'ci', '--expires', '2099-01-01T00:00:00Z']);
    expect(rotated.code).toBe(0);
    expect(rotated.out).toContain('revoked 1 other token(s)');
    const second = rotated.lastLine;
    await withStore(async (store) => {
      await expect(authenticate(store, first, Date.now())).rejects.toThrow('token revoked');
      expect((await authenticate(store, second, Date.now())).agent.id).toBe(agentId);
    });

    const tokens = JSON.parse((await run('list', ['--json'])).out)[0].tokens;
    expect(tokens.map((t: { label: string; state: string }) => [t.label, t.state])).toEqual([
      ['initial', 'revoked'],
      ['ci', 'active'],
    ]);
    expect(tokens[1].expiresAt).toBe('2099-01-01T00:00:00.000Z');
    expect((await run('revoke', [tokens[1].id])).code).toBe(0);
    await withStore(async (store) => expect(authenticate(store, second, Date.now())).rejects.toThrow('token revoked'));

    const third = (await run('rotate', [agentId])).lastLine;
    const all = await run('revoke', ['--agent', agentId, '--all']);
    expect(all.out).toContain('revoked 1 token(s)');
    await withStore(async (store) => {
      await expect(authenticate(store, third, Date.now())).rejects.toThrow('token revoked');
      const actions = (await store.tx((r) => r.audit.list({ actorId: 'cli', limit: 100 }))).map((a) => a.action);
      expect(actions).toEqual(['agent.create', 'token.create', 'token.rotate', 'token.revoke', 'token.rotate', 'token.revoke']);
    });
  });

  it('says what is wrong with a bad command line, and exits non-zero', async () => {
    const run = cli(env);
    expect((await run('rotate', [])).code).toBe(2);
    expect((await run('rotate', ['no-such-agent'])).code).toBe(1);
    expect((await run('revoke', ['no-such-token'])).err).toContain('not found');
    expect((await run('revoke', ['--agent', 'x'])).code).toBe(2);
    expect((await run('rotate', ['x', '--expires', 'soon'])).err).toContain('--expires must be an ISO date');
    expect((await run('create', ['--name', 'Z', '--role', 'boss'])).code).toBe(2);
    expect((await run('frobnicate', [])).code).toBe(2);
  });

  it('customers export and erase on the command line', async () => {
    await withStore((store) =>
      store.tx(async (r) => {
        await r.customers.insert({
          id: 'cus-cli',
          displayName: 'Zed Q',
          email: 'zed@example.com',
          locale: 'en',
          createdAt: 1,
          erasedAt: null,
          tier: 'standard',
          notes: null,
          mergedInto: null,
        });
      }),
    );
    const exported = async () => {
      const stdout = new PassThrough();
      let text = '';
      stdout.on('data', (b: Buffer) => (text += b.toString()));
      const code = await runCustomersCli('export', ['cus-cli'], { stdout, stderr: { write: () => true }, env });
      return { code, json: JSON.parse(text) };
    };
    expect((await exported()).json.customer).toMatchObject({ displayName: 'Zed Q', email: 'zed@example.com' });
    let out = '';
    const io = {
      stdout: Object.assign(new PassThrough(), { write: (t: string) => ((out += t), true) }),
      stderr: { write: () => true },
      env,
    };
    expect(await runCustomersCli('erase', ['cus-cli'], io)).toBe(2);
    expect(await runCustomersCli('erase', ['cus-cli', '--yes'], io)).toBe(0);
    expect(out).toContain('erased customer cus-cli');
    expect((await exported()).json.customer).toMatchObject({ displayName: null, email: null });
  });
});
