import { $, el } from './dom.js';
import { agentName, customerName, waited } from './format.js';
import { state } from './state.js';
import type { ListItem } from './types.js';

/** The conversation list of the current tab; `open` is called with the clicked conversation's id. */
export function renderList(items: ListItem[], open: (id: string) => void): void {
  const nodes = items.map((c) => {
    const meta = [
      c.channel,
      c.status,
      c.assigneeId ? 'with ' + agentName(c.assigneeId) : '',
      waited(c.waitingSince),
      c.overdue ? 'OVERDUE' : '',
    ]
      .filter(Boolean)
      .join(' · ');
    const button = el(
      'button',
      '',
      el('div', 'name', customerName(c.customer)),
      el('div', 'meta', meta),
      c.subject ? el('div', 'preview', c.subject) : null,
      c.lastMessage ? el('div', 'preview', c.lastMessage.text) : null,
    );
    button.type = 'button';
    button.addEventListener('click', () => open(c.id));
    const li = el('li', c.id === state.openId ? 'open' : '', button);
    li.dataset.id = c.id;
    return li;
  });
  $('list').replaceChildren(...(nodes.length ? nodes : [el('li', 'empty', 'Nothing here.')]));
}
