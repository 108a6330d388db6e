/** One visitor as GET /api/visitors and GET /api/conversations/:id/visitor send it (src/api/visitors.ts). */
export interface VisitorItem {
  id: string;
  page: { url: string; title: string; since: string } | null;
  referrer: string | null;
  source: string;
  firstSeenAt: string;
  timeOnSiteSeconds: number;
  country: string | null;
  timeZone: string | null;
  language: string | null;
  visits: number;
  online: boolean;
  /** Only in the list: the visitor's web chat conversation, once they chatted. */
  conversationId?: string | null;
  trail: { url: string; title: string; at: string; seconds: number }[];
}
