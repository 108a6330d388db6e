import type { Repos } from '../store/store.js';
import { businessMsBetween } from './business-calendar.js';
import type { SlaPolicy } from './policy.js';

const DAY_MS = 86_400_000;
/** The median is taken over at most this many of the newest first responses. */
const SAMPLE = 500;

/**
 * The usual wait a customer is told of: the median time, in business time, from hand-off to the
 * first agent reply over the conversations first answered in the last day; null without any.
 */
export async function usualFirstResponseMs(r: Repos, policy: SlaPolicy, now: number): Promise<number | null> {
  const rows = await r.conversations.firstResponsesSince(now - DAY_MS, SAMPLE);
  if (rows.length === 0) return null;
  const waits = rows.map((x) => Math.max(0, businessMsBetween(policy.calendar, x.slaStartedAt, x.firstRespondedAt))).sort((a, b) => a - b);
  const mid = waits.length >> 1;
  return waits.length % 2 ? waits[mid]! : (waits[mid - 1]! + waits[mid]!) / 2;
}
