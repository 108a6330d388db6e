import type { InferSelectModel } from 'drizzle-orm';
import type { tables } from './database.js';

export type CustomerRow = InferSelectModel<typeof tables.customers>;
export type IdentityRow = InferSelectModel<typeof tables.channelIdentities>;
export type ConversationRow = InferSelectModel<typeof tables.conversations>;
export type MessageRow = InferSelectModel<typeof tables.messages>;
export type DraftRow = InferSelectModel<typeof tables.drafts>;
export type OutboxRow = InferSelectModel<typeof tables.outbox>;
export type AgentRow = InferSelectModel<typeof tables.agents>;
export type EventRow = InferSelectModel<typeof tables.events>;
export type WebchatSessionRow = InferSelectModel<typeof tables.webchatSessions>;
