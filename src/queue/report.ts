import type { LoggedEvent } from '../domain/events.js';

/** Service figures over a window of the event log: what operators watch (DESIGN.md § Who uses it). */
export interface Summary {
  since: string;
  conversationsOpened: number;
  handedOff: number;
  /** Share of opened conversations the bot handled without a person; null when none opened. */
  botDeflectionRate: number | null;
  resolved: number;
  /** Hand-offs answered by an agent: median and 90th percentile, in seconds. */
  firstResponseSeconds: { median: number | null; p90: number | null; answered: number; waiting: number };
  deliveryFailures: number;
  /** Satisfaction scores (1–5) customers gave after a resolution. */
  csat: { responses: number; average: number | null };
}

export function summarize(events: LoggedEvent[], since: number): Summary {
  const opened = new Set<string>();
  const handoffAt = new Map<string, number>();
  const firstResponse = new Map<string, number>();
  const resolved = new Set<string>();
  let deliveryFailures = 0;
  const scores: number[] = [];
  for (const e of events) {
    const c = e.conversationId;
    if (!c) continue;
    switch (e.type) {
      case 'status':
        if (e.data.action === 'open') opened.add(c);
        if (e.data.action === 'handoff' && !handoffAt.has(c)) handoffAt.set(c, e.createdAt);
        if (e.data.status === 'resolved') resolved.add(c);
        break;
      case 'message':
        if (e.data.author === 'agent' && handoffAt.has(c) && !firstResponse.has(c)) firstResponse.set(c, e.createdAt - handoffAt.get(c)!);
        break;
      case 'delivery':
        if (e.data.status === 'failed') deliveryFailures++;
        break;
      case 'csat':
        scores.push(e.data.score);
        break;
    }
  }
  const waits = [...firstResponse.values()].sort((a, b) => a - b);
  const pick = (q: number) => (waits.length ? Math.round(waits[Math.min(waits.length - 1, Math.floor(q * waits.length))]! / 1000) : null);
  const handedOffOpened = [...opened].filter((c) => handoffAt.has(c)).length;
  return {
    since: new Date(since).toISOString(),
    conversationsOpened: opened.size,
    handedOff: handoffAt.size,
    botDeflectionRate: opened.size ? round((opened.size - handedOffOpened) / opened.size) : null,
    resolved: resolved.size,
    firstResponseSeconds: { median: pick(0.5), p90: pick(0.9), answered: waits.length, waiting: handoffAt.size - waits.length },
    deliveryFailures,
    csat: { responses: scores.length, average: scores.length ? round(scores.reduce((a, b) => a + b, 0) / scores.length) : null },
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
