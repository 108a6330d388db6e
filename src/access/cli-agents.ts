/**
 * `switchboard agents create|list|rotate|revoke`: agents and their tokens from the command line,
 * on the configured database. A new token is printed once, as the last line of the output.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { NotFoundError } from '../domain/errors.js';
import { openStore, type Store } from '../store/store.js';
import { agentRole, createAgent } from '../queue/agents.js';
import { audit, CLI_ACTOR } from '../audit/record.js';
import { issueToken, revokeToken, tokenState, type TokenPolicy } from './tokens.js';

export interface AgentsIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  clock?: Clock;
}

export const AGENTS_USAGE = `  agents create --name NAME [--role agent|admin]
                                          create an agent; prints its token as the last line
  agents list [--json]                    agents with their tokens (state, last use, expiry; never the secret)
  agents rotate AGENT_ID [--label TEXT] [--expires ISO]
                                          a new token for the agent, revoking its others; prints it as the last line
  agents revoke TOKEN_ID                  revoke one token (refused at once on every instance)
  agents revoke --agent AGENT_ID --all    revoke every token of an agent`;

class UsageError extends Error {}

export async function runAgentsCli(sub: string | undefined, args: string[], io: AgentsIo): Promise<number> {
  const clock = io.clock ?? systemClock;
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        role: { type: 'string' },
        label: { type: 'string' },
        expires: { type: 'string' },
        agent: { type: 'string' },
        all: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
  } catch (err) {
    io.stderr.write(`agents ${sub ?? ''}: ${(err as Error).message}\nusage:\n${AGENTS_USAGE}\n`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  const config = loadConfig(io.env);
  const policy: TokenPolicy = { ttlMs: config.AGENT_TOKEN_TTL_DAYS === undefined ? undefined : config.AGENT_TOKEN_TTL_DAYS * 86_400_000 };
  const withStore = async (fn: (store: Store) => Promise<void>) => {
    const store = await openStore({ databaseUrl: config.DATABASE_URL, sqliteFile: config.sqliteFile });
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };
  try {
    const now = clock.now().getTime();
    if (sub === 'create') {
      const role = agentRole.safeParse(v.role ?? 'agent');
      if (!v.name || !role.success) throw new UsageError('--name is required and --role must be agent or admin');
      await withStore(async (store) => {
        const agent = await createAgent(store, clock, v.name!, role.data, { by: CLI_ACTOR, policy });
        io.stdout.write(`created ${role.data} "${v.name}" (${agent.id}); its token is shown once:\n${agent.token}\n`);
      });
      return 0;
    }
    if (sub === 'list') {
      await withStore(async (store) => {
        const rows = await store.tx(async (r) => {
          const agents = await r.agents.list();
          return Promise.all(agents.map(async (a) => ({ agent: a, tokens: await r.agentTokens.listFor(a.id) })));
        });
        const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
        const shaped = rows.map(({ agent, tokens }) => ({
          id: agent.id,
          name: agent.name,
          role: agent.role,
          tokens: tokens.map((t) => ({
            id: t.id,
            label: t.label,
            state: tokenState(t, now),
            createdAt: iso(t.createdAt),
            lastUsedAt: iso(t.lastUsedAt),
            expiresAt: iso(t.expiresAt),
          })),
        }));
        if (v.json) {
          io.stdout.write(JSON.stringify(shaped) + '\n');
          return;
        }
        for (const a of shaped) {
          io.stdout.write(`${a.id}  ${a.role.padEnd(5)}  ${a.name}\n`);
          for (const t of a.tokens) {
            const parts = [t.state.padEnd(7), t.label ?? '-', `last used ${t.lastUsedAt ?? 'never'}`, `expires ${t.expiresAt ?? 'never'}`];
            io.stdout.write(`    token ${t.id}  ${parts.join('  ')}\n`);
          }
        }
      });
      return 0;
    }
    if (sub === 'rotate') {
      const agentId = positionals[0];
      if (!agentId || positionals.length > 1) throw new UsageError('rotate takes one AGENT_ID');
      const expiresAt = v.expires === undefined ? null : Date.parse(v.expires);
      if (Number.isNaN(expiresAt)) throw new UsageError(`--expires must be an ISO date, got "${v.expires}"`);
      await withStore(async (store) => {
        const issued = await store.tx((r) =>
          issueToken(r, policy, { agentId, by: CLI_ACTOR, now, label: v.label ?? null, expiresAt, rotate: true }),
        );
        io.stdout.write(
          `new token ${issued.row.id} for ${agentId}` +
            `${issued.row.expiresAt === null ? '' : `, expires ${new Date(issued.row.expiresAt).toISOString()}`}; ` +
            `revoked ${issued.revoked.length} other token(s); the token is shown once:\n${issued.token}\n`,
        );
      });
      return 0;
    }
    if (sub === 'revoke') {
      if (v.agent !== undefined) {
        if (!v.all || positionals.length) throw new UsageError('use "revoke --agent AGENT_ID --all" or "revoke TOKEN_ID"');
        const agentId = v.agent;
        await withStore(async (store) => {
          const ids = await store.tx(async (r) => {
            if (!(await r.agents.get(agentId))) throw new NotFoundError(`agent ${agentId} not found`);
            const revoked = await r.agentTokens.revokeAllFor(agentId, now);
            for (const tokenId of revoked)
              await audit(r, { by: CLI_ACTOR, action: 'token.revoke', subjectId: agentId, detail: { tokenId }, now });
            return revoked;
          });
          io.stdout.write(`revoked ${ids.length} token(s) of ${agentId}\n`);
        });
        return 0;
      }
      const tokenId = positionals[0];
      if (!tokenId || positionals.length > 1) throw new UsageError('revoke takes one TOKEN_ID (see "agents list")');
      await withStore(async (store) => {
        const row = await store.tx(async (r) => {
          const t = await r.agentTokens.get(tokenId);
          if (!t) throw new NotFoundError(`token ${tokenId} not found`);
          return revokeToken(r, { agentId: t.agentId, tokenId, by: CLI_ACTOR, now });
        });
        io.stdout.write(`token ${row.id} of ${row.agentId} is revoked (since ${new Date(row.revokedAt!).toISOString()})\n`);
      });
      return 0;
    }
    throw new UsageError(`unknown command "agents ${sub ?? ''}"`);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`agents ${sub ?? ''}: ${err.message}\nusage:\n${AGENTS_USAGE}\n`);
      return 2;
    }
    if (err instanceof NotFoundError) {
      io.stderr.write(`agents ${sub}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
