import type { Context } from 'hono';
import { ValidationError } from '../domain/errors.js';
import { maySeeEvent, type Viewer } from '../domain/visibility.js';
import { errorBody } from '../kit/http-errors.js';
import { acquireStream, parseCursor, sseResponse, STREAMS_RETRY_AFTER_S, type SsePage, type StreamPolicy } from '../kit/sse.js';
import type { EventHub, HubEvent } from '../store/event-hub.js';
import type { ApiEnv } from './auth.js';
import type { Presence } from '../routing/presence.js';
import type { AgentSignals } from '../kit/agent-signals.js';

/**
 * `GET /api/events`: the changes this agent may see (src/domain/visibility.ts; admins: all) as
 * Server-Sent Events, ids being event sequence numbers. A reconnect with `Last-Event-ID` reads
 * the gap from the database; after that the event hub pushes each batch, filtered here in memory.
 */
export function agentEvents(
  c: Context<ApiEnv>,
  hub: EventHub,
  policy: StreamPolicy,
  client: string,
  presence?: Pick<Presence, 'streamOpened'>,
  signals?: AgentSignals,
): Response {
  const cursor = parseCursor(c.req.header('last-event-id') ?? c.req.query('after'));
  if (cursor === undefined) throw new ValidationError('Last-Event-ID: must be an event id sent by this stream', 'after');
  const agent = c.get('agent');
  const release = acquireStream(policy, `agent:${agent.id}`, client);
  if (!release) {
    return c.json(errorBody('too_many_streams', 'too many open event streams for this agent or address'), 429, {
      'retry-after': String(STREAMS_RETRY_AFTER_S),
    });
  }
  const present = presence?.streamOpened(agent.id) ?? (() => {});
  const viewer: Viewer = { id: agent.id, role: agent.role };
  const page = (events: HubEvent[], through: number): SsePage => ({
    events: events.filter((e) => maySeeEvent(viewer, e.event, e.conversation)).map(sseEvent),
    cursor: through,
  });
  return sseResponse(
    {
      read: async (from) => {
        const p = await hub.read(from, 500, () => false);
        return page(p.events, p.cursor);
      },
      watch: (push) => {
        const unwatch = hub.watchAll((events, through) => push(page(events, through)));
        // Visitors changed, a customer typing: sent as they come, without an id (never replayed).
        const unsignal = signals?.subscribe(viewer, (s) => push({ events: [], cursor: 0, signals: [s] }));
        return () => {
          unwatch();
          unsignal?.();
        };
      },
      position: () => hub.position,
    },
    cursor,
    {
      heartbeatMs: policy.heartbeatMs,
      idleMs: policy.idleMs,
      onClose: () => {
        present();
        release();
      },
    },
  );
}

function sseEvent({ event: e }: HubEvent) {
  return { id: e.seq, event: e.type, data: { conversationId: e.conversationId, ...e.data, at: new Date(e.createdAt).toISOString() } };
}
