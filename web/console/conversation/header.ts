import { el } from '../dom.js';
import { formatDateTime } from '../i18n.js';
import { agentLabel, customerLabel } from '../names.js';
import type { PageContext } from '../page.js';
import { permissions } from './permissions.js';
import { t } from './strings.js';
import type { Detail, Priority } from './types.js';

const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];
let headers = 0;

interface Team {
  id: string;
  name: string;
}

/** Who the customer is, where the conversation stands, and the actions this agent may take on it. */
export function createHeader(
  ctx: PageContext,
  act: (label: () => string, method: string, path: string, body?: unknown) => Promise<boolean>,
  /** After a claim the Claim button goes away; the focus moves on to the composer, where the next step is. */
  afterClaim: () => void,
) {
  const title = el('h2', 'conv-title');
  const facts = el('div', 'conv-facts');
  const subject = el('div', 'conv-subject');
  const labelList = el('ul', 'conv-labels');
  const labelInput = el('input', 'conv-label-input');
  labelInput.maxLength = 50;
  const labelAdd = el('button', 'conv-btn');
  labelAdd.type = 'submit';
  const labelForm = el('form', 'conv-label-form', labelInput, labelAdd);
  const labelsRow = el('div', 'conv-labels-row', labelList);

  const button = (cls: string) => {
    const b = el('button', 'conv-btn ' + cls);
    b.type = 'button';
    return b;
  };
  const claim = button('conv-claim conv-primary');
  const release = button('conv-release');
  const resolve = button('conv-resolve');
  const priority = el('select', 'conv-priority');
  const priorityLabel = el('label', 'conv-field', el('span', ''), priority);
  const transferTo = el('select', 'conv-transfer-to');
  const transferLabel = el('label', 'conv-field', el('span', ''), transferTo);
  const transfer = button('conv-transfer');
  const teamSelect = el('select', 'conv-team');
  const teamLabel = el('label', 'conv-field', el('span', ''), teamSelect);
  const invite = button('conv-invite');
  const snoozeAt = el('input', 'conv-snooze-at');
  snoozeAt.type = 'datetime-local';
  const snoozeLabel = el('label', 'conv-field', el('span', ''), snoozeAt);
  const snooze = button('conv-snooze');
  const unsnooze = button('conv-unsnooze');
  // The less frequent tools wait behind "More…" (at every width), so the history keeps the height.
  const moreToggle = button('conv-more-toggle');
  const extra = el(
    'div',
    'conv-extra',
    priorityLabel,
    el('span', 'conv-group', transferLabel, transfer),
    el('span', 'conv-group', teamLabel, invite),
    el('span', 'conv-group', snoozeLabel, snooze, unsnooze),
    labelForm,
  );
  extra.id = `conv-extra-${++headers}`;
  moreToggle.setAttribute('aria-controls', extra.id);
  moreToggle.setAttribute('aria-expanded', 'false');
  const actions = el('div', 'conv-actions', claim, release, resolve, moreToggle, extra);
  const node = el('div', 'conv-head', el('div', 'conv-who', title, facts, subject, labelsRow), actions);
  moreToggle.addEventListener('click', () => {
    const open = !node.classList.contains('conv-more-open');
    node.classList.toggle('conv-more-open', open);
    moreToggle.setAttribute('aria-expanded', String(open));
  });

  let detail: Detail | null = null;
  let teams: Team[] = [];
  ctx
    .call<{ items: Team[] }>('GET', '/teams')
    .then((r) => {
      teams = r.items;
      if (detail) update(detail);
    })
    .catch(() => {
      // Without the team list the invite control stays empty; everything else works.
    });

  const id = () => encodeURIComponent(detail!.conversation.id);
  claim.addEventListener('click', () => {
    void act(() => t('claimed'), 'POST', `/conversations/${id()}/claim`).then((ok) => ok && afterClaim());
  });
  release.addEventListener('click', () => void act(() => t('released'), 'POST', `/conversations/${id()}/release`));
  resolve.addEventListener('click', () => void act(() => t('resolved'), 'POST', `/conversations/${id()}/resolve`));
  priority.addEventListener('change', () => {
    const p = priority.value;
    void act(() => t('prioritySet', { priority: t(`priority.${p as Priority}`) }), 'PATCH', `/conversations/${id()}`, { priority: p });
  });
  transfer.addEventListener('click', () => {
    const agentId = transferTo.value;
    if (agentId)
      void act(() => t('transferred', { name: agentLabel(ctx.agents, agentId) }), 'POST', `/conversations/${id()}/transfer`, { agentId });
  });
  invite.addEventListener('click', () => {
    if (teamSelect.value) void act(() => t('invited'), 'POST', `/conversations/${id()}/participants`, { teamId: teamSelect.value });
  });
  snooze.addEventListener('click', () => {
    const at = new Date(snoozeAt.value);
    if (!snoozeAt.value || Number.isNaN(at.getTime())) {
      snoozeAt.focus();
      return;
    }
    void act(() => t('snoozed'), 'POST', `/conversations/${id()}/snooze`, { until: at.toISOString() });
  });
  unsnooze.addEventListener('click', () => void act(() => t('unsnoozed'), 'DELETE', `/conversations/${id()}/snooze`));
  labelForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const label = labelInput.value.trim();
    if (!label) return;
    void act(() => t('labelAdded'), 'POST', `/conversations/${id()}/labels`, { label }).then((ok) => {
      if (ok) labelInput.value = '';
    });
  });

  function options(select: HTMLSelectElement, items: { value: string; label: string }[]): void {
    const chosen = select.value;
    select.replaceChildren(
      ...items.map((i) => {
        const o = el('option', '', i.label);
        o.value = i.value;
        return o;
      }),
    );
    if (items.some((i) => i.value === chosen)) select.value = chosen;
  }

  function update(d: Detail): void {
    detail = d;
    const c = d.conversation;
    const may = permissions(c, ctx.me);
    title.textContent = customerLabel(d.customer);
    const chips: HTMLElement[] = [
      el('span', 'conv-chip conv-channel', c.channel),
      el('span', `conv-chip conv-status conv-status-${c.status}`, t(`status.${c.status}`)),
      el(
        'span',
        'conv-chip conv-assignee',
        c.assigneeId ? t('assignedTo', { name: agentLabel(ctx.agents, c.assigneeId) }) : t('unassigned'),
      ),
      el('span', `conv-chip conv-prio conv-prio-${c.priority}`, t(`priority.${c.priority}`)),
    ];
    if (c.firstResponseDueAt)
      chips.push(
        c.overdue
          ? el('span', 'conv-chip conv-sla conv-overdue', t('slaOverdue', { time: formatDateTime(c.firstResponseDueAt) }))
          : el('span', 'conv-chip conv-sla', t('slaDue', { time: formatDateTime(c.firstResponseDueAt) })),
      );
    if (c.resolutionDueAt) chips.push(el('span', 'conv-chip conv-sla', t('resolutionDue', { time: formatDateTime(c.resolutionDueAt) })));
    if (c.snoozedUntil) chips.push(el('span', 'conv-chip conv-snoozed', t('snoozedUntil', { time: formatDateTime(c.snoozedUntil) })));
    if (c.csat != null) chips.push(el('span', 'conv-chip conv-csat', t('csatScore', { score: c.csat })));
    facts.replaceChildren(...chips);
    subject.textContent = c.subject ? t('subject', { subject: c.subject }) : '';
    subject.hidden = !c.subject;

    labelList.setAttribute('aria-label', t('labels'));
    labelList.replaceChildren(
      ...c.labels.map((label) => {
        const remove = button('conv-label-remove');
        remove.textContent = '×';
        remove.setAttribute('aria-label', t('removeLabel', { label }));
        remove.disabled = !may.tools;
        remove.addEventListener(
          'click',
          () => void act(() => t('labelRemoved'), 'DELETE', `/conversations/${id()}/labels/${encodeURIComponent(label)}`),
        );
        return el('li', 'conv-label', el('span', '', label), remove);
      }),
    );
    labelInput.placeholder = t('addLabel');
    labelInput.setAttribute('aria-label', t('addLabel'));
    labelAdd.textContent = t('addLabelButton');
    labelForm.hidden = !may.tools;

    moreToggle.textContent = t('moreActions');
    labelsRow.hidden = c.labels.length === 0;
    claim.textContent = t('claim');
    release.textContent = t('release');
    resolve.textContent = t('resolve');
    claim.disabled = !may.claim;
    release.disabled = !may.release;
    resolve.disabled = !may.resolve;
    claim.hidden = c.status !== 'queued';

    priorityLabel.firstElementChild!.textContent = t('priority');
    options(
      priority,
      PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) })),
    );
    priority.value = c.priority;
    priority.disabled = !may.tools;

    transferLabel.firstElementChild!.textContent = t('transferTo');
    options(
      transferTo,
      [...ctx.agents.values()]
        .filter((a) => a.id !== c.assigneeId)
        .map((a) => ({ value: a.id, label: a.id === ctx.me.id ? t('me', { name: a.name }) : a.name })),
    );
    transfer.textContent = t('transfer');
    transfer.disabled = !may.transfer || transferTo.options.length === 0;
    transferTo.disabled = !may.transfer;

    teamLabel.firstElementChild!.textContent = t('inviteTeam');
    options(
      teamSelect,
      teams.map((tm) => ({ value: tm.id, label: tm.name })),
    );
    invite.textContent = t('invite');
    teamLabel.parentElement!.hidden = teams.length === 0;
    invite.disabled = !may.tools;

    snoozeLabel.firstElementChild!.textContent = t('snoozeUntil');
    snooze.textContent = t('snooze');
    unsnooze.textContent = t('unsnooze');
    snooze.disabled = !may.snooze;
    snoozeAt.disabled = !may.snooze;
    unsnooze.hidden = !c.snoozedUntil;
    if (!snoozeAt.value) snoozeAt.value = localInputValue(Date.now() + 3_600_000);
  }

  return {
    node,
    update,
    claimButton: claim,
    resolveButton: resolve,
  };
}

/** A time as a datetime-local input wants it, in the browser's time zone. */
function localInputValue(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
