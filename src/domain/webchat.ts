import type { RateLimit } from './rate-limit.js';

/** What the built-in web chat needs from storage: rows and items only; the adapter makes the HTTP responses. */

export interface WebchatItem {
  id: string;
  direction: 'in' | 'out';
  author: 'customer' | 'bot' | 'agent';
  text: string;
  /** Offered with a bot reply: a pick is POSTed back as `choiceId`. */
  choices?: { id: string; label: string }[];
  /** Files of the message, fetched from GET /webchat/sessions/:id/attachments/:attachmentId. */
  attachments?: { id: string; name: string; mime: string; size: number }[];
  createdAt: string;
}

export interface WebchatSession {
  id: string;
  /** SHA-256 (hex) of the session secret; the secret itself is never stored. */
  secretHash: string;
  createdAt: number;
  /** Last authorised use; null until the first. Sessions idle for too long are refused. */
  lastSeenAt: number | null;
}

export interface WebchatItemsPage {
  items: { seq: number; item: WebchatItem }[];
  /** Where the next read starts; may be past the last item (events the customer does not see). */
  cursor: number;
}

export interface WebchatStore {
  insertSession(session: WebchatSession): Promise<void>;
  session(sessionId: string): Promise<WebchatSession | undefined>;
  touchSession(sessionId: string, at: number): Promise<void>;
  /** Messages the customer can see (inbound, and outbound once delivered), after an opaque cursor. */
  itemsAfter(sessionId: string, cursor: number, limit: number): Promise<WebchatItemsPage>;
  /**
   * Pushes the session's new visible items as they are committed (from the one shared event read,
   * not a read per stream); returns the unsubscribe function.
   */
  watch(sessionId: string, push: (page: WebchatItemsPage) => void): () => void;
  /** How far `watch` has reached: a watcher has been given every item up to this cursor. */
  position(): number;
}

/** How the web chat guards itself (settings from src/config.ts). */
export interface WebchatPolicy {
  /** A session unused for this long is refused like an unknown one; the widget then opens a new one. */
  sessionIdleMs: number;
  /** Sessions one IP may open per window. */
  sessionCreate: RateLimit;
  /** Messages one session may post per window. */
  sessionMessages: RateLimit;
  /** What the widget shows (public: served to any visitor by GET /webchat/config). */
  widget?: WidgetLook;
  /** WIDGET_IDENTITY_SECRET: verifies `userHash` = HMAC-SHA256(userId) for verified users' sessions. */
  identitySecret?: string;
  /** WIDGET_ORIGINS: the sites whose pages may report presence. */
  widgetOrigins?: string[];
  /** Page views and heartbeats one address may send per window. */
  presence?: RateLimit;
  /** Typing signals one session may send per window. */
  typing?: RateLimit;
}

/** Whether a visitor can expect an answer now (GET /webchat/status). */
export interface WidgetAvailability {
  /** Inside business hours (BUSINESS_HOURS, HOLIDAYS). */
  open: boolean;
  /** At least one agent is online (not away, not offline). */
  agentsOnline: boolean;
  /** When closed: the next opening, ISO 8601. */
  backAt: string | null;
}

/** The widget's branding and words, from WIDGET_* settings; nothing secret belongs here. */
export interface WidgetLook {
  name: string;
  color: string;
  position: 'right' | 'left';
  greeting: { en?: string; zh?: string };
  /** Ask name and email before the first message. */
  prechat?: boolean;
  /** WIDGET_DRAFT_PREVIEW: the chat sends the visitor's unsent text with its typing signal, for agents to read ahead. */
  draftPreview?: boolean;
}

/** Offline replies by email (issue 15), given to the web chat by the composition root. */
export interface WebchatOffline {
  /** The visitor's chat showed the replies: email copies not sent yet are skipped. */
  seen(sessionId: string): Promise<void>;
  /** Sets the email of the session's customer; false when the session has not written yet. */
  contact(sessionId: string, email: string): Promise<boolean>;
}

/** What the web chat adapter may do with files on behalf of one authorised session (src/attachments/webchat-files.ts). */
export interface WebchatFiles {
  /** ATTACHMENT_MAX_MB and ATTACHMENTS_PER_MESSAGE, told to the page so it can refuse a file before uploading it. */
  readonly limits: { maxBytes: number; perMessage: number };
  /** Stores the request body as this session's upload, under the limits and the customer's daily allowance. */
  upload(req: Request, sessionId: string): Promise<{ id: string; name: string; mime: string; size: number }>;
  /** Serves a file of this session's conversation (or its own upload); any other id is a 404, so ids reveal nothing. */
  serve(sessionId: string, attachmentId: string, thumbnail: boolean): Promise<Response>;
}

/** A proactive invitation rule as widget.js gets it (public: nothing secret). */
export interface PublicInviteRule {
  id: string;
  /** A URL substring, or a glob with `*`. */
  pattern: string;
  minSeconds: number;
  minVisits: number;
  message: { en: string; zh: string };
}

/** Proactive invitations, given to the web chat by the composition root. */
export interface WebchatInvitations {
  rules(): Promise<PublicInviteRule[]>;
  invites: {
    take(visitorId: string): { text: string | null } | undefined;
    dismiss(visitorId: string, now: number): void;
  };
}
