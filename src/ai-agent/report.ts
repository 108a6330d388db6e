import { decodeEvent } from '../domain/events.js';
import type { Repos } from '../store/store.js';

export interface AiAgentFigures {
  answered: number;
  declined: number;
  /** Declines by reason (src/ai-agent/plan.ts DECLINE_REASONS). */
  declinedByReason: Record<string, number>;
  inputTokens: number;
  outputTokens: number;
}

/** AI agent mode's decisions in [from, to), from the `ai_agent` events (for GET /api/reports/llm). */
export async function aiAgentFigures(r: Repos, from: number, to: number): Promise<AiAgentFigures> {
  const out: AiAgentFigures = { answered: 0, declined: 0, declinedByReason: {}, inputTokens: 0, outputTokens: 0 };
  for (const row of await r.events.since(from)) {
    if (row.type !== 'ai_agent' || row.createdAt >= to) continue;
    const e = decodeEvent(row);
    if (e.type !== 'ai_agent') continue;
    if (e.data.decision === 'answered') {
      out.answered++;
      out.inputTokens += e.data.inputTokens ?? 0;
      out.outputTokens += e.data.outputTokens ?? 0;
    } else {
      out.declined++;
      out.declinedByReason[e.data.reason] = (out.declinedByReason[e.data.reason] ?? 0) + 1;
    }
  }
  return out;
}
