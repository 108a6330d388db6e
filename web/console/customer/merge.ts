import { el } from '../dom.js';
import { customerLabel } from '../names.js';
import type { PageContext } from '../page.js';
import { channelName, t } from './strings.js';
import type { CustomerDetail, CustomerHit } from './types.js';

/**
 * A modal confirmation (<dialog>: the browser traps the focus and Escape cancels). Resolves true
 * when the agent confirms. Built fresh each time and removed after, so its text is the current language's.
 */
export function confirmDialog(title: string, explain: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const heading = el('h2', 'cust-dialog-title', title);
    heading.id = 'cust-dialog-title';
    const ok = el('button', 'cust-button cust-primary', confirmLabel);
    ok.type = 'button';
    ok.value = 'ok';
    const cancel = el('button', 'cust-button', t('cancel'));
    cancel.type = 'button';
    const dialog = el('dialog', 'cust-dialog', heading, el('p', 'cust-dialog-text', explain), el('div', 'cust-row', cancel, ok));
    dialog.setAttribute('aria-labelledby', heading.id);
    let answer = false;
    ok.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

/**
 * The "merge with another customer" section: search, pick, confirm, POST merge; `done` refreshes
 * the panel. `self` is read when used: the panel keeps this element across its re-renders, so a
 * live refresh does not wipe the query being typed.
 */
export function mergeSection(current: () => CustomerDetail, ctx: PageContext, done: () => void): HTMLDetailsElement {
  const input = el('input', 'cust-input');
  input.type = 'search';
  input.id = 'cust-merge-q';
  input.placeholder = t('findHint');
  input.autocomplete = 'off';
  const label = el('label', 'cust-label', t('find'));
  label.htmlFor = input.id;
  const results = el('ul', 'cust-merge-results');
  results.setAttribute('aria-live', 'polite');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;

  async function search(): Promise<void> {
    const q = input.value.trim();
    const mine = ++asked;
    if (!q) {
      results.replaceChildren();
      return;
    }
    try {
      const page = await ctx.call<{ items: CustomerHit[] }>('GET', '/customers?limit=8&q=' + encodeURIComponent(q));
      if (mine !== asked) return;
      const others = page.items.filter((c) => c.id !== current().id);
      results.replaceChildren(...(others.length ? others.map(row) : [el('li', 'cust-muted', t('noMatch'))]));
    } catch (err) {
      ctx.notice((err as Error).message, true);
    }
  }

  function row(c: CustomerHit): HTMLLIElement {
    const name = customerLabel(c);
    const channels = [...new Set(c.identities.map((i) => channelName(i.channel as never)))].join(', ');
    const pick = el('button', 'cust-button', t('pick'));
    pick.type = 'button';
    pick.setAttribute('aria-label', t('pickLabel', { name }));
    pick.addEventListener('click', async () => {
      const self = current();
      const vars = { other: name, self: customerLabel(self) };
      if (!(await confirmDialog(t('mergeTitle', vars), t('mergeExplain', vars), t('confirmMerge')))) return;
      try {
        await ctx.call('POST', `/customers/${encodeURIComponent(self.id)}/merge`, { customerId: c.id });
        ctx.notice(t('merged', vars));
        input.value = '';
        results.replaceChildren();
        done();
      } catch (err) {
        ctx.notice((err as Error).message, true);
      }
    });
    const li = el(
      'li',
      'cust-merge-hit',
      el('span', 'cust-grow', el('span', 'cust-strong', name), el('span', 'cust-muted', channels)),
      pick,
    );
    li.dataset.id = c.id;
    return li;
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void search(), 250);
  });
  const details = el('details', 'cust-merge', el('summary', 'cust-summary', t('merge')), label, input, results);
  return details;
}
