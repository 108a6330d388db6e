/** What an agent says about themselves: taking conversations, at work but not taking new ones, away. */
export const AGENT_STATUSES = ['online', 'busy', 'offline'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/**
 * The status that counts: an agent whose console or API has been silent longer than `awayMs`
 * (an open event stream counts as present) is offline, whatever they last said.
 */
export function effectiveStatus(
  said: { status: AgentStatus; lastSeenAt: number | null } | undefined,
  now: number,
  awayMs: number,
): AgentStatus {
  if (!said || said.status === 'offline') return 'offline';
  if (said.lastSeenAt === null || now - said.lastSeenAt > awayMs) return 'offline';
  return said.status;
}

/** Open conversations an agent takes before anyone set their capacity. */
export const DEFAULT_CAPACITY = 5;
/** Capacity is at most this (a sanity bound on the setting, not a policy). */
export const MAX_CAPACITY = 1000;
