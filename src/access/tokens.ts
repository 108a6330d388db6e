import { UnauthorizedError, ValidationError, NotFoundError } from '../domain/errors.js';
import { hashToken, newId, newSecret } from '../domain/ids.js';
import type { Repos, Store } from '../store/store.js';
import type { AgentRow, AgentTokenRow } from '../store/ports.js';
import { audit } from '../audit/record.js';

/**
 * The lifecycle of agent bearer tokens: issued (shown once, stored as a SHA-256), optionally
 * expiring, revoked at once. Every request looks its token up in the database, so a revoke on
 * one instance refuses the token on every instance at its next request; there is no cache.
 */

/** Last-used is written at most this often per token, so a busy agent does not turn every request into a write. */
export const TOUCH_INTERVAL_MS = 60_000;

export const TOKEN_PREFIX = 'sb_';

export interface TokenPolicy {
  /** AGENT_TOKEN_TTL_DAYS in ms: new tokens expire this long after they are made; none when undefined. */
  ttlMs?: number;
}

export interface IssueOptions {
  agentId: string;
  /** Who asked: the agent's own id, an admin's id, or `cli`. */
  by: string;
  now: number;
  label?: string | null;
  /** Epoch ms; must be in the future and, with a TTL, no later than the TTL allows. */
  expiresAt?: number | null;
  /** Rotate: every other live token of the agent is revoked in the same transaction. */
  rotate?: boolean;
}

export interface Issued {
  /** The bearer token itself; it exists only in this value. */
  token: string;
  row: AgentTokenRow;
  revoked: string[];
}

export async function issueToken(r: Repos, policy: TokenPolicy, o: IssueOptions): Promise<Issued> {
  const agent = await r.agents.get(o.agentId);
  if (!agent) throw new NotFoundError(`agent ${o.agentId} not found`);
  const latest = policy.ttlMs === undefined ? undefined : o.now + policy.ttlMs;
  if (o.expiresAt != null && o.expiresAt <= o.now) throw new ValidationError('expiresAt: must be in the future', 'expiresAt');
  if (o.expiresAt != null && latest !== undefined && o.expiresAt > latest) {
    throw new ValidationError(`expiresAt: must be no later than ${new Date(latest).toISOString()} (AGENT_TOKEN_TTL_DAYS)`, 'expiresAt');
  }
  const token = `${TOKEN_PREFIX}${newSecret()}`;
  const row: AgentTokenRow = {
    id: newId(o.now),
    agentId: agent.id,
    tokenHash: hashToken(token),
    label: o.label ?? null,
    createdAt: o.now,
    expiresAt: o.expiresAt ?? latest ?? null,
    lastUsedAt: null,
    revokedAt: null,
  };
  await r.agentTokens.insert(row);
  const revoked = o.rotate ? await r.agentTokens.revokeAllFor(agent.id, o.now, row.id) : [];
  await audit(r, {
    by: o.by,
    action: o.rotate ? 'token.rotate' : 'token.create',
    subjectId: agent.id,
    detail: { tokenId: row.id, label: row.label, expiresAt: row.expiresAt, revoked },
    now: o.now,
  });
  return { token, row, revoked };
}

/** Revokes one token of an agent; a token of another agent is "not found", as is an unknown one. */
export async function revokeToken(r: Repos, o: { agentId: string; tokenId: string; by: string; now: number }): Promise<AgentTokenRow> {
  const row = await r.agentTokens.get(o.tokenId);
  if (!row || row.agentId !== o.agentId) throw new NotFoundError(`token ${o.tokenId} of agent ${o.agentId} not found`);
  if (await r.agentTokens.revoke(row.id, o.now)) {
    await audit(r, { by: o.by, action: 'token.revoke', subjectId: o.agentId, detail: { tokenId: row.id, label: row.label }, now: o.now });
    return { ...row, revokedAt: o.now };
  }
  return row;
}

/** The agent behind a presented bearer token, or 401; records the use at most once a minute. */
export async function authenticate(store: Store, presented: string, now: number): Promise<{ agent: AgentRow; token: AgentTokenRow }> {
  // A read on committed data (a revocation that committed is seen): every API request checks its
  // token, and a write transaction each would queue every request behind the writes on SQLite.
  const hit = await store.read((r) => r.agentTokens.byHash(hashToken(presented)));
  if (!hit) throw new UnauthorizedError();
  if (hit.token.revokedAt !== null) throw new UnauthorizedError('token revoked');
  if (hit.token.expiresAt !== null && hit.token.expiresAt <= now) throw new UnauthorizedError('token expired');
  const last = hit.token.lastUsedAt;
  if (last === null || last < now - TOUCH_INTERVAL_MS) await store.tx((r) => r.agentTokens.touch(hit.token.id, now, TOUCH_INTERVAL_MS));
  return hit;
}

/** A token as the API and the command line show it: never the secret nor its hash. */
export function tokenView(t: AgentTokenRow, now: number) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: t.id,
    agentId: t.agentId,
    label: t.label,
    createdAt: iso(t.createdAt),
    expiresAt: iso(t.expiresAt),
    lastUsedAt: iso(t.lastUsedAt),
    revokedAt: iso(t.revokedAt),
    state: tokenState(t, now),
  };
}

export function tokenState(t: AgentTokenRow, now: number): 'active' | 'revoked' | 'expired' {
  if (t.revokedAt !== null) return 'revoked';
  if (t.expiresAt !== null && t.expiresAt <= now) return 'expired';
  return 'active';
}
