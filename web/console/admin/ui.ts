/**
 * The pieces every admin section is built from: labelled fields whose API errors land next to
 * them, a table that stacks on a phone, a two-step delete, and the box that shows a secret once.
 */
import { el } from '../dom.js';
import type { PageContext } from '../page.js';
import { t } from './strings.js';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

class FieldError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

let nextId = 0;
export const uid = (prefix: string) => `admin-${prefix}-${++nextId}`;

/** A form field's text ('' for a missing field; files are not used here). */
export function value(data: FormData, name: string): string {
  const v = data.get(name);
  return typeof v === 'string' ? v : '';
}

export function input(type: string, name: string, value = ''): HTMLInputElement {
  const node = el('input', 'admin-input');
  node.type = type;
  node.name = name;
  node.value = value;
  return node;
}

export function select(name: string, options: [value: string, label: string][], value?: string): HTMLSelectElement {
  const node = el('select', 'admin-input');
  node.name = name;
  for (const [v, label] of options) {
    const option = el('option', '', label);
    option.value = v;
    node.append(option);
  }
  // Without a value the first option stays chosen (setting one no option has would leave none).
  if (value !== undefined && options.some(([v]) => v === value)) node.value = value;
  return node;
}

export function textarea(name: string, value = '', rows = 3): HTMLTextAreaElement {
  const node = el('textarea', 'admin-input');
  node.name = name;
  node.rows = rows;
  node.value = value;
  return node;
}

export function button(label: string, onClick: () => void, kind = ''): HTMLButtonElement {
  const node = el('button', 'admin-button' + (kind ? ' admin-' + kind : ''), label);
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}

export function checkbox(name: string, labelText: string, checked = false, value = ''): { node: HTMLElement; box: HTMLInputElement } {
  const box = input('checkbox', name, value);
  box.checked = checked;
  box.id = uid('c');
  const label = el('label', 'admin-check', box, ' ', labelText);
  label.htmlFor = box.id;
  return { node: label, box };
}

/** A form whose fields each have a label, an optional hint and a slot for the API's complaint about them. */
export class Form {
  readonly node: HTMLFormElement;
  private readonly errors = new Map<string, { control: Control | HTMLFieldSetElement; slot: HTMLElement; label: string }>();
  private readonly general: HTMLElement;

  constructor(className: string, onSubmit: (form: Form) => Promise<void>) {
    this.node = el('form', 'admin-form ' + className);
    this.node.noValidate = true;
    this.general = el('p', 'admin-error');
    this.general.setAttribute('role', 'alert');
    this.general.hidden = true;
    this.node.addEventListener('submit', (e) => {
      e.preventDefault();
      this.clear();
      // Every submit button waits for the answer, so a slow save is not sent twice.
      const submits = [...this.node.querySelectorAll<HTMLButtonElement>('button[type=submit]')];
      for (const b of submits) b.disabled = true;
      this.node.setAttribute('aria-busy', 'true');
      onSubmit(this)
        .catch((err: unknown) => this.show(err))
        .finally(() => {
          for (const b of submits) b.disabled = false;
          this.node.removeAttribute('aria-busy');
        });
    });
  }

  /** A labelled control; `key` is the API's field name (the prefix of its error messages). */
  field(key: string, labelText: string, control: Control, hint?: string): HTMLElement {
    control.id ||= uid('f');
    const label = el('label', 'admin-label', labelText);
    label.htmlFor = control.id;
    const slot = el('span', 'admin-field-error');
    slot.id = uid('e');
    slot.hidden = true;
    const described = [slot.id];
    const wrap = el('div', 'admin-field', label, control);
    if (hint) {
      const h = el('span', 'admin-hint', hint);
      h.id = uid('h');
      described.unshift(h.id);
      wrap.append(h);
    }
    control.setAttribute('aria-describedby', described.join(' '));
    // Typing again is the fix under way: the complaint goes until the next submit.
    control.addEventListener('input', () => {
      slot.hidden = true;
      control.removeAttribute('aria-invalid');
    });
    wrap.append(slot);
    this.errors.set(key, { control, slot, label: labelText });
    this.node.append(wrap);
    return wrap;
  }

  /** A group of controls (checkboxes) under one legend, with its own error slot. */
  group(key: string, legend: string, ...children: Node[]): HTMLFieldSetElement {
    const slot = el('span', 'admin-field-error');
    slot.hidden = true;
    const set = el('fieldset', 'admin-fieldset', el('legend', '', legend), ...children, slot);
    this.errors.set(key, { control: set, slot, label: legend });
    this.node.append(set);
    return set;
  }

  append(...nodes: Node[]): void {
    this.node.append(...nodes);
  }

  actions(submitLabel: string, ...more: Node[]): void {
    const submit = el('button', 'admin-button admin-primary', submitLabel);
    submit.type = 'submit';
    this.node.append(this.general, el('div', 'admin-actions', submit, ...more));
  }

  clear(): void {
    this.general.hidden = true;
    this.general.textContent = '';
    for (const { control, slot } of this.errors.values()) {
      slot.hidden = true;
      slot.textContent = '';
      control.removeAttribute('aria-invalid');
    }
  }

  /** A complaint of the page's own about one field (in the agent's language), shown and announced like the API's. */
  fail(key: string, message: string): never {
    throw new FieldError(key, message);
  }

  /** The API says "field: what is wrong" (src/api/body.ts); the message goes beside that field when there is one. */
  show(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    const m = err instanceof FieldError ? [message, err.key] : /^([\w.]+): (.*)$/s.exec(message);
    const key = m && [...this.errors.keys()].find((k) => m[1] === k || m[1]!.startsWith(k + '.'));
    const target = key ? this.errors.get(key) : undefined;
    if (target) {
      target.slot.textContent = message;
      target.slot.hidden = false;
      target.control.setAttribute('aria-invalid', 'true');
      if (!(target.control instanceof HTMLFieldSetElement)) target.control.focus();
    }
    // The summary is announced (role=alert) even when the detail sits beside a field, where it is not shown twice.
    const said = err instanceof FieldError && target ? target.label + ': ' + message : message;
    this.general.textContent = t('error', { message: said });
    this.general.classList.toggle('admin-sr', !!target);
    this.general.hidden = false;
  }
}

export interface Column<R> {
  label: string;
  cell(row: R): Node | string;
  className?: string;
}

/**
 * A table in a box of its own; below 640 px each row becomes a card whose cells carry their
 * column's name (admin.css), so nothing is cut off a phone's screen.
 */
export function table<R>(caption: string, columns: Column<R>[], rows: R[], empty: string): HTMLElement {
  if (rows.length === 0) return el('p', 'admin-empty', empty);
  const head = el('tr', '', ...columns.map((c) => el('th', c.className ?? '', c.label)));
  for (const th of head.children) th.setAttribute('scope', 'col');
  const body = el(
    'tbody',
    '',
    ...rows.map((r) =>
      el(
        'tr',
        '',
        ...columns.map((c) => {
          const td = el('td', c.className ?? '', c.cell(r));
          td.dataset.label = c.label;
          return td;
        }),
      ),
    ),
  );
  const node = el('table', 'admin-table', el('caption', 'admin-sr', caption), el('thead', '', head), body);
  return el('div', 'admin-scroll', node);
}

/** A delete that asks first, in place: the button becomes "Really …? Yes / Cancel", focus on Cancel's neighbour. */
export function confirmButton(label: string, question: string, confirmLabel: string, onConfirm: () => Promise<void>): HTMLElement {
  const wrap = el('span', 'admin-confirm');
  const start = button(label, () => ask(), 'danger');
  const ask = () => {
    const yes = button(
      confirmLabel,
      () => {
        yes.disabled = true;
        onConfirm().catch(() => {
          yes.disabled = false;
        });
      },
      'danger',
    );
    const no = button(t('cancel'), () => {
      wrap.replaceChildren(start);
      start.focus();
    });
    wrap.replaceChildren(el('span', 'admin-question', question), ' ', yes, ' ', no);
    yes.focus();
  };
  wrap.append(start);
  return wrap;
}

/** The two-step delete of one API resource: DELETE `path`, say so, then `after` (reload the table); a refusal is shown and the button offered again. */
export function deleteButton(ctx: PageContext, question: string, path: string, after: () => Promise<void>): HTMLElement {
  return confirmButton(t('delete'), question, t('deleteYes'), async () => {
    try {
      await ctx.call('DELETE', path);
      ctx.notice(t('deleted'));
      await after();
    } catch (err) {
      ctx.notice((err as Error).message, true);
      throw err;
    }
  });
}

/** A secret (token, signing secret) in a read-only field with a copy button and the warning that it will not be shown again. */
export function secretOnce(title: string, secret: string, warning: string): HTMLElement {
  const field = input('text', 'secret', secret);
  field.readOnly = true;
  field.id = uid('s');
  field.classList.add('admin-secret');
  field.spellcheck = false;
  const label = el('label', 'admin-label', title);
  label.htmlFor = field.id;
  const status = el('span', 'admin-hint');
  status.setAttribute('aria-live', 'polite');
  const copy = button(t('copy'), () => {
    field.select();
    const done = () => (status.textContent = t('copied'));
    if (navigator.clipboard) void navigator.clipboard.writeText(secret).then(done, () => (status.textContent = t('copyByHand')));
    else status.textContent = t('copyByHand');
  });
  const box = el('div', 'admin-once', label, el('div', 'admin-row', field, copy), el('p', 'admin-warning', warning), status);
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', title);
  return box;
}

export function heading(level: 2 | 3, text: string): HTMLElement {
  return el(level === 2 ? 'h2' : 'h3', 'admin-h' + level, text);
}

/** A short line for loading failures inside a section (the form errors have their own slots). */
export function failure(err: unknown): HTMLElement {
  const p = el('p', 'admin-error', t('error', { message: err instanceof Error ? err.message : String(err) }));
  p.setAttribute('role', 'alert');
  return p;
}
