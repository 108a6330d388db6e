/**
 * Teams: create, rename, switch auto-assignment, delete, and choose the members. Membership is
 * stored on the agent (PUT /api/agents/:id {teams}), so saving members rewrites the teams of
 * exactly the agents whose membership changed.
 */
import { el } from '../dom.js';
import { formatDate } from '../i18n.js';
import type { PageContext } from '../page.js';
import { t } from './strings.js';
import type { AdminAgent, Team } from './types.js';
import { button, checkbox, deleteButton, failure, Form, heading, input, table, value } from './ui.js';

export function teamsSection(root: HTMLElement, ctx: PageContext): void {
  const listBox = el('div', 'admin-list');
  const editBox = el('div', 'admin-detail');
  let teams: Team[] = [];
  let agents: AdminAgent[] = [];

  const members = (teamId: string) => agents.filter((a) => a.teams.includes(teamId));

  async function load(): Promise<void> {
    try {
      const [tm, a] = await Promise.all([
        ctx.call<{ items: Team[] }>('GET', '/teams'),
        ctx.call<{ items: AdminAgent[] }>('GET', '/agents'),
      ]);
      teams = tm.items;
      agents = a.items;
      listBox.replaceChildren(
        table(
          t('teamsTable'),
          [
            { label: t('name'), cell: (r: Team) => r.name },
            { label: t('teamId'), cell: (r) => el('code', '', r.id) },
            { label: t('autoAssign'), cell: (r) => t(r.autoAssign ? 'yes' : 'no') },
            {
              label: t('members'),
              cell: (r) =>
                members(r.id)
                  .map((m) => m.name)
                  .join(', ') || '—',
            },
            { label: t('created'), cell: (r) => formatDate(r.createdAt) },
            {
              label: t('actions'),
              cell: (r) => {
                const edit = button(t('edit'), () => openTeam(r));
                edit.setAttribute('aria-label', t('editNamed', { name: r.name }));
                const del = deleteButton(ctx, t('deleteTeamQuestion'), '/teams/' + encodeURIComponent(r.id), async () => {
                  editBox.replaceChildren();
                  await load();
                });
                return el('span', 'admin-row', edit, del);
              },
            },
          ],
          teams,
          t('noTeams'),
        ),
      );
    } catch (err) {
      listBox.replaceChildren(failure(err));
    }
  }

  const create = new Form('admin-create', async (form) => {
    const data = new FormData(form.node);
    const name = value(data, 'name').trim();
    if (!name) form.fail('name', t('required'));
    await ctx.call('POST', '/teams', { name, autoAssign: data.get('autoAssign') === 'on' });
    form.node.reset();
    ctx.notice(t('teamCreated', { name }));
    await load();
  });
  create.field('name', t('name'), input('text', 'name'));
  create.append(checkbox('autoAssign', t('autoAssignHint')).node);
  create.actions(t('createTeam'));

  function openTeam(team: Team): void {
    const before = new Set(members(team.id).map((a) => a.id));
    const form = new Form('admin-edit', async (f) => {
      const data = new FormData(f.node);
      const name = value(data, 'name').trim();
      if (!name) f.fail('name', t('required'));
      await ctx.call('PUT', '/teams/' + encodeURIComponent(team.id), { name, autoAssign: data.get('autoAssign') === 'on' });
      const chosen = new Set(data.getAll('members').map(String));
      for (const agent of agents) {
        if (chosen.has(agent.id) === before.has(agent.id)) continue;
        const next = chosen.has(agent.id) ? [...agent.teams, team.id] : agent.teams.filter((x) => x !== team.id);
        try {
          await ctx.call('PUT', '/agents/' + encodeURIComponent(agent.id), { teams: next });
        } catch (err) {
          f.fail('members', agent.name + ' — ' + (err as Error).message);
        }
      }
      ctx.notice(t('saved'));
      editBox.replaceChildren();
      await load();
    });
    form.field('name', t('name'), input('text', 'name', team.name));
    form.append(checkbox('autoAssign', t('autoAssignHint'), team.autoAssign).node);
    form.group('members', t('members'), ...agents.map((a) => checkbox('members', a.name, before.has(a.id), a.id).node));
    form.actions(
      t('save'),
      button(t('cancel'), () => editBox.replaceChildren()),
    );
    editBox.replaceChildren(el('section', 'admin-panel', heading(2, t('editTeam', { name: team.name })), form.node));
    editBox.querySelector('input')?.focus();
  }

  root.append(
    el('section', 'admin-panel', heading(2, t('teamsList')), listBox),
    editBox,
    el('section', 'admin-panel', heading(2, t('newTeam')), create.node),
  );
  void load();
}
