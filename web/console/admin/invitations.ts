/**
 * Invitation rules (#/admin/invitations): widget.js invites a visitor to chat when a rule's page
 * pattern matches, after its seconds on the page and from its number of visits (see the README,
 * "Invitations"). List, add and delete; each message in English and Chinese.
 */
import { el } from '../dom.js';
import { defineStrings } from '../i18n.js';
import type { PageContext } from '../page.js';
import { checkbox, deleteButton, failure, Form, heading, input, table, textarea, value } from './ui.js';

const t = defineStrings(
  {
    list: 'Invitation rules',
    table: 'Invitation rules',
    none: 'No rules yet: visitors are only invited by hand, from the Visitors page.',
    pattern: 'Page',
    patternHint: 'Part of the page address (/products/), or a pattern where * stands for anything (/products/*).',
    minSeconds: 'Seconds on the page',
    minVisits: 'From visit number',
    messageEn: 'Message (English)',
    messageZh: 'Message (Chinese)',
    enabled: 'On',
    on: 'on',
    off: 'off',
    actions: 'Actions',
    add: 'New rule',
    create: 'Add rule',
    created: 'Rule added.',
    required: 'Required.',
    deleteQuestion: 'Delete this rule?',
  },
  {
    list: '邀请规则',
    table: '邀请规则',
    none: '暂无规则：只能在“访客”页面手动邀请访客。',
    pattern: '页面',
    patternHint: '页面地址的一部分（/products/），或用 * 代表任意内容的模式（/products/*）。',
    minSeconds: '停留秒数',
    minVisits: '从第几次访问起',
    messageEn: '消息（英文）',
    messageZh: '消息（中文）',
    enabled: '启用',
    on: '启用',
    off: '停用',
    actions: '操作',
    add: '新建规则',
    create: '添加规则',
    created: '规则已添加。',
    required: '必填。',
    deleteQuestion: '删除此规则？',
  },
);

interface Rule {
  id: string;
  pattern: string;
  minSeconds: number;
  minVisits: number;
  message: { en: string; zh: string };
  enabled: boolean;
}

export function invitationsSection(root: HTMLElement, ctx: PageContext): void {
  const listBox = el('div', 'admin-list');

  async function load(): Promise<void> {
    try {
      const rules = (await ctx.call<{ items: Rule[] }>('GET', '/invite-rules')).items;
      listBox.replaceChildren(
        table(
          t('table'),
          [
            { label: t('pattern'), cell: (r: Rule) => el('code', '', r.pattern) },
            { label: t('minSeconds'), cell: (r) => String(r.minSeconds) },
            { label: t('minVisits'), cell: (r) => String(r.minVisits) },
            { label: t('messageEn'), cell: (r) => el('span', 'admin-clip', r.message.en), className: 'admin-wide' },
            { label: t('messageZh'), cell: (r) => el('span', 'admin-clip', r.message.zh) },
            { label: t('enabled'), cell: (r) => (r.enabled ? t('on') : t('off')) },
            {
              label: t('actions'),
              cell: (r) => deleteButton(ctx, t('deleteQuestion'), '/invite-rules/' + encodeURIComponent(r.id), load),
            },
          ],
          rules,
          t('none'),
        ),
      );
    } catch (err) {
      listBox.replaceChildren(failure(err));
    }
  }

  const enabled = checkbox('enabled', t('enabled'), true);
  const form = new Form('admin-create', async (f) => {
    const data = new FormData(f.node);
    const body = {
      pattern: value(data, 'pattern'),
      minSeconds: Number(value(data, 'minSeconds') || 0),
      minVisits: Number(value(data, 'minVisits') || 1),
      message: { en: value(data, 'en'), zh: value(data, 'zh') },
      enabled: enabled.box.checked,
    };
    if (!body.pattern.trim()) f.fail('pattern', t('required'));
    if (!body.message.en.trim()) f.fail('en', t('required'));
    if (!body.message.zh.trim()) f.fail('zh', t('required'));
    await ctx.call('POST', '/invite-rules', body);
    ctx.notice(t('created'));
    f.node.reset();
    await load();
  });
  form.field('pattern', t('pattern'), input('text', 'pattern'), t('patternHint'));
  const seconds = input('number', 'minSeconds', '10');
  seconds.min = '0';
  seconds.max = '3600';
  form.field('minSeconds', t('minSeconds'), seconds);
  const visits = input('number', 'minVisits', '1');
  visits.min = '1';
  visits.max = '1000';
  form.field('minVisits', t('minVisits'), visits);
  form.field('en', t('messageEn'), textarea('en', '', 2));
  form.field('zh', t('messageZh'), textarea('zh', '', 2));
  form.append(enabled.node);
  form.actions(t('create'));

  root.append(el('section', 'admin-panel', heading(2, t('list')), listBox), el('section', 'admin-panel', heading(2, t('add')), form.node));
  void load();
}
