/**
 * AI agent mode's settings (GET/PUT /api/settings/ai-agent), kept in the settings table so every
 * instance reads a change at once. Off by default: nothing is sent to a customer by the model
 * until an admin turns it on.
 */
import { z } from 'zod';
import type { Repos } from '../store/store.js';

export const AI_AGENT_SETTINGS_KEY = 'ai_agent';
export const AI_AGENT_CHANNELS = ['telegram', 'discord', 'email', 'webchat'] as const;
/** Most automatic answers a conversation gets before a person takes over. */
export const MAX_ANSWERS_CAP = 20;

export const aiAgentSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  /** Channels it answers on; empty: every channel. */
  channels: z.array(z.enum(AI_AGENT_CHANNELS)).max(AI_AGENT_CHANNELS.length).default([]),
  /** Team ids whose conversations it answers; empty: every team (and the general queue). */
  teams: z.array(z.string().min(1).max(100)).max(100).default([]),
  maxAnswersPerConversation: z.number().int().min(1).max(MAX_ANSWERS_CAP).default(3),
});
export type AiAgentSettings = z.infer<typeof aiAgentSettingsSchema>;

export const AI_AGENT_DEFAULTS: AiAgentSettings = { enabled: false, channels: [], teams: [], maxAnswersPerConversation: 3 };

export interface StoredAiAgentSettings {
  settings: AiAgentSettings;
  updatedAt: number | null;
  updatedBy: string | null;
}

/** The settings in force, read in the caller's transaction; a stored copy that no longer parses counts as off. */
export async function readAiAgentSettings(r: Repos): Promise<StoredAiAgentSettings> {
  const row = await r.settings.get(AI_AGENT_SETTINGS_KEY);
  if (!row) return { settings: AI_AGENT_DEFAULTS, updatedAt: null, updatedBy: null };
  let json: unknown;
  try {
    json = JSON.parse(row.value);
  } catch {
    json = undefined;
  }
  const parsed = aiAgentSettingsSchema.safeParse(json);
  return { settings: parsed.success ? parsed.data : AI_AGENT_DEFAULTS, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
}

/** Whether the mode covers a conversation on this channel, routed to this team (null: the general queue). */
export function coversConversation(s: AiAgentSettings, channel: string, team: string | null): boolean {
  if (!s.enabled) return false;
  if (s.channels.length && !(s.channels as readonly string[]).includes(channel)) return false;
  if (s.teams.length && (team === null || !s.teams.includes(team))) return false;
  return true;
}
