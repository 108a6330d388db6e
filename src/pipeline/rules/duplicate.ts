import type { Decision, RuleContext } from './rule.js';

/** A message another delivery already stored changes nothing: ingest rolls this transaction back. */
export async function duplicate(ctx: RuleContext): Promise<Decision | undefined> {
  return ctx.stored ? undefined : { kind: 'duplicate' };
}
