import type { PageContext } from '../page.js';

/** The customer beside a conversation: identities, tier, labels, past conversations, CSAT; merge. */
export function mountCustomerPanel(root: HTMLElement, customerId: string, ctx: PageContext): { refresh(): void; unmount(): void } {
  void ctx;
  root.textContent = customerId;
  return { refresh() {}, unmount: () => root.replaceChildren() };
}
