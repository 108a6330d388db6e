import { isOpen, nextOpening } from '../sla/business-calendar.js';
import { currentPolicy } from '../sla/policy.js';
import { DEFAULT_SLA_SETTINGS } from '../sla/settings.js';
import { usualFirstResponseMs } from '../sla/usual-wait.js';
import type { TeamHours } from './replies.js';
import type { RuleContext } from './rules/rule.js';

/**
 * What a holding reply tells of the team's hours at `ctx.now`, under the SLA settings in force:
 * open with the usual wait, or closed with when the team is back — in the customer's time zone
 * when their channel reports one (none does yet), else the business zone.
 */
export async function teamHours(ctx: Pick<RuleContext, 'r' | 'now' | 'sla' | 'customerTimeZone'>): Promise<TeamHours> {
  const policy = await currentPolicy(ctx.r, ctx.sla ?? DEFAULT_SLA_SETTINGS);
  if (isOpen(policy.calendar, ctx.now)) return { open: true, usualWaitMs: await usualFirstResponseMs(ctx.r, policy, ctx.now) };
  return {
    open: false,
    backAt: nextOpening(policy.calendar, ctx.now),
    timeZone: ctx.customerTimeZone ?? policy.settings.timeZone,
    now: ctx.now,
  };
}
