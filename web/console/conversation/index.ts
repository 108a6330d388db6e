import { mountCustomerPanel } from '../customer/panel.js';
import { mountOnSite } from '../visitors/on-site.js';
import { el } from '../dom.js';
import { coalesced } from '../coalesce.js';
import { customerLabel } from '../names.js';
import type { ConversationView, PageContext } from '../page.js';
import { createComposer } from './composer.js';
import { createDrafts } from './drafts.js';
import { createCustomerTyping } from './customer-typing.js';
import { attachTranslate } from './translate.js';
import { createFaqLink } from './faq-link.js';
import { createHeader } from './header.js';
import { createHistory } from './history.js';
import { t } from './strings.js';
import type { Detail } from './types.js';

/** Events that may change what the customer panel shows, besides the conversation itself. */
const PANEL_EVENTS = new Set(['customer', 'csat', 'label', 'status']);

/**
 * The conversation view: header and actions, the history, the drafts and the composer, and the
 * customer panel beside them (a side column on wide screens, behind a "Customer" toggle below).
 * Live: every event of this conversation on the shell's stream refetches it, coalesced (one
 * request in flight, at most one more after it); no timer polls.
 */
export function mountConversation(root: HTMLElement, conversationId: string, ctx: PageContext): ConversationView {
  let detail: Detail | null = null;
  let gone = false;

  const status = el('p', 'conv-status-line', t('loading'));
  const history = createHistory(ctx, conversationId);
  const composer = createComposer(ctx, conversationId, () => void refresh());
  const drafts = createDrafts(ctx, conversationId, { use: (text, id) => composer.useDraft(text, id), refresh: () => void refresh() });
  const faq = createFaqLink(ctx, conversationId);
  const customerTyping = createCustomerTyping(ctx, conversationId);
  attachTranslate(ctx, conversationId, history.node, () => void refresh());
  const header = createHeader(ctx, act, () => composer.focus());

  const toggle = el('button', 'conv-btn conv-side-toggle');
  toggle.type = 'button';
  const close = el('button', 'conv-btn conv-side-close');
  close.type = 'button';
  const panelRoot = el('div', 'conv-panel');
  const side = el('aside', 'conv-side', close, panelRoot);
  side.id = `conv-side-${conversationId}`;
  toggle.setAttribute('aria-controls', side.id);
  toggle.setAttribute('aria-expanded', 'false');
  const showSide = (open: boolean) => {
    view.classList.toggle('conv-side-open', open);
    toggle.setAttribute('aria-expanded', String(open));
    (open ? close : toggle).focus();
  };
  toggle.addEventListener('click', () => showSide(!view.classList.contains('conv-side-open')));
  close.addEventListener('click', () => showSide(false));

  const main = el(
    'section',
    'conv-main',
    el('div', 'conv-top', header.node, toggle),
    history.node,
    customerTyping.node,
    drafts.node,
    composer.node,
    faq.node,
  );
  const view = el('div', 'conv', status, main, side);
  main.hidden = true;
  root.replaceChildren(view);

  let panel: { refresh(): void; unmount(): void } | null = null;
  /** The web chat visitor's pages, below the customer panel. */
  let onSite: { unmount(): void } | null = null;

  function render(d: Detail): void {
    detail = d;
    status.hidden = true;
    main.hidden = false;
    main.setAttribute('aria-label', t('region', { name: customerLabel(d.customer) }));
    header.update(d);
    history.update(d);
    drafts.update(d);
    composer.update(d);
    faq.update(d, history.messages());
    toggle.textContent = t('showCustomer');
    side.setAttribute('aria-label', t('customerPanel'));
    close.textContent = t('closePanel');
    if (!panel && d.customer) panel = mountCustomerPanel(panelRoot, d.customer.id, ctx);
    if (!onSite && d.conversation.channel === 'webchat') onSite = mountOnSite(side, conversationId, ctx);
  }

  // One fetch at a time; events meanwhile ask for exactly one more after it.
  const refresh = coalesced(
    async () => {
      try {
        const d = await ctx.call<Detail>('GET', `/conversations/${encodeURIComponent(conversationId)}`);
        if (!gone) render(d);
      } catch (err) {
        if (gone) return;
        if (!detail) {
          status.textContent = t('loadFailed', { error: (err as Error).message });
          status.setAttribute('role', 'alert');
        } else ctx.notice((err as Error).message, true);
      }
    },
    () => gone,
  );

  async function act(label: () => string, method: string, path: string, body?: unknown): Promise<boolean> {
    try {
      await ctx.call(method, path, body);
      ctx.notice(label());
      await refresh();
      return true;
    } catch (err) {
      ctx.notice((err as Error).message, true);
      return false;
    }
  }

  const unsubscribe = ctx.onEvent((e) => {
    // A typing signal changes nothing stored: customer-typing.ts shows it.
    if (e.data.conversationId !== conversationId || e.type === 'typing') return;
    void refresh();
    if (PANEL_EVENTS.has(e.type)) panel?.refresh();
  });

  const relabel = () => {
    status.textContent = detail ? '' : t('loading');
    if (!detail) return;
    render(detail);
    history.relabel();
    drafts.relabel();
    composer.relabel();
    faq.relabel();
  };
  window.addEventListener('localechange', relabel);

  void refresh();

  return {
    unmount(): void {
      gone = true;
      unsubscribe();
      window.removeEventListener('localechange', relabel);
      panel?.unmount();
      onSite?.unmount();
      customerTyping.stop();
      history.stop();
      drafts.stop();
      root.replaceChildren();
    },
    claim(): void {
      const b = header.claimButton;
      if (!b.hidden && !b.disabled) b.click();
    },
    focusReply(): void {
      composer.focus();
    },
    resolve(): void {
      if (!header.resolveButton.disabled) header.resolveButton.click();
    },
  };
}
