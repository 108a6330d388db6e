import type { ConversationView, PageContext } from '../page.js';

/** The conversation view: header and actions, the history, the composer, the customer panel beside it. */
export function mountConversation(root: HTMLElement, conversationId: string, ctx: PageContext): ConversationView {
  void ctx;
  root.textContent = conversationId;
  return { unmount: () => root.replaceChildren(), claim() {}, focusReply() {}, resolve() {} };
}
