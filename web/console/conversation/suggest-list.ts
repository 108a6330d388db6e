import { el } from '../dom.js';

let lists = 0;

/**
 * A listbox of suggestions under the composer (canned responses after `/`, agents after `@`),
 * driven from the textarea's keys: the focus stays in the text, the active option is announced
 * through aria-activedescendant.
 */
export function createSuggestList<T>(input: HTMLTextAreaElement, render: (item: T) => (Node | string)[], choose: (item: T) => void) {
  const id = `conv-suggest-${++lists}`;
  const node = el('ul', 'conv-suggest');
  node.id = id;
  node.setAttribute('role', 'listbox');
  node.hidden = true;
  let items: T[] = [];
  let active = 0;

  function paint(): void {
    node.replaceChildren(
      ...items.map((item, i) => {
        const li = el('li', 'conv-option' + (i === active ? ' conv-active' : ''), ...render(item));
        li.id = `${id}-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', String(i === active));
        // mousedown, not click: the textarea must keep the focus (and its caret).
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          choose(item);
        });
        return li;
      }),
    );
    if (items.length) input.setAttribute('aria-activedescendant', `${id}-${active}`);
    else input.removeAttribute('aria-activedescendant');
    node.querySelector('.conv-active')?.scrollIntoView({ block: 'nearest' });
  }

  return {
    node,
    get open() {
      return !node.hidden;
    },
    show(label: string, next: T[], empty?: string): void {
      items = next;
      active = 0;
      node.setAttribute('aria-label', label);
      node.hidden = false;
      input.setAttribute('aria-controls', id);
      paint();
      if (!items.length && empty) node.replaceChildren(el('li', 'conv-option conv-empty', empty));
    },
    hide(): void {
      node.hidden = true;
      items = [];
      input.removeAttribute('aria-activedescendant');
    },
    /** Handles the list's keys while it is open; true when the key was its. */
    key(e: KeyboardEvent): boolean {
      if (node.hidden) return false;
      if (e.key === 'Escape') {
        this.hide();
        return true;
      }
      // "No canned response starts with …": Enter does not send the half-typed "/shortcut" to the customer.
      if (!items.length) return e.key === 'Enter' && !e.shiftKey;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        active = (active + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
        paint();
        return true;
      }
      if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
        choose(items[active]!);
        return true;
      }
      return false;
    },
  };
}
