/** Routing rules: which hand-offs go to which team (keywords or a regular expression, optionally one channel), tried oldest first. */
import { el } from '../dom.js';
import { formatDate } from '../i18n.js';
import type { PageContext } from '../page.js';
import { t } from './strings.js';
import { CHANNELS, PRIORITIES, type RoutingRule, type Team } from './types.js';
import { deleteButton, failure, Form, heading, input, select, table, value } from './ui.js';

export const priorityLabel = (p: string) => t(('priority_' + p) as 'priority_normal');

export function routingSection(root: HTMLElement, ctx: PageContext): void {
  const listBox = el('div', 'admin-list');
  const formBox = el('div', '');
  let teams: Team[] = [];

  const teamName = (id: string) => teams.find((x) => x.id === id)?.name ?? id;

  async function load(): Promise<void> {
    try {
      const [rules, tm] = await Promise.all([
        ctx.call<{ items: RoutingRule[] }>('GET', '/routing-rules'),
        ctx.call<{ items: Team[] }>('GET', '/teams'),
      ]);
      const hadTeams = teams.length;
      teams = tm.items;
      if (!hadTeams || formBox.childElementCount === 0)
        formBox.replaceChildren(teams.length ? createForm() : el('p', 'admin-hint', t('needTeamFirst')));
      listBox.replaceChildren(
        table(
          t('rulesTable'),
          [
            {
              label: t('match'),
              cell: (r: RoutingRule) =>
                'regex' in r.match
                  ? el('span', '', el('span', 'admin-hint', t('matchRegex')), ' ', el('code', '', r.match.regex))
                  : el('span', '', el('span', 'admin-hint', t('matchKeywords')), ' ', r.match.keywords.join(', ')),
            },
            { label: t('channel'), cell: (r) => (r.channel ? t(('channel_' + r.channel) as 'channel_email') : t('anyChannel')) },
            { label: t('team'), cell: (r) => teamName(r.team) },
            { label: t('raisePriority'), cell: (r) => (r.priority ? priorityLabel(r.priority) : '—') },
            { label: t('created'), cell: (r) => formatDate(r.createdAt) },
            {
              label: t('actions'),
              cell: (r) => deleteButton(ctx, t('deleteRuleQuestion'), '/routing-rules/' + encodeURIComponent(r.id), load),
            },
          ],
          rules.items,
          t('noRules'),
        ),
      );
    } catch (err) {
      listBox.replaceChildren(failure(err));
    }
  }

  function createForm(): HTMLElement {
    const form = new Form('admin-create', async (f) => {
      const data = new FormData(f.node);
      const kind = data.get('kind');
      const text = value(data, 'match').trim();
      if (!text) f.fail('match', t('required'));
      const match =
        kind === 'regex'
          ? { regex: text }
          : {
              keywords: text
                .split(/[,，\n]/)
                .map((k) => k.trim())
                .filter(Boolean),
            };
      const channel = value(data, 'channel');
      const priority = value(data, 'priority');
      await ctx.call('POST', '/routing-rules', {
        match,
        team: data.get('team'),
        ...(channel ? { channel } : {}),
        ...(priority ? { priority } : {}),
      });
      f.node.reset();
      ctx.notice(t('ruleCreated'));
      await load();
    });
    form.field(
      'kind',
      t('matchKind'),
      select('kind', [
        ['keywords', t('matchKeywords')],
        ['regex', t('matchRegex')],
      ]),
    );
    form.field('match', t('match'), input('text', 'match'), t('matchHint'));
    form.field(
      'team',
      t('team'),
      select(
        'team',
        teams.map((x) => [x.id, x.name]),
      ),
    );
    form.field(
      'channel',
      t('channel'),
      select('channel', [['', t('anyChannel')], ...CHANNELS.map((c): [string, string] => [c, t(('channel_' + c) as 'channel_email')])]),
    );
    form.field(
      'priority',
      t('raisePriority'),
      select('priority', [['', t('keepPriority')], ...PRIORITIES.map((p): [string, string] => [p, priorityLabel(p)])]),
      t('raisePriorityHint'),
    );
    form.actions(t('createRule'));
    return form.node;
  }

  root.append(
    el('section', 'admin-panel', heading(2, t('rulesList')), el('p', 'admin-hint', t('rulesOrder')), listBox),
    el('section', 'admin-panel', heading(2, t('newRule')), formBox),
  );
  void load();
}
