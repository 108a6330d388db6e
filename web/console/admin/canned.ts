/**
 * Canned responses: every one, for everyone or for one team, in one language or any. The API lists
 * by scope (global, or one team's), so the page reads each scope and shows them together.
 */
import { el } from '../dom.js';
import { formatDateTime } from '../i18n.js';
import { agentLabel } from '../names.js';
import type { PageContext } from '../page.js';
import { t } from './strings.js';
import { CANNED_PLACEHOLDERS, type Canned, type Team } from './types.js';
import { button, deleteButton, failure, Form, heading, input, select, table, textarea, value } from './ui.js';

const PAGE = 200;
/** A guard against an endless cursor chain; a thousand per scope is far more than anyone keeps. */
const MAX_PAGES = 5;

export function cannedSection(root: HTMLElement, ctx: PageContext): void {
  const listBox = el('div', 'admin-list');
  const editBox = el('div', 'admin-detail');
  const createBox = el('div', '');
  let teams: Team[] = [];

  const scopeLabel = (teamId: string | null) => (teamId ? (teams.find((x) => x.id === teamId)?.name ?? teamId) : t('everyone'));
  const localeLabel = (l: string | null) => (l === 'en' ? t('langEn') : l === 'zh' ? t('langZh') : t('anyLanguage'));

  async function scope(teamId: string): Promise<Canned[]> {
    const out: Canned[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < MAX_PAGES; i++) {
      const q: string = `?limit=${PAGE}&teamId=${encodeURIComponent(teamId)}` + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
      const page: { items: Canned[]; nextCursor: string | null } = await ctx.call('GET', '/canned' + q);
      out.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return out;
  }

  async function load(): Promise<void> {
    try {
      teams = (await ctx.call<{ items: Team[] }>('GET', '/teams')).items;
      const all = (await Promise.all(['', ...teams.map((x) => x.id)].map(scope))).flat();
      all.sort((a, b) => a.shortcut.localeCompare(b.shortcut) || (a.teamId ?? '').localeCompare(b.teamId ?? ''));
      if (createBox.childElementCount === 0) createBox.replaceChildren(cannedForm(null));
      listBox.replaceChildren(
        table(
          t('cannedTable'),
          [
            { label: t('shortcut'), cell: (r: Canned) => el('code', '', '/' + r.shortcut) },
            { label: t('text'), cell: (r) => el('span', 'admin-clip', r.text), className: 'admin-wide' },
            { label: t('language'), cell: (r) => localeLabel(r.locale) },
            { label: t('scope'), cell: (r) => scopeLabel(r.teamId) },
            { label: t('owner'), cell: (r) => agentLabel(ctx.agents, r.ownerId) },
            { label: t('updated'), cell: (r) => formatDateTime(r.updatedAt) },
            {
              label: t('actions'),
              cell: (r) => {
                const edit = button(t('edit'), () => {
                  editBox.replaceChildren(
                    el('section', 'admin-panel', heading(2, t('editCanned', { shortcut: r.shortcut })), cannedForm(r)),
                  );
                  editBox.querySelector('input')?.focus();
                });
                edit.setAttribute('aria-label', t('editNamed', { name: '/' + r.shortcut }));
                const del = deleteButton(ctx, t('deleteCannedQuestion'), '/canned/' + encodeURIComponent(r.id), async () => {
                  editBox.replaceChildren();
                  await load();
                });
                return el('span', 'admin-row', edit, del);
              },
            },
          ],
          all,
          t('noCanned'),
        ),
      );
    } catch (err) {
      listBox.replaceChildren(failure(err));
    }
  }

  /** The create form (`row` null) or the edit form of one response. */
  function cannedForm(row: Canned | null): HTMLElement {
    const text = textarea('text', row?.text ?? '', 4);
    const form = new Form(row ? 'admin-edit' : 'admin-create', async (f) => {
      const data = new FormData(f.node);
      const body = {
        shortcut: value(data, 'shortcut').replace(/^\//, ''),
        text: value(data, 'text'),
        locale: data.get('locale') || null,
        teamId: data.get('teamId') || null,
      };
      if (!body.shortcut.trim()) f.fail('shortcut', t('required'));
      if (!body.text.trim()) f.fail('text', t('required'));
      if (row) await ctx.call('PUT', '/canned/' + encodeURIComponent(row.id), body);
      else await ctx.call('POST', '/canned', body);
      ctx.notice(row ? t('saved') : t('cannedCreated', { shortcut: body.shortcut }));
      if (row) editBox.replaceChildren();
      else f.node.reset();
      await load();
    });
    form.field('shortcut', t('shortcut'), input('text', 'shortcut', row?.shortcut ?? ''), t('shortcutHint'));
    form.field('text', t('text'), text);
    // Buttons that insert a placeholder where the cursor is: the list of what exists, and a way to type it right.
    const chips = CANNED_PLACEHOLDERS.map((p) => {
      const token = `{{${p}}}`;
      const b = button(
        token,
        () => {
          const at = text.selectionStart ?? text.value.length;
          text.setRangeText(token, at, text.selectionEnd ?? at, 'end');
          text.focus();
        },
        'chip',
      );
      b.setAttribute('aria-label', t('insertPlaceholder', { name: token }));
      b.title = t(('ph_' + p.replace('.', '_')) as 'ph_customer_name');
      return el('li', '', b, ' ', el('span', 'admin-hint', t(('ph_' + p.replace('.', '_')) as 'ph_customer_name')));
    });
    form.append(el('div', 'admin-placeholders', el('p', 'admin-hint', t('placeholdersIntro')), el('ul', 'admin-chips', ...chips)));
    form.field(
      'locale',
      t('language'),
      select(
        'locale',
        [
          ['', t('anyLanguage')],
          ['en', t('langEn')],
          ['zh', t('langZh')],
        ],
        row?.locale ?? '',
      ),
    );
    form.field(
      'teamId',
      t('scope'),
      select('teamId', [['', t('everyone')], ...teams.map((x): [string, string] => [x.id, x.name])], row?.teamId ?? ''),
    );
    form.actions(row ? t('save') : t('createCanned'), ...(row ? [button(t('cancel'), () => editBox.replaceChildren())] : []));
    return form.node;
  }

  root.append(
    el('section', 'admin-panel', heading(2, t('cannedList')), listBox),
    editBox,
    el('section', 'admin-panel', heading(2, t('newCanned')), createBox),
  );
  void load();
}
