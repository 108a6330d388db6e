/** GET /api/customers/:id (src/api/customers.ts), the fields the panel shows. */
export interface Identity {
  id: string;
  channel: string;
  channelUserId: string;
  displayName: string | null;
  username: string | null;
  createdAt: string;
  /** The customer it was merged from: it can be split back out to it. */
  mergedFrom: string | null;
}

export interface CustomerDetail {
  id: string;
  displayName: string | null;
  email: string | null;
  tier: 'standard' | 'vip';
  erased: boolean;
  createdAt: string;
  locale: string | null;
  notes: string | null;
  mergedInto: string | null;
  identities: Identity[];
}

export interface PastConversation {
  id: string;
  channel: string;
  status: string;
  subject: string | null;
  labels: string[];
  visible: boolean;
  csat: number | null;
  resolvedAt: string | null;
  lastMessageAt: string;
  createdAt: string;
}

export interface CustomerResponse {
  customer: CustomerDetail;
  conversations: PastConversation[];
  conversationsTruncated: boolean;
}

/** One row of GET /api/customers?q= */
export interface CustomerHit {
  id: string;
  displayName: string | null;
  email: string | null;
  identities: { id: string; channel: string; displayName: string | null; username: string | null }[];
}
