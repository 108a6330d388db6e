/**
 * Agents: who works here, their role, teams and capacity; creating one shows its first token
 * once; each agent's tokens can be listed, revoked and reissued.
 */
import { el } from '../dom.js';
import { formatDateTime, formatNumber } from '../i18n.js';
import type { PageContext } from '../page.js';
import { t } from './strings.js';
import type { AdminAgent, Team, TokenInfo } from './types.js';
import { button, checkbox, confirmButton, failure, Form, heading, input, secretOnce, select, table, value } from './ui.js';

const roleOptions = (): [string, string][] => [
  ['agent', t('roleAgent')],
  ['admin', t('roleAdmin')],
];

const statusLabel = (s: AdminAgent['status']) => t(s === 'online' ? 'statusOnline' : s === 'busy' ? 'statusBusy' : 'statusOffline');

export function agentsSection(root: HTMLElement, ctx: PageContext): void {
  const listBox = el('div', 'admin-list');
  const createdBox = el('div', 'admin-created');
  const detailBox = el('div', 'admin-detail');
  let agents: AdminAgent[] = [];
  let teams: Team[] = [];
  let openId: string | null = null;

  const teamName = (id: string) => teams.find((x) => x.id === id)?.name ?? id;

  async function load(): Promise<void> {
    try {
      const [a, tm] = await Promise.all([
        ctx.call<{ items: AdminAgent[] }>('GET', '/agents'),
        ctx.call<{ items: Team[] }>('GET', '/teams'),
      ]);
      agents = a.items;
      teams = tm.items;
      listBox.replaceChildren(
        table(
          t('agentsTable'),
          [
            { label: t('name'), cell: (r: AdminAgent) => r.name },
            { label: t('role'), cell: (r) => t(r.role === 'admin' ? 'roleAdmin' : 'roleAgent') },
            { label: t('teams'), cell: (r) => r.teams.map(teamName).join(', ') || '—' },
            { label: t('capacity'), cell: (r) => formatNumber(r.capacity) },
            { label: t('openConversations'), cell: (r) => formatNumber(r.openConversations) },
            { label: t('status'), cell: (r) => el('span', 'admin-status admin-status-' + r.status, statusLabel(r.status)) },
            {
              label: t('actions'),
              cell: (r) => {
                const b = button(t('manage'), () => void openAgent(r.id));
                b.setAttribute('aria-label', t('manageNamed', { name: r.name }));
                return b;
              },
            },
          ],
          agents,
          t('noAgents'),
        ),
      );
      if (openId) await openAgent(openId, false);
    } catch (err) {
      listBox.replaceChildren(failure(err));
    }
  }

  const create = new Form('admin-create', async (form) => {
    const data = new FormData(form.node);
    const name = value(data, 'name').trim();
    if (!name) form.fail('name', t('required'));
    const made = await ctx.call<{ id: string; token: string }>('POST', '/agents', { name, role: data.get('role') });
    form.node.reset();
    createdBox.replaceChildren(secretOnce(t('tokenFor', { name }), made.token, t('tokenOnce')));
    createdBox.querySelector('input')?.focus();
    ctx.notice(t('agentCreated', { name }));
    await load();
  });
  create.field('name', t('name'), input('text', 'name'));
  create.field('role', t('role'), select('role', roleOptions(), 'agent'));
  create.actions(t('createAgent'));

  async function openAgent(id: string, focus = true): Promise<void> {
    const agent = agents.find((a) => a.id === id);
    if (!agent) {
      detailBox.replaceChildren();
      openId = null;
      return;
    }
    openId = id;
    const tokensBox = el('div', 'admin-tokens');
    const issuedBox = el('div', 'admin-created');
    const edit = new Form('admin-edit', async (form) => {
      const data = new FormData(form.node);
      const capacity = Number(data.get('capacity'));
      if (!Number.isInteger(capacity) || capacity < 0) form.fail('capacity', t('wholeNumber'));
      await ctx.call('PUT', '/agents/' + encodeURIComponent(id), {
        role: data.get('role'),
        capacity,
        teams: data.getAll('teams').map(String),
      });
      ctx.notice(t('saved'));
      await load();
    });
    edit.field('role', t('role'), select('role', roleOptions(), agent.role));
    const cap = input('number', 'capacity', String(agent.capacity));
    cap.min = '0';
    cap.max = '1000';
    cap.step = '1';
    edit.field('capacity', t('capacity'), cap, t('capacityHint'));
    edit.group(
      'teams',
      t('teams'),
      ...(teams.length
        ? teams.map((x) => checkbox('teams', x.name, agent.teams.includes(x.id), x.id).node)
        : [el('p', 'admin-hint', t('noTeamsYet'))]),
    );
    edit.actions(t('save'));

    const issue = new Form('admin-issue', async (form) => {
      const data = new FormData(form.node);
      const label = value(data, 'label').trim();
      const made = await ctx.call<{ token: string }>('POST', `/agents/${encodeURIComponent(id)}/tokens`, {
        ...(label ? { label } : {}),
        rotate: data.get('rotate') === 'on',
      });
      form.node.reset();
      issuedBox.replaceChildren(secretOnce(t('tokenFor', { name: agent.name }), made.token, t('tokenOnce')));
      issuedBox.querySelector('input')?.focus();
      await loadTokens();
    });
    issue.field('label', t('tokenLabel'), input('text', 'label'), t('optional'));
    issue.append(checkbox('rotate', t('rotateOthers')).node);
    issue.actions(t('issueToken'));

    async function loadTokens(): Promise<void> {
      try {
        const page = await ctx.call<{ items: TokenInfo[] }>('GET', `/agents/${encodeURIComponent(id)}/tokens`);
        const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');
        tokensBox.replaceChildren(
          table(
            t('tokensOf', { name: agent!.name }),
            [
              { label: t('tokenLabel'), cell: (r: TokenInfo) => r.label ?? '—' },
              { label: t('created'), cell: (r) => when(r.createdAt) },
              { label: t('lastUsed'), cell: (r) => when(r.lastUsedAt) },
              { label: t('expires'), cell: (r) => when(r.expiresAt) },
              {
                label: t('state'),
                cell: (r) => el('span', 'admin-state admin-state-' + r.state, t(('token_' + r.state) as 'token_active')),
              },
              {
                label: t('actions'),
                cell: (r) =>
                  r.state === 'active'
                    ? confirmButton(t('revoke'), t('revokeQuestion'), t('revokeYes'), async () => {
                        try {
                          await ctx.call('DELETE', `/agents/${encodeURIComponent(id)}/tokens/${encodeURIComponent(r.id)}`);
                          ctx.notice(t('revoked'));
                          await loadTokens();
                        } catch (err) {
                          ctx.notice((err as Error).message, true);
                          throw err;
                        }
                      })
                    : '—',
              },
            ],
            page.items,
            t('noTokens'),
          ),
        );
      } catch (err) {
        tokensBox.replaceChildren(failure(err));
      }
    }

    const close = button(t('close'), () => {
      openId = null;
      detailBox.replaceChildren();
    });
    detailBox.replaceChildren(
      el(
        'section',
        'admin-panel',
        el('div', 'admin-row admin-panel-head', heading(2, agent.name), close),
        heading(3, t('editAgent')),
        edit.node,
        heading(3, t('tokens')),
        tokensBox,
        issuedBox,
        issue.node,
      ),
    );
    await loadTokens();
    if (focus) detailBox.querySelector<HTMLElement>('h2')?.scrollIntoView({ block: 'nearest' });
    if (focus) (detailBox.querySelector('select') as HTMLElement | null)?.focus();
  }

  root.append(
    el('section', 'admin-panel', heading(2, t('agentsList')), listBox),
    detailBox,
    el('section', 'admin-panel', heading(2, t('newAgent')), create.node, createdBox),
  );
  void load();
}
