import type { TeamRow } from '../store/ports.js';

/** At most this many teams and routing rules: each hand-off reads them all. */
export const MAX_TEAMS = 100;
export const MAX_ROUTING_RULES = 200;

/**
 * A team's id is the slug of its name ("Billing & Refunds" → `billing-refunds`; a name with no
 * Latin letters or digits, e.g. 售后, keeps its letters: `售后`), fixed at creation. Wherever a
 * team is named (an FAQ entry's `team:`, a routing rule, DEFAULT_TEAMS) either its id or its name
 * (case-insensitive) works.
 */
export function teamSlug(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/** The team `ref` names, by id or by name. */
export function findTeam(teams: readonly TeamRow[], ref: string | null | undefined): TeamRow | undefined {
  if (!ref) return undefined;
  const folded = ref.normalize('NFKC').toLowerCase();
  return teams.find((t) => t.id === ref) ?? teams.find((t) => t.name.normalize('NFKC').toLowerCase() === folded || t.id === teamSlug(ref));
}

export function teamView(t: TeamRow) {
  return { id: t.id, name: t.name, autoAssign: t.autoAssign === 1, createdAt: new Date(t.createdAt).toISOString() };
}
