import { el } from '../dom.js';
import { formatDate, formatDateTime } from '../i18n.js';
import { customerLabel } from '../names.js';
import type { LiveEvent, PageContext } from '../page.js';
import { confirmDialog, mergeSection } from './merge.js';
import { channelName, t } from './strings.js';
import type { CustomerResponse, Identity, PastConversation } from './types.js';

type StatusKey = 'status_bot' | 'status_queued' | 'status_assigned' | 'status_resolved' | 'status_closed' | 'status_snoozed';
type ChannelKey = 'webchat' | 'telegram' | 'discord' | 'email';
const CHANNEL_MARK: Record<string, string> = { webchat: 'W', telegram: 'T', discord: 'D', email: '@' };

const channel = (c: string) => (c in CHANNEL_MARK ? channelName(c as ChannelKey) : c);
const status = (s: string) => t(('status_' + s) as StatusKey);

function channelIcon(c: string): HTMLElement {
  const icon = el('span', 'cust-ch cust-ch-' + (c in CHANNEL_MARK ? c : 'other'), CHANNEL_MARK[c] ?? '?');
  icon.setAttribute('aria-hidden', 'true');
  return icon;
}

function handleOf(i: Identity): string {
  if (i.displayName && i.username) return `${i.displayName} (@${i.username})`;
  if (i.displayName || i.username) return i.displayName || '@' + i.username;
  // A web-chat id is a long random session id: its start tells two sessions apart, the rest is noise.
  return i.channel === 'webchat' ? t('session', { id: i.channelUserId.slice(0, 8) }) : i.channelUserId;
}

function section(title: string, ...children: (Node | string)[]): HTMLElement {
  return el('section', 'cust-section', el('h3', 'cust-h', title), ...children);
}

function button(text: string, className = 'cust-button'): HTMLButtonElement {
  const b = el('button', className, text);
  b.type = 'button';
  return b;
}

/** The customer beside a conversation: identities, tier, labels, past conversations, CSAT; merge and split. */
export function mountCustomerPanel(root: HTMLElement, customerId: string, ctx: PageContext): { refresh(): void; unmount(): void } {
  let id = customerId;
  let data: CustomerResponse | null = null;
  let error = '';
  let editingName = false;
  let merge: { el: HTMLDetailsElement; key: string } | null = null;
  let asked = 0;
  let gone = false;
  const panel = el('aside', 'cust-panel');
  panel.setAttribute('aria-label', t('panel'));
  root.replaceChildren(panel);

  async function refresh(): Promise<void> {
    const mine = ++asked;
    try {
      const body = await ctx.call<CustomerResponse>('GET', '/customers/' + encodeURIComponent(id));
      if (mine !== asked || gone) return;
      // Merged into another since the conversation was opened: show the one it became.
      if (body.customer.mergedInto && body.customer.mergedInto !== id) {
        id = body.customer.mergedInto;
        return refresh();
      }
      data = body;
      error = '';
    } catch (err) {
      if (mine !== asked || gone) return;
      error = t('loadFailed', { error: (err as Error).message });
    }
    render();
  }

  async function patch(body: Record<string, unknown>): Promise<boolean> {
    try {
      await ctx.call('PATCH', '/customers/' + encodeURIComponent(id), body);
      ctx.notice(t('saved'));
      await refresh();
      return true;
    } catch (err) {
      ctx.notice((err as Error).message, true);
      return false;
    }
  }

  function header(d: CustomerResponse): HTMLElement {
    const c = d.customer;
    const name = customerLabel(c);
    if (editingName && !c.erased) {
      const input = el('input', 'cust-input');
      input.id = 'cust-name';
      input.defaultValue = c.displayName ?? '';
      input.maxLength = 200;
      const label = el('label', 'cust-label', t('name'));
      label.htmlFor = input.id;
      const save = el('button', 'cust-button cust-primary', t('save'));
      save.type = 'submit';
      const cancel = button(t('cancel'));
      const form = el('form', 'cust-name-form', label, input, el('div', 'cust-row', cancel, save));
      cancel.addEventListener('click', () => {
        editingName = false;
        render();
      });
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const v = input.value.trim();
        if (await patch({ displayName: v || null })) editingName = false;
        render();
      });
      queueMicrotask(() => input.focus());
      return form;
    }
    const heading = el('h2', 'cust-name', name);
    heading.id = 'cust-name-' + c.id;
    const head = el('div', 'cust-head', heading);
    if (!c.erased) {
      const edit = button(t('editName'), 'cust-button cust-small');
      edit.addEventListener('click', () => {
        editingName = true;
        render();
      });
      head.append(edit);
    }
    return head;
  }

  function facts(d: CustomerResponse): HTMLElement {
    const c = d.customer;
    const list = el('dl', 'cust-facts');
    const add = (term: string, value: Node | string) => list.append(el('dt', '', term), el('dd', '', value));
    if (ctx.me.role === 'admin' && !c.erased) {
      const tier = el('select', 'cust-select');
      tier.id = 'cust-tier';
      for (const v of ['standard', 'vip'] as const) {
        const o = el('option', '', t(v));
        o.value = v;
        tier.append(o);
      }
      tier.value = c.tier;
      tier.addEventListener('change', () => void patch({ tier: tier.value }));
      const label = el('label', '', t('tier'));
      label.htmlFor = tier.id;
      list.append(el('dt', '', label), el('dd', '', tier));
    } else add(t('tier'), el('span', 'cust-tier cust-tier-' + c.tier, t(c.tier)));
    add(t('email'), c.email ?? t('none'));
    add(t('locale'), c.locale ?? t('none'));
    add(t('since'), formatDate(c.createdAt));
    return list;
  }

  function identities(d: CustomerResponse): HTMLElement {
    const list = el('ul', 'cust-identities');
    for (const i of d.customer.identities) {
      const handle = handleOf(i);
      const li = el(
        'li',
        'cust-identity',
        channelIcon(i.channel),
        el('span', 'cust-grow', el('span', 'cust-strong', channel(i.channel)), ' ', el('span', 'cust-handle', handle)),
      );
      li.dataset.channel = i.channel;
      if (i.mergedFrom && !d.customer.erased) {
        const split = button(t('split'), 'cust-button cust-small');
        const vars = { handle, channel: channel(i.channel) };
        split.setAttribute('aria-label', t('splitLabel', vars));
        split.addEventListener('click', async () => {
          if (!(await confirmDialog(t('splitLabel', vars), t('splitConfirm', vars), t('split')))) return;
          try {
            await ctx.call('POST', `/customers/${encodeURIComponent(id)}/split`, { identityId: i.id });
            ctx.notice(t('splitDone', { handle }));
            await refresh();
          } catch (err) {
            ctx.notice((err as Error).message, true);
          }
        });
        li.append(split);
      }
      list.append(li);
    }
    return section(t('identities'), list);
  }

  function notes(d: CustomerResponse): HTMLElement {
    const area = el('textarea', 'cust-notes');
    area.id = 'cust-notes';
    area.rows = 3;
    area.maxLength = 4000;
    area.defaultValue = d.customer.notes ?? '';
    const label = el('label', 'cust-h', t('notes'));
    label.htmlFor = area.id;
    const save = button(t('saveNotes'), 'cust-button cust-small');
    save.addEventListener('click', () => void patch({ notes: area.value.trim() || null }));
    return el('section', 'cust-section', label, area, el('div', 'cust-row', save));
  }

  function labels(d: CustomerResponse): HTMLElement {
    const all = [...new Set(d.conversations.flatMap((c) => c.labels))].sort();
    const list = el('ul', 'cust-labels', ...all.map((l) => el('li', 'cust-label-chip', l)));
    return section(t('labels'), all.length ? list : el('p', 'cust-muted', t('noLabels')));
  }

  function link(c: PastConversation, ...content: (Node | string)[]): HTMLElement {
    if (!c.visible) return el('span', 'cust-grow', ...content, el('span', 'cust-muted', ' · ' + t('notVisible')));
    const a = el('a', 'cust-link cust-grow', ...content);
    a.href = '#/c/' + encodeURIComponent(c.id);
    a.setAttribute('aria-label', t('open', { subject: c.subject ?? channel(c.channel) + ', ' + formatDateTime(c.lastMessageAt) }));
    a.addEventListener('click', (e) => {
      e.preventDefault();
      ctx.navigate('#/c/' + c.id);
    });
    return a;
  }

  function conversations(d: CustomerResponse): HTMLElement {
    if (!d.conversations.length) return section(t('conversations'), el('p', 'cust-muted', t('noConversations')));
    const list = el('ul', 'cust-convs');
    for (const c of d.conversations) {
      const li = el(
        'li',
        'cust-conv',
        channelIcon(c.channel),
        link(
          c,
          el(
            'span',
            'cust-conv-line',
            el('span', 'cust-strong', c.subject ?? channel(c.channel)),
            el('span', 'cust-status cust-status-' + c.status, status(c.status)),
          ),
          el('span', 'cust-muted cust-conv-date', formatDateTime(c.lastMessageAt)),
        ),
      );
      li.dataset.id = c.id;
      li.dataset.channel = c.channel;
      list.append(li);
    }
    const out = section(t('conversations'), list);
    if (d.conversationsTruncated) out.append(el('p', 'cust-muted', t('truncated')));
    return out;
  }

  function csat(d: CustomerResponse): HTMLElement {
    const rated = d.conversations.filter((c) => c.csat !== null);
    if (!rated.length) return section(t('csat'), el('p', 'cust-muted', t('noCsat')));
    const list = el('ul', 'cust-csat');
    for (const c of rated) {
      const stars = el('span', 'cust-stars', '★'.repeat(c.csat!) + '☆'.repeat(5 - c.csat!));
      stars.setAttribute('aria-hidden', 'true');
      const li = el(
        'li',
        'cust-csat-row',
        stars,
        el('span', 'cust-strong', t('rating', { score: c.csat! })),
        link(c, el('span', 'cust-muted', channel(c.channel) + ' · ' + formatDate(c.resolvedAt ?? c.lastMessageAt))),
      );
      li.dataset.score = String(c.csat);
      list.append(li);
    }
    return section(t('csat'), list);
  }

  function render(): void {
    if (gone) return;
    // A refresh may come from the live stream while the agent types: keep their text and focus.
    const focused = panel.contains(document.activeElement) ? document.activeElement?.id : undefined;
    const typed = new Map(
      [...panel.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('#cust-name, #cust-notes')]
        .filter((f) => f.value !== f.defaultValue)
        .map((f) => [f.id, f.value]),
    );
    panel.setAttribute('aria-label', t('panel'));
    if (error && !data) {
      panel.replaceChildren(el('p', 'cust-error', error));
      return;
    }
    if (!data) {
      panel.replaceChildren(el('p', 'cust-muted', t('loading')));
      return;
    }
    const d = data;
    panel.dataset.customerId = d.customer.id;
    const parts: HTMLElement[] = [header(d), facts(d)];
    if (d.customer.erased) parts.push(el('p', 'cust-muted', t('erased')));
    parts.push(identities(d));
    if (!d.customer.erased) parts.push(notes(d));
    parts.push(labels(d), conversations(d), csat(d));
    if (!d.customer.erased) {
      const key = d.customer.id + ':' + t('merge');
      if (merge?.key !== key) {
        merge = {
          key,
          el: mergeSection(
            () => data!.customer,
            ctx,
            () => void refresh(),
          ),
        };
      }
      parts.push(merge.el);
    }
    if (error) parts.unshift(el('p', 'cust-error', error));
    panel.replaceChildren(...parts);
    for (const [fieldId, value] of typed) {
      const f = panel.querySelector<HTMLInputElement | HTMLTextAreaElement>('#' + fieldId);
      if (f) f.value = value;
    }
    if (focused) panel.querySelector<HTMLElement>('#' + CSS.escape(focused))?.focus();
  }

  // A change to this customer (edit, merge, split) or to one of its conversations (status, CSAT, labels).
  let pending: ReturnType<typeof setTimeout> | undefined;
  const onEvent = (e: LiveEvent) => {
    const mineCustomer = e.type === 'customer' && (e.data.customerId === id || e.data.otherCustomerId === id);
    const mineConversation = data?.conversations.some((c) => c.id === e.data.conversationId) ?? false;
    if (!mineCustomer && !mineConversation) return;
    clearTimeout(pending);
    pending = setTimeout(() => void refresh(), 150);
  };
  const unsubscribe = ctx.onEvent(onEvent);
  const onLocale = () => render();
  window.addEventListener('localechange', onLocale);
  render();
  void refresh();

  return {
    refresh: () => void refresh(),
    unmount() {
      gone = true;
      clearTimeout(pending);
      unsubscribe();
      window.removeEventListener('localechange', onLocale);
      root.replaceChildren();
    },
  };
}
