import { el } from '../dom.js';
import type { PageContext } from '../page.js';
import { t } from '../visitors/strings.js';

/** The chat sends a signal at most once a second while the visitor types; this long without one, they stopped. */
const SHOWN_MS = 5000;

/**
 * "Customer is typing…" under the history, from the stream's `typing` signals of this
 * conversation; with the draft preview (WIDGET_DRAFT_PREVIEW) also what they are typing, as text
 * (never HTML). Gone a few seconds after the last signal, or as soon as their message arrives.
 */
export function createCustomerTyping(ctx: PageContext, conversationId: string): { node: HTMLElement; stop(): void } {
  const label = el('span', 'conv-typing-label');
  const draft = el('span', 'conv-typing-draft');
  const node = el('p', 'conv-typing', label, draft);
  node.setAttribute('aria-live', 'polite');
  node.hidden = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let text: string | undefined;

  const render = () => {
    label.textContent = t('customerTyping');
    draft.textContent = text ?? '';
    draft.hidden = !text;
  };
  const clear = () => {
    clearTimeout(timer);
    node.hidden = true;
    text = undefined;
  };
  const stopEvents = ctx.onEvent((e) => {
    if (e.data.conversationId !== conversationId) return;
    if (e.type === 'message' && e.data.direction !== 'out') return clear();
    if (e.type !== 'typing' || e.data.by !== 'customer') return;
    text = typeof e.data.text === 'string' && e.data.text.trim() ? e.data.text : undefined;
    render();
    node.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(clear, SHOWN_MS);
  });
  window.addEventListener('localechange', render);
  return {
    node,
    stop() {
      clear();
      stopEvents();
      window.removeEventListener('localechange', render);
    },
  };
}
