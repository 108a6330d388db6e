import type { Priority } from '../domain/conversation.js';
import type { Repos } from '../store/store.js';
import type { ListedRow } from '../store/ports.js';
import { addBusinessMinutes, calendar, type BusinessCalendar } from './business-calendar.js';
import { parseBusinessHours, slaSettingsSchema, type SlaSettings } from './settings.js';

/** The settings row's key (settings table). */
export const SLA_SETTINGS_KEY = 'sla';

/** Settings made ready for arithmetic: the calendar and the targets. */
export interface SlaPolicy {
  settings: SlaSettings;
  calendar: BusinessCalendar;
  /** Where the settings came from: the stored copy an admin saved, or the environment. */
  source: 'database' | 'environment';
  updatedAt: number | null;
  updatedBy: string | null;
}

// Compiled calendars by their settings, so each request does not rebuild one (and its day cache).
const compiled = new Map<string, BusinessCalendar>();

export function compilePolicy(
  settings: SlaSettings,
  source: SlaPolicy['source'] = 'environment',
  updatedAt: number | null = null,
  updatedBy: string | null = null,
): SlaPolicy {
  const key = JSON.stringify([settings.timeZone, settings.businessHours, settings.holidays]);
  let cal = compiled.get(key);
  if (!cal) {
    cal = calendar({ timeZone: settings.timeZone, hours: parseBusinessHours(settings.businessHours), holidays: settings.holidays });
    if (compiled.size > 32) compiled.clear();
    compiled.set(key, cal);
  }
  return { settings, calendar: cal, source, updatedAt, updatedBy };
}

/**
 * The policy in force: the stored settings when an admin saved some (read in the caller's
 * transaction, so every instance sees a change at once), else the environment's. A stored copy
 * that no longer parses (hand-edited) falls back to the environment rather than stopping hand-offs.
 */
export async function currentPolicy(r: Repos, fallback: SlaSettings): Promise<SlaPolicy> {
  const row = await r.settings.get(SLA_SETTINGS_KEY);
  // The row is still read every time; only parsing the same stored text again is skipped.
  if (row && lastStored?.value === row.value && lastStored.updatedAt === row.updatedAt && lastStored.updatedBy === row.updatedBy)
    return lastStored.policy ?? fallbackPolicy(fallback);
  if (row) {
    const parsed = slaSettingsSchema.safeParse(safeJson(row.value));
    const policy = parsed.success ? compilePolicy(parsed.data, 'database', row.updatedAt, row.updatedBy) : undefined;
    lastStored = { value: row.value, updatedAt: row.updatedAt, updatedBy: row.updatedBy, policy };
    if (policy) return policy;
  }
  return fallbackPolicy(fallback);
}

/** The environment's policy, compiled once per settings object (they are made at startup and not changed). */
const fallbacks = new WeakMap<SlaSettings, SlaPolicy>();
function fallbackPolicy(settings: SlaSettings): SlaPolicy {
  let policy = fallbacks.get(settings);
  if (!policy) fallbacks.set(settings, (policy = compilePolicy(settings)));
  return policy;
}

/**
 * The policy compiled from the stored text last read (undefined when it did not parse), so a
 * list page does not JSON-parse and validate the same settings on every request. It is keyed by
 * the text itself, so a change an admin saves on any instance is used at the next read.
 */
let lastStored: { value: string; updatedAt: number; updatedBy: string | null; policy: SlaPolicy | undefined } | undefined;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export type SlaTarget = 'first_response' | 'resolution';
export const SLA_TARGETS: readonly SlaTarget[] = ['first_response', 'resolution'];

/** One target of one conversation: when it is due, when it was met, and when it was breached (its due time, once passed unmet). */
export interface TargetState {
  dueAt: number;
  metAt: number | null;
  breachedAt: number | null;
}

export interface ConversationSla {
  priority: Priority;
  startedAt: number;
  firstResponse: TargetState;
  resolution: TargetState;
}

const OPEN = new Set(['queued', 'assigned']);

/**
 * A conversation's SLA computed from its stored fields (hand-off time, first agent reply,
 * resolved time, priority) and the policy in force: a change of priority or settings moves the
 * due times with it. Null when no hand-off started the clock.
 */
export function conversationSla(c: ListedRow, policy: SlaPolicy, now: number): ConversationSla | null {
  // Conversations waiting since before the clock was stored count from when they began to wait.
  const startedAt = c.slaStartedAt ?? (OPEN.has(c.status) ? c.waitingSince : null);
  if (startedAt == null) return null;
  const target = policy.settings.targets[c.priority];
  // Resolving (or closing) stops both clocks; a first response never given is then not owed.
  const stoppedAt = OPEN.has(c.status) ? null : (c.resolvedAt ?? c.updatedAt);
  return {
    priority: c.priority,
    startedAt,
    firstResponse: targetState(policy, startedAt, target.firstResponseMinutes, c.firstRespondedAt, stoppedAt, now),
    resolution: targetState(
      policy,
      startedAt,
      target.resolutionMinutes,
      stoppedAt != null && c.resolvedAt != null ? c.resolvedAt : null,
      stoppedAt,
      now,
    ),
  };
}

/** One target's state. A module function, not a closure made per call: a list page computes a hundred. */
function targetState(
  policy: SlaPolicy,
  startedAt: number,
  minutes: number,
  metAt: number | null,
  stoppedAt: number | null,
  now: number,
): TargetState {
  const dueAt = addBusinessMinutes(policy.calendar, startedAt, minutes);
  const end = metAt ?? stoppedAt ?? now;
  return { dueAt, metAt, breachedAt: end > dueAt ? dueAt : null };
}
