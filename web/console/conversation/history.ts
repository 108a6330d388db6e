import { el } from '../dom.js';
import { formatDateTime, formatTime } from '../i18n.js';
import type { PageContext } from '../page.js';
import { messageNode } from './message-node.js';
import { t } from './strings.js';
import { timelineText } from './timeline-text.js';
import type { Detail, Message, TimelineEvent } from './types.js';

/** Closer to the bottom than this counts as "at the bottom": the view keeps following. */
const FOLLOW_SLACK_PX = 48;

/**
 * The whole conversation in one scrolling pane: messages and system lines in time order. It
 * follows new messages while the agent is at the bottom; scrolled up, it stays put and offers
 * "new messages ↓". Older messages come a page at a time ("load earlier", by cursor).
 */
export function createHistory(ctx: PageContext, conversationId: string) {
  const more = el('button', 'conv-btn conv-more');
  more.type = 'button';
  const list = el('ol', 'conv-items');
  const pane = el('div', 'conv-history', more, list);
  pane.tabIndex = 0;
  pane.setAttribute('role', 'log');
  const jump = el('button', 'conv-jump');
  jump.type = 'button';
  jump.hidden = true;
  const node = el('div', 'conv-history-wrap', pane, jump);

  /** Every message seen while open, by id: the newest page slides on as messages arrive, older pages stay. */
  const known = new Map<string, Message>();
  let cursor: string | null | undefined;
  let detail: Detail | null = null;
  let lastCount = 0;
  const atBottom = () => pane.scrollHeight - pane.scrollTop - pane.clientHeight < FOLLOW_SLACK_PX;
  /** Whether the agent is at the newest message; only their own scrolling changes it. */
  let following = true;
  const toBottom = () => {
    pane.scrollTop = pane.scrollHeight;
    following = true;
    jump.hidden = true;
  };

  // Only a move up leaves the bottom: a scroll event that layout causes (the pane shrinking as the
  // drafts panel or a label appears) must not stop the following.
  let lastTop = 0;
  pane.addEventListener('scroll', () => {
    if (atBottom()) {
      following = true;
      jump.hidden = true;
    } else if (pane.scrollTop < lastTop) following = false;
    lastTop = pane.scrollTop;
  });
  // The pane shrinks when the header or composer grows (a label, an opened drafts panel): a follower stays at the bottom.
  const resized = new ResizeObserver(() => {
    if (following) toBottom();
  });
  resized.observe(pane);
  resized.observe(list);
  jump.addEventListener('click', () => {
    toBottom();
    pane.focus();
  });
  more.addEventListener('click', () => void loadEarlier());

  async function loadEarlier(): Promise<void> {
    if (!cursor) return;
    more.disabled = true;
    try {
      const page = await ctx.call<{ items: Message[]; nextCursor: string | null }>(
        'GET',
        `/conversations/${encodeURIComponent(conversationId)}/messages?cursor=${encodeURIComponent(cursor)}`,
      );
      for (const m of page.items) if (!known.has(m.id)) known.set(m.id, m);
      cursor = page.nextCursor;
      // Older messages go in above: keep what the agent was reading where it was.
      const fromBottom = pane.scrollHeight - pane.scrollTop;
      draw();
      pane.scrollTop = pane.scrollHeight - fromBottom;
    } catch (err) {
      ctx.notice((err as Error).message, true);
    } finally {
      more.disabled = false;
    }
  }

  function draw(): void {
    if (!detail) return;
    const messages = [...known.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    // With older messages still unloaded, lines from before the oldest shown would float at the top out of place.
    const from = cursor && messages[0] ? messages[0].createdAt : '';
    const events = (detail.events ?? []).filter((e) => e.at >= from);
    type Item = { at: string; order: number; node: () => HTMLElement };
    const items: Item[] = [
      ...messages.map((m, i) => ({
        at: m.createdAt,
        order: i,
        node: () => messageNode(m, detail!.customer, ctx.agents, { translate: detail!.drafting?.mode === 'llm' }),
      })),
      // At the same instant a line follows the messages (the hand-off after the "human" that asked), but the opening comes first.
      ...events.map((e, i) => ({
        at: e.at,
        order: e.type === 'status' && e.action === 'open' ? -1 : 100_000 + i,
        node: () => systemNode(e),
      })),
    ];
    items.sort((a, b) => a.at.localeCompare(b.at) || a.order - b.order);
    const nodes: HTMLElement[] = [];
    for (const item of items) {
      const n = item.node();
      if (n.textContent) nodes.push(n);
    }
    list.replaceChildren(...nodes);
    more.textContent = t('loadEarlier');
    more.hidden = !cursor;
    pane.setAttribute('aria-label', t('history'));
    jump.textContent = t('newMessages');
  }

  function systemNode(e: TimelineEvent): HTMLElement {
    const text = timelineText(e, ctx.agents);
    if (!text) return el('li', '');
    const time = el('time', 'conv-time', formatTime(e.at));
    time.dateTime = e.at;
    time.title = formatDateTime(e.at);
    const n = el('li', `conv-sys conv-sys-${e.type.replace('.', '-')}`, el('span', 'conv-sys-text', text), time);
    if (e.type === 'status' && typeof e.action === 'string') n.dataset.action = e.action;
    return n;
  }

  return {
    node,
    pane,
    /** A fresh detail: merges its messages, redraws, and follows or offers the jump. */
    update(d: Detail): void {
      const follow = following;
      detail = d;
      if (cursor === undefined) cursor = d.messagesNextCursor;
      for (const m of d.messages) known.set(m.id, m);
      const grew = known.size > lastCount;
      lastCount = known.size;
      const top = pane.scrollTop;
      draw();
      if (follow) toBottom();
      else {
        pane.scrollTop = top;
        if (grew) jump.hidden = false;
      }
    },
    /** Labels and times again in the current language. */
    relabel(): void {
      draw();
      if (following) toBottom();
    },
    stop(): void {
      resized.disconnect();
    },
    /** The texts of the messages shown, newest last (for the FAQ link: the question and the reply). */
    messages: (): Message[] => [...known.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
  };
}
