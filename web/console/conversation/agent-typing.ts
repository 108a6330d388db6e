import type { PageContext } from '../page.js';

/** The customer's side shows "… is typing" for about 6 s per signal; one every 3 s keeps it up without chatter. */
const EVERY_MS = 3000;

/**
 * Tells the customer the agent is typing (POST /api/conversations/:id/typing): on input in the
 * reply composer, at most once per 3 s, never for an internal note. Best effort: a refusal or a
 * network failure is not the agent's concern, so nothing is shown for it.
 */
export function sendAgentTyping(textarea: HTMLTextAreaElement, ctx: PageContext, conversationId: string, replying: () => boolean): void {
  let lastAt = 0;
  textarea.addEventListener('input', () => {
    const now = Date.now();
    if (!replying() || !textarea.value.trim() || now - lastAt < EVERY_MS) return;
    lastAt = now;
    ctx.call('POST', `/conversations/${encodeURIComponent(conversationId)}/typing`).catch(() => undefined);
  });
}
