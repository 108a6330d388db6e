/**
 * What instances on one PostgreSQL tell each other besides wake-ups (src/store/pg/notify.ts
 * carries it): in the domain, so the store, the web chat adapter and the kit share one shape.
 */

/** PostgreSQL refuses notification payloads of 8000 bytes or more. */
export const MAX_PAYLOAD_BYTES = 7999;

/**
 * What a `visitors` signal reports: a page view, heartbeat or leave, a session link, an invitation
 * offered, dismissed or handed over, or a visitor's current page as the sender knows it (`known`:
 * its answer to `hello`, the one `visitors` signal naming no visitor, which an instance sends when
 * it joins to ask the others for what they hold).
 */
export const VISITOR_CHANGES = ['view', 'ping', 'leave', 'link', 'offer', 'dismiss', 'take', 'known'] as const;

/**
 * A signal another instance published: to one web chat session's streams, to agents' streams,
 * or a change to the visitors and invitations every instance holds (src/kit/visitors.ts, invites.ts).
 */
export type RelayedSignal =
  | { to: 'session'; sessionId: string; event: string; data: Record<string, unknown> }
  | { to: 'visitors'; event: (typeof VISITOR_CHANGES)[number]; data: { visitorId: string } & Record<string, unknown> }
  | { to: 'visitors'; event: 'hello'; data: Record<string, never> }
  | {
      to: 'agents';
      event: string;
      data: Record<string, unknown>;
      holder?: { assigneeId: string | null; participantIds?: readonly string[] };
    };
