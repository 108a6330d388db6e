import { el } from '../dom.js';
import { t } from './strings.js';

// The API's limits (src/api/conversations.ts: five fit one Discord row, 64 characters fit a Telegram
// button), checked here first so an agent learns what is wrong before anything is sent.
export const MAX_CHOICES = 5;
export const MAX_CHOICE_LABEL = 64;

let panels = 0;

interface Row {
  input: HTMLInputElement;
  label: HTMLLabelElement;
  remove: HTMLButtonElement;
  node: HTMLDivElement;
}

/**
 * The composer's quick-reply buttons: a toggle that opens a row of label inputs (up to five, each
 * removable) and a preview of what the customer will be offered. Enter in a label never sends the
 * reply (it adds the next button, or moves on); Escape empties a label, then removes it.
 * `leave` is where the focus goes when the last row is done with (the reply box).
 */
export function createQuickReplies(leave: () => void) {
  const n = ++panels;
  const toggle = el('button', 'conv-btn conv-qr-toggle');
  toggle.type = 'button';
  const panel = el('fieldset', 'conv-qr');
  panel.id = `conv-qr-${n}`;
  panel.hidden = true;
  toggle.setAttribute('aria-controls', panel.id);
  toggle.setAttribute('aria-expanded', 'false');
  const legend = el('legend', 'conv-qr-legend');
  const hint = el('p', 'conv-qr-hint');
  hint.id = `conv-qr-hint-${n}`;
  const list = el('div', 'conv-qr-list');
  const add = el('button', 'conv-btn conv-qr-add');
  add.type = 'button';
  const full = el('span', 'conv-qr-full');
  const offerLabel = el('span', 'conv-qr-offer-label');
  const offerChips = el('span', 'conv-qr-chips');
  const offer = el('p', 'conv-qr-offer', offerLabel, offerChips);
  const error = el('p', 'conv-qr-error');
  error.setAttribute('role', 'alert');
  panel.append(legend, hint, list, el('div', 'conv-qr-actions', add, full), offer, error);

  let rows: Row[] = [];
  /** The API's last refusal, kept until the labels change or the reply is sent again. */
  let refusal = '';

  function addRow(value = ''): void {
    if (rows.length >= MAX_CHOICES) return;
    const input = el('input', 'conv-qr-input');
    input.type = 'text';
    input.id = `conv-qr-${n}-${rows.length + 1}-${Date.now()}`;
    input.value = value;
    input.setAttribute('aria-describedby', hint.id);
    const label = el('label', 'conv-qr-num');
    label.htmlFor = input.id;
    const remove = el('button', 'conv-qr-remove', '×');
    remove.type = 'button';
    const row: Row = { input, label, remove, node: el('div', 'conv-qr-row', label, input, remove) };
    remove.addEventListener('click', () => removeRow(row));
    input.addEventListener('input', () => {
      refusal = '';
      check(false);
    });
    input.addEventListener('keydown', (e) => {
      if (e.isComposing || e.keyCode === 229) return;
      if (e.key === 'Enter') {
        // The form would send the reply on Enter here; a label is not the reply.
        e.preventDefault();
        const next = rows[rows.indexOf(row) + 1];
        if (next) next.input.focus();
        else if (rows.length < MAX_CHOICES && input.value.trim()) {
          addRow();
          rows.at(-1)!.input.focus();
        } else leave();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        if (input.value) {
          input.value = '';
          check(false);
        } else removeRow(row);
      }
    });
    rows.push(row);
    list.append(row.node);
    relabel();
  }

  function removeRow(row: Row): void {
    const at = rows.indexOf(row);
    rows = rows.filter((r) => r !== row);
    row.node.remove();
    if (!rows.length) {
      close();
      toggle.focus();
      return;
    }
    (rows[at] ?? rows[at - 1])!.input.focus();
    relabel();
    check(false);
  }

  function open(): void {
    panel.hidden = false;
    if (!rows.length) addRow();
    relabel();
    rows[0]!.input.focus();
  }

  function close(): void {
    rows = [];
    refusal = '';
    list.replaceChildren();
    error.textContent = '';
    panel.hidden = true;
    relabel();
  }

  toggle.addEventListener('click', () => (panel.hidden ? open() : close()));
  add.addEventListener('click', () => {
    addRow();
    rows.at(-1)?.input.focus();
  });

  /** Marks bad labels and says what is wrong with the first; empty labels count only when sending. */
  function check(sending: boolean): Row | null {
    let first: { row: Row; why: string } | null = null;
    rows.forEach((row, i) => {
      const len = row.input.value.trim().length;
      const why =
        len > MAX_CHOICE_LABEL
          ? t('quickReplyTooLong', { n: i + 1, count: len, max: MAX_CHOICE_LABEL })
          : sending && len === 0
            ? t('quickReplyEmpty', { n: i + 1 })
            : '';
      if (why) row.input.setAttribute('aria-invalid', 'true');
      else row.input.removeAttribute('aria-invalid');
      if (why && !first) first = { row, why };
    });
    const found = first as { row: Row; why: string } | null;
    error.textContent = found?.why ?? refusal;
    renderOffer();
    return found?.row ?? null;
  }

  function renderOffer(): void {
    const labels = rows.map((r) => r.input.value.trim()).filter((l) => l);
    offer.hidden = labels.length === 0;
    offerChips.replaceChildren(...labels.map((l) => el('span', 'conv-qr-chip', l)));
  }

  function relabel(): void {
    toggle.textContent = panel.hidden ? t('quickReplies') : t('quickRepliesRemove');
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
    legend.textContent = t('quickRepliesLegend');
    hint.textContent = t('quickRepliesHint', { max: MAX_CHOICES, len: MAX_CHOICE_LABEL });
    rows.forEach((row, i) => {
      row.label.textContent = t('quickReplyLabel', { n: i + 1 });
      row.remove.setAttribute('aria-label', t('quickReplyRemove', { n: i + 1 }));
    });
    add.textContent = t('quickReplyAdd');
    add.disabled = rows.length >= MAX_CHOICES;
    full.textContent = add.disabled ? t('quickRepliesFull', { max: MAX_CHOICES }) : '';
    offerLabel.textContent = t('quickRepliesOffer');
    if (!panel.hidden && error.textContent) check(false);
    else renderOffer();
  }

  return {
    toggle,
    panel,
    relabel,
    /** Hidden for notes (a note offers nothing) and translated replies; the labels wait for a plain reply. */
    setAvailable(available: boolean): void {
      toggle.hidden = !available;
      panel.classList.toggle('conv-qr-away', !available);
    },
    /** The labels to send, or null (with the reason shown and the bad label focused) if the API would refuse them. */
    take(): string[] | null {
      if (panel.hidden) return [];
      refusal = '';
      const bad = check(true);
      if (bad) {
        bad.input.focus();
        return null;
      }
      return rows.map((r) => r.input.value.trim());
    },
    /** The API's refusal, where the agent is looking. */
    refused(message: string): void {
      refusal = message;
      if (!panel.hidden) error.textContent = message;
    },
    clear: close,
  };
}
