import { higherPriority, type Priority } from '../../domain/conversation.js';
import { matcherOf } from '../../routing/match.js';
import { findTeam, MAX_ROUTING_RULES } from '../../routing/teams.js';
import type { RuleContext } from './rule.js';

/** Where a handed-off conversation waits, and how urgently. */
export interface Route {
  /** A team id; null: the general queue. */
  team: string | null;
  priority: Priority;
}

/**
 * The routing decision of every hand-off (handToQueue calls it, whichever rule hands off: the
 * last rule, "人工", or "talk to a person" after an ask-back), in order:
 * 1. the team of the FAQ entry the message matched, when that team exists;
 * 2. the first routing rule (oldest first) whose channel fits and whose regex or keywords match
 *    the message; its priority raises the conversation's, never lowers it;
 * 3. the channel's default team (DEFAULT_TEAMS);
 * 4. the general queue.
 * Before any team is defined, an FAQ entry's team is kept as written (a queue with no members).
 */
export async function route(ctx: RuleContext): Promise<Route> {
  const { r, message, conversation } = ctx;
  const priority = conversation.priority;
  const teams = await r.teams.list();
  const faqTeam = findTeam(teams, ctx.team);
  if (faqTeam) return { team: faqTeam.id, priority };
  for (const rule of await r.routingRules.list(MAX_ROUTING_RULES)) {
    if (rule.channel !== null && rule.channel !== message.channel) continue;
    if (matcherOf(rule.match)(message.text)) return { team: rule.teamId, priority: higherPriority(priority, rule.priority) };
  }
  const byChannel = findTeam(teams, ctx.defaultTeams?.[message.channel]);
  if (byChannel) return { team: byChannel.id, priority };
  if (teams.length === 0 && ctx.team) return { team: ctx.team, priority };
  return { team: null, priority };
}
