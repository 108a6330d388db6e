import { decodeLogged } from '../domain/events.js';
import type { WebhookJob } from '../store/ports.js';

/** What a receiver gets: `id` is the event's sequence number, the same on every retry, to deduplicate by. */
export interface WebhookPayload {
  id: string;
  type: string;
  createdAt: string;
  conversationId: string | null;
  data: unknown;
}

/**
 * The request body of one delivery, from the event as stored now (so an erasure that rewrote the
 * event is honoured by retries). Customer text in `data` stays a JSON string value, never markup.
 */
export function webhookBody(event: WebhookJob['event']): string {
  const e = decodeLogged({ ...event, seq: Number(event.seq) });
  const payload: WebhookPayload = {
    id: String(e.seq),
    type: e.type,
    createdAt: new Date(e.createdAt).toISOString(),
    conversationId: e.conversationId,
    data: e.data,
  };
  return JSON.stringify(payload);
}
