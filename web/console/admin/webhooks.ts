/** Webhooks: where events are POSTed, the signing secret shown once (on create and on rotate), and each one's delivery log. */
import { el } from '../dom.js';
import { formatDateTime, formatNumber } from '../i18n.js';
import type { PageContext } from '../page.js';
import { t, type AdminKey } from './strings.js';
import { EVENT_TYPES, type Delivery, type Webhook } from './types.js';
import { button, checkbox, confirmButton, deleteButton, failure, Form, heading, input, secretOnce, table, value } from './ui.js';

export function webhooksSection(root: HTMLElement, ctx: PageContext): void {
  const listBox = el('div', 'admin-list');
  const secretBox = el('div', 'admin-created');
  const deliveriesBox = el('div', 'admin-detail');

  const showSecret = (url: string, secret: string) => {
    secretBox.replaceChildren(secretOnce(t('secretFor', { url }), secret, t('secretOnce')));
    secretBox.querySelector('input')?.focus();
  };

  async function load(): Promise<void> {
    try {
      const page = await ctx.call<{ items: Webhook[] }>('GET', '/webhooks');
      listBox.replaceChildren(
        table(
          t('webhooksTable'),
          [
            { label: t('url'), cell: (r: Webhook) => el('span', 'admin-break', r.url), className: 'admin-wide' },
            { label: t('events'), cell: (r) => (r.events.includes('*') ? t('allEvents') : r.events.join(', ')) },
            { label: t('created'), cell: (r) => formatDateTime(r.createdAt) },
            { label: t('secretRotated'), cell: (r) => (r.secretRotatedAt ? formatDateTime(r.secretRotatedAt) : '—') },
            {
              label: t('actions'),
              cell: (r) => {
                const log = button(t('deliveries'), () => void showDeliveries(r));
                log.setAttribute('aria-label', t('deliveriesOf', { url: r.url }));
                const rotate = confirmButton(t('rotateSecret'), t('rotateQuestion'), t('rotateYes'), async () => {
                  try {
                    const made = await ctx.call<{ secret: string }>('POST', `/webhooks/${encodeURIComponent(r.id)}/rotate-secret`);
                    await load();
                    showSecret(r.url, made.secret);
                  } catch (err) {
                    ctx.notice((err as Error).message, true);
                    throw err;
                  }
                });
                const del = deleteButton(ctx, t('deleteWebhookQuestion'), '/webhooks/' + encodeURIComponent(r.id), async () => {
                  deliveriesBox.replaceChildren();
                  await load();
                });
                return el('span', 'admin-row', log, rotate, del);
              },
            },
          ],
          page.items,
          t('noWebhooks'),
        ),
      );
    } catch (err) {
      listBox.replaceChildren(failure(err));
    }
  }

  async function showDeliveries(w: Webhook, cursor: string | null = null, shown: Delivery[] = []): Promise<void> {
    try {
      const page = await ctx.call<{ items: Delivery[]; nextCursor: string | null }>(
        'GET',
        `/webhooks/${encodeURIComponent(w.id)}/deliveries?limit=50` + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''),
      );
      const rows = [...shown, ...page.items];
      const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');
      const more = page.nextCursor ? button(t('more'), () => void showDeliveries(w, page.nextCursor, rows)) : null;
      deliveriesBox.replaceChildren(
        el(
          'section',
          'admin-panel',
          el(
            'div',
            'admin-row admin-panel-head',
            heading(2, t('deliveriesOf', { url: w.url })),
            button(t('close'), () => deliveriesBox.replaceChildren()),
          ),
          table(
            t('deliveries'),
            [
              { label: t('event'), cell: (r: Delivery) => `${r.eventType} #${r.eventId}` },
              {
                label: t('status'),
                cell: (r) => el('span', 'admin-state admin-delivery-' + r.status, t(('delivery_' + r.status) as AdminKey)),
              },
              { label: t('attempts'), cell: (r) => formatNumber(r.attempts) },
              { label: t('response'), cell: (r) => (r.lastStatusCode === null ? '—' : String(r.lastStatusCode)) },
              { label: t('lastError'), cell: (r) => r.lastError ?? '—' },
              { label: t('created'), cell: (r) => when(r.createdAt) },
              { label: t('deliveredOrNext'), cell: (r) => when(r.deliveredAt ?? r.nextAttemptAt) },
            ],
            rows,
            t('noDeliveries'),
          ),
          more,
        ),
      );
    } catch (err) {
      deliveriesBox.replaceChildren(failure(err));
    }
  }

  const create = new Form('admin-create', async (f) => {
    const data = new FormData(f.node);
    const url = value(data, 'url').trim();
    if (!url) f.fail('url', t('required'));
    const events = data.get('all') === 'on' ? '*' : data.getAll('events').map(String);
    if (events.length === 0) f.fail('events', t('pickEvents'));
    const made = await ctx.call<Webhook & { secret: string }>('POST', '/webhooks', { url, events });
    f.node.reset();
    syncAll();
    ctx.notice(t('webhookCreated'));
    await load();
    showSecret(made.url, made.secret);
  });
  const url = input('url', 'url');
  url.placeholder = 'https://example.com/hooks/switchboard';
  create.field('url', t('url'), url, t('urlHint'));
  const all = checkbox('all', t('allEvents'));
  const boxes = EVENT_TYPES.map((e) => checkbox('events', e, false, e));
  const syncAll = () => {
    for (const b of boxes) b.box.disabled = all.box.checked;
  };
  all.box.addEventListener('change', syncAll);
  create.group('events', t('events'), all.node, el('div', 'admin-checks', ...boxes.map((b) => b.node)));
  create.actions(t('createWebhook'));

  root.append(
    el('section', 'admin-panel', heading(2, t('webhooksList')), listBox, secretBox),
    deliveriesBox,
    el('section', 'admin-panel', heading(2, t('newWebhook')), create.node),
  );
  void load();
}
