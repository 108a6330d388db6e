import type { NamedCustomer } from '../names.js';

/** A row of GET /api/conversations as the inbox reads it (src/api/conversations.ts). */
export interface InboxItem {
  id: string;
  channel: string;
  status: string;
  assigneeId: string | null;
  team: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  subject: string | null;
  waitingSince: string | null;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  overdue: boolean;
  lastMessageAt: string;
  labels: string[];
  customer: NamedCustomer | null;
  lastMessage: { text: string; author: string; createdAt: string } | null;
  lastCustomerMessage: { text: string; createdAt: string } | null;
}

export interface InboxPage {
  items: InboxItem[];
  nextCursor: string | null;
  eventCursor: number;
}

export interface Team {
  id: string;
  name: string;
}
