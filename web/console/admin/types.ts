/** The shapes the admin pages read from /api (src/api/agents.ts, teams.ts, canned.ts, settings.ts, webhooks.ts, faq.ts). */

export interface AdminAgent {
  id: string;
  name: string;
  role: 'agent' | 'admin';
  teams: string[];
  status: 'online' | 'busy' | 'offline';
  capacity: number;
  openConversations: number;
}

export interface Team {
  id: string;
  name: string;
  autoAssign: boolean;
  createdAt: string;
}

export interface TokenInfo {
  id: string;
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  state: 'active' | 'revoked' | 'expired';
}

export interface RoutingRule {
  id: string;
  match: { regex: string } | { keywords: string[] };
  channel: string | null;
  team: string;
  priority: string | null;
  createdAt: string;
}

export interface Canned {
  id: string;
  shortcut: string;
  text: string;
  locale: 'en' | 'zh' | null;
  teamId: string | null;
  ownerId: string;
  updatedAt: string;
}

export interface Target {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

export interface SlaSettings {
  timeZone: string;
  businessHours: string;
  holidays: string[];
  targets: Record<Priority, Target>;
}

export interface SlaPolicy {
  settings: SlaSettings;
  source: 'environment' | 'database';
  updatedAt: string | null;
  updatedBy: string | null;
  openNow: boolean;
  nextOpening: string;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
  secretRotatedAt: string | null;
}

export interface Delivery {
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface Suggestion {
  id: string;
  conversationId: string;
  entryId: string | null;
  newEntry: boolean;
  locale: string;
  question: string;
  answer: string | null;
  source: 'agent' | 'pick';
  status: 'pending' | 'approved' | 'rejected';
  createdAt: string;
  needsTranslations: string[];
}

export interface GapGroup {
  count: number;
  examples: { conversationId: string; messageId: string; text: string; at: string }[];
}

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CHANNELS = ['telegram', 'discord', 'email', 'webchat'] as const;

/**
 * src/domain/events.ts EVENT_TYPES and src/domain/canned.ts CANNED_PLACEHOLDERS: the browser bundle
 * cannot import the server's zod schemas, so they are repeated here; console-admin-webhooks.test.ts
 * fails when the server's lists change without these.
 */
export const EVENT_TYPES = [
  'message',
  'status',
  'csat',
  'draft',
  'delivery',
  'note',
  'faq_suggestion',
  'faq_picked',
  'priority',
  'label',
  'snooze',
  'participant',
  'mention',
  'sla.breached',
  'customer',
  'ai_agent',
] as const;

export const CANNED_PLACEHOLDERS = ['customer.name', 'agent.name', 'conversation.id'] as const;
