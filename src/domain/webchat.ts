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
  /** Server-Sent Events of the same items from `cursor` on, until `signal` aborts. */
  stream(sessionId: string, cursor: number, signal: AbortSignal): Response;
}
