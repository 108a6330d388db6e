/**
 * The seams between the console's parts. The shell (main.ts) signs in, holds the one live event
 * stream and the router; each part mounts into an element it is given and cleans up on unmount:
 *
 *   #/inbox/<tab>          the inbox (inbox/)            #/c/<conversationId>  a conversation (conversation/)
 *   #/reports              the reports page (reports/)    #/admin/<section>     an admin page (admin/)
 *   #/customer/<id>        a customer's profile alone (customer/)
 *
 * The customer panel (customer/) is mounted by the conversation view beside the history.
 */
import type { Agent } from './types.js';

/** One event from GET /api/events: `type` is the SSE event name, `data` its JSON (always with conversationId and at). */
export interface LiveEvent {
  id: number;
  type: string;
  data: { conversationId: string; at: string } & Record<string, unknown>;
}

export interface PageContext {
  /** A call to /api with the agent's token (path without the /api prefix); throws with the API's message. */
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Follows an SSE stream under /api (path without the prefix) until it ends or `signal` aborts. */
  stream(path: string, onEvent: (type: string, data: unknown) => void, signal?: AbortSignal): Promise<void>;
  /** The signed-in agent. */
  me: Agent;
  /** Every agent by id, for names. */
  agents: Map<string, Agent>;
  /** Subscribes to the live stream (already filtered to what this agent may see); returns the unsubscribe. */
  onEvent(handler: (event: LiveEvent) => void): () => void;
  /** Goes to a route, e.g. '#/c/' + id. */
  navigate(hash: string): void;
  /** A short message in the status bar (role=status). */
  notice(text: string, isError?: boolean): void;
}

/** A full page reached from the navigation (reports, each admin section). */
export interface ConsolePage {
  /** The route after '#/', e.g. 'reports' or 'admin/agents'. */
  route: string;
  /** The label in the navigation, in the current language. */
  title(): string;
  /** Shown to admins only (the API refuses others anyway). */
  adminOnly: boolean;
  /** Builds the page inside `root`; returns what removes its listeners and timers. */
  mount(root: HTMLElement, ctx: PageContext): () => void;
}

/** An open conversation; the shell's keyboard shortcuts call these. */
export interface ConversationView {
  unmount(): void;
  /** c: claim, if it is queued. */
  claim(): void;
  /** r: put the focus in the composer. */
  focusReply(): void;
  /** e: resolve. */
  resolve(): void;
}
