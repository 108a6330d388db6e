import { z } from 'zod';
import { CANNED_PLACEHOLDERS, customerNameFallback, renderCanned } from '../domain/canned.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Clock } from '../domain/clock.js';
import type { Repos, Store } from '../store/store.js';
import type { AgentRow, CannedResponseRow } from '../store/ports.js';
import { audit } from '../audit/record.js';
import { findTeam } from '../routing/teams.js';
import { loadVisible } from './tools.js';

/** A shortcut: what an agent types to find the response ("refund", "/greet"), one word, lower case. */
export const MAX_SHORTCUT = 32;
export const cannedShortcut = z
  .string()
  .transform((s) => s.normalize('NFKC').trim().toLowerCase())
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(MAX_SHORTCUT, `must be at most ${MAX_SHORTCUT} characters`)
      .regex(/^[\p{L}\p{N}_\-./:#]+$/u, 'one word: letters, digits and _ - . / : # only'),
  );

export interface CannedInput {
  shortcut: string;
  text: string;
  locale: 'en' | 'zh' | null;
  teamId: string | null;
}

/**
 * Canned responses. Any agent may create one and becomes its owner; only the owner or an admin
 * may change or delete it, so an agent cannot rewrite what colleagues send. Every agent may read,
 * search and render all of them; a list shows by default the global ones and those of the agent's
 * own teams, so a team's wording does not crowd out everyone else's. A shortcut is unique per
 * locale and team.
 */
export class CannedResponses {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * One page by shortcut. `teamId` undefined: the global ones and those of the agent's teams;
   * null: the global ones only; a team's id or name: that team's only (400 if there is none).
   */
  list(
    agent: AgentRow,
    opts: { prefix?: string; teamId?: string | null; after?: { shortcut: string; id: string }; limit: number },
  ): Promise<CannedResponseRow[]> {
    return this.store.read(async (r) => {
      const teams =
        opts.teamId === undefined
          ? { ids: (await r.teams.teamsOf([agent.id])).get(agent.id) ?? [], global: true }
          : opts.teamId === null
            ? { ids: [], global: true }
            : { ids: [await teamIdOf(r, opts.teamId)], global: false };
      return r.canned.list({ prefix: opts.prefix, teams, after: opts.after, limit: opts.limit });
    });
  }

  async create(agent: AgentRow, input: CannedInput): Promise<CannedResponseRow> {
    const now = this.clock.now().getTime();
    return this.store.tx(async (r) => {
      const teamId = input.teamId === null ? null : await teamIdOf(r, input.teamId);
      const row: CannedResponseRow = { id: newId(now), ...input, teamId, ownerId: agent.id, createdAt: now, updatedAt: now };
      // Two agents creating the same shortcut at once: the key lock makes the second see the first.
      await r.lock(`canned:${row.shortcut}`);
      if (await r.canned.find(row.shortcut, row.locale, row.teamId)) throw new ConflictError(duplicate(row));
      await r.canned.insert(row);
      await audit(r, { by: agent.id, action: 'canned.create', subjectId: row.id, detail: { shortcut: row.shortcut }, now });
      return row;
    });
  }

  async update(agent: AgentRow, id: string, patch: Partial<CannedInput>): Promise<CannedResponseRow> {
    const now = this.clock.now().getTime();
    return this.store.tx(async (r) => {
      const current = await this.owned(agent, id, r);
      const next = { ...current, ...patch, updatedAt: now };
      if (patch.teamId != null) next.teamId = await teamIdOf(r, patch.teamId);
      await r.lock(`canned:${next.shortcut}`);
      const clash = await r.canned.find(next.shortcut, next.locale, next.teamId);
      if (clash && clash.id !== id) throw new ConflictError(duplicate(next));
      await r.canned.update(id, { shortcut: next.shortcut, text: next.text, locale: next.locale, teamId: next.teamId, updatedAt: now });
      await audit(r, { by: agent.id, action: 'canned.update', subjectId: id, detail: { shortcut: next.shortcut }, now });
      return next;
    });
  }

  async delete(agent: AgentRow, id: string): Promise<void> {
    const now = this.clock.now().getTime();
    await this.store.tx(async (r) => {
      const current = await this.owned(agent, id, r);
      await r.canned.delete(id);
      await audit(r, { by: agent.id, action: 'canned.delete', subjectId: id, detail: { shortcut: current.shortcut }, now });
    });
  }

  /** The response's text with its placeholders filled in for one conversation the agent may see. */
  async render(agent: AgentRow, id: string, conversationId: string): Promise<{ text: string; placeholders: readonly string[] }> {
    return this.store.tx(async (r) => {
      const canned = await r.canned.get(id);
      if (!canned) throw new NotFoundError(`canned response ${id} not found`);
      const { conversation } = await loadVisible(r, agent, conversationId);
      const customer = await r.customers.get(conversation.customerId);
      const name = customer?.erasedAt == null ? customer?.displayName?.trim() : undefined;
      const locale = conversation.locale ?? customer?.locale ?? canned.locale;
      const text = renderCanned(canned.text, {
        'customer.name': name || customerNameFallback(locale),
        'agent.name': agent.name,
        'conversation.id': conversation.id,
      });
      return { text, placeholders: CANNED_PLACEHOLDERS };
    });
  }

  private async owned(agent: AgentRow, id: string, r: Repos): Promise<CannedResponseRow> {
    const row = await r.canned.get(id);
    if (!row) throw new NotFoundError(`canned response ${id} not found`);
    if (row.ownerId !== agent.id && agent.role !== 'admin')
      throw new ForbiddenError('only its owner or an admin may change a canned response');
    return row;
  }
}

/** The id of the team `ref` names (its id or name, as elsewhere); a 400 when there is none. */
async function teamIdOf(r: Repos, ref: string): Promise<string> {
  const team = findTeam(await r.teams.list(), ref);
  if (!team) throw new ValidationError(`teamId: no team "${ref}"`, 'teamId');
  return team.id;
}

function duplicate(c: { shortcut: string; locale: string | null; teamId: string | null }): string {
  return `a canned response "${c.shortcut}" exists already for locale ${c.locale ?? 'any'} and team ${c.teamId ?? 'any'}`;
}
