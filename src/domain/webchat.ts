/** What the built-in web chat needs from storage; implemented over the store, injected into the adapter. */

export interface WebchatItem {
  id: string;
  direction: 'in' | 'out';
  author: 'customer' | 'bot' | 'agent';
  text: string;
  createdAt: string;
}

export interface WebchatBackend {
  createSession(secretHash: string): Promise<string>;
  sessionSecretHash(sessionId: string): Promise<string | undefined>;
  /** Messages the customer can see (inbound, and outbound once delivered), after an opaque cursor. */
  itemsAfter(sessionId: string, cursor: number, limit: number): Promise<{ items: { seq: number; item: WebchatItem }[]; cursor: number }>;
  /** Calls `listener` whenever something may have changed; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
}
