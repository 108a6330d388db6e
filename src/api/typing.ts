import { Hono } from 'hono';
import type { SenderIdentity } from '../domain/channel.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { maySeeConversation } from '../domain/visibility.js';
import type { AgentSignals } from '../kit/agent-signals.js';
import type { SessionSignals } from '../kit/signals.js';
import type { Store } from '../store/store.js';
import type { ApiEnv } from './auth.js';

/** How long the agent's request waits for the platform's answer to a typing indicator. */
const CHANNEL_WAIT_MS = 2000;

/** A channel adapter's typing indicator (ChannelAdapter.typing), by channel. */
export type ChannelTyping = Partial<Record<string, (to: { threadKey: string; to: SenderIdentity }) => Promise<void>>>;

/**
 * `POST /api/conversations/:id/typing`: the agent is typing a reply. A web chat visitor's open
 * widget shows "… is typing" for a few seconds; on Telegram and Discord the adapter shows the
 * platform's own indicator (it throttles, best effort). Nothing is stored, so a console sends it
 * again (every few seconds) while the agent keeps typing. Refused (403) for a conversation the
 * agent may not see, like every other action on it.
 */
export function typingRoutes(d: { store: Store; signals: SessionSignals; channels?: ChannelTyping }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.post('/:id/typing', async (c) => {
    const id = c.req.param('id');
    const viewer = c.get('agent');
    const { conv, identity } = await d.store.read(async (r) => {
      const conv = await r.conversations.get(id);
      if (!conv) throw new NotFoundError(`conversation ${id} not found`);
      const participantIds = (await r.participants.of([id])).get(id) ?? [];
      if (!maySeeConversation(viewer, { assigneeId: conv.assigneeId, participantIds }))
        throw new ForbiddenError('this conversation is held by another agent');
      const typing = d.channels?.[conv.channel];
      const identity = typing ? (await r.customers.identitiesOf(conv.customerId)).find((i) => i.channel === conv.channel) : undefined;
      return { conv, identity };
    });
    if (conv.channel === 'webchat') {
      // `delivered`: an open chat on this instance showed it. With several instances the visitor's chat may be
      // open on another one, which this one cannot see: `relayed` says whether it was passed on to them.
      const { streams, relayed } = d.signals.publish(conv.threadKey, { event: 'typing', data: { author: 'agent' } });
      return c.json({ delivered: streams > 0, ...(relayed === undefined ? {} : { relayed }) }, 202);
    }
    const typing = d.channels?.[conv.channel];
    if (!typing) return c.json({ delivered: false }, 202);
    // Best effort: the platform's indicator is a hint, and a failure of it is no failure of the agent's;
    // a platform slow to answer (its rate limit) does not hold the agent's request past a moment.
    const sent = typing({
      threadKey: conv.threadKey,
      to: { channelUserId: identity?.channelUserId ?? conv.threadKey, displayName: identity?.displayName ?? undefined },
    }).then(
      () => true,
      () => false,
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const delivered = await Promise.race([sent, new Promise<boolean>((r) => (timer = setTimeout(() => r(false), CHANNEL_WAIT_MS)))]);
    clearTimeout(timer);
    return c.json({ delivered }, 202);
  });
  return app;
}

/**
 * A web chat visitor's typing, passed to the agents' streams as a `typing` signal of their
 * conversation (`text`: the unsent draft, only with WIDGET_DRAFT_PREVIEW), for the agents who may
 * see it. A visitor with no conversation yet (nothing sent) has nobody to tell.
 */
export function customerTypingRelay(store: Store, signals: AgentSignals) {
  return async (sessionId: string, text: string | undefined): Promise<void> => {
    const found = await store.read(async (r) => {
      const conv = await r.conversations.latestForThread('webchat', sessionId);
      if (!conv) return undefined;
      return { conv, participantIds: (await r.participants.of([conv.id])).get(conv.id) ?? [] };
    });
    if (!found) return;
    const holder = { assigneeId: found.conv.assigneeId, participantIds: found.participantIds };
    signals.publish({
      event: 'typing',
      data: { conversationId: found.conv.id, by: 'customer', ...(text !== undefined ? { text } : {}), at: new Date().toISOString() },
      holder,
    });
  };
}
