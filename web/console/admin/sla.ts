/**
 * Business hours and SLA targets (GET/PUT /api/settings/sla). The API speaks the BUSINESS_HOURS
 * text (`mon-fri 09:00-18:00; sat 10:00-14:00`); the page shows one row per weekday and writes
 * the text back, so an admin never has to learn the syntax. The server checks every value.
 */
import { el } from '../dom.js';
import { formatDate, formatDateTime, formatDuration } from '../i18n.js';
import { agentLabel } from '../names.js';
import type { PageContext } from '../page.js';
import { priorityLabel } from './routing.js';
import { t, type AdminKey } from './strings.js';
import { PRIORITIES, type Priority, type SlaPolicy, type SlaSettings } from './types.js';
import { button, checkbox, failure, Form, heading, input, value } from './ui.js';

/** Monday first, as people read a working week; the API's own names. */
const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const CALENDAR = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** The stored text → ranges text per day (`09:00-12:00, 13:00-18:00`); the server validated it, so this only splits. */
export function hoursByDay(text: string): Record<(typeof WEEK)[number], string> {
  const out = Object.fromEntries(WEEK.map((d) => [d, [] as string[]])) as Record<(typeof WEEK)[number], string[]>;
  for (const clause of text.split(';').map((c) => c.trim())) {
    const m = /^(\S+)\s+(.+)$/.exec(clause);
    if (!m) continue;
    const ranges = m[2]!.split(',').map((r) => r.trim());
    for (const part of m[1]!.toLowerCase().split(',')) {
      const [from, to] = part.trim().split('-');
      const a = CALENDAR.indexOf(from as (typeof CALENDAR)[number]);
      const b = to === undefined ? a : CALENDAR.indexOf(to as (typeof CALENDAR)[number]);
      if (a < 0 || b < 0) continue;
      // A span may wrap the week's end (fri-mon), as the server reads it.
      for (let d = a; ; d = (d + 1) % 7) {
        out[CALENDAR[d]!].push(...ranges);
        if (d === b) break;
      }
    }
  }
  return Object.fromEntries(WEEK.map((d) => [d, out[d].join(', ')])) as Record<(typeof WEEK)[number], string>;
}

/** YYYY-MM-DD as that day in the browser's zone, so formatting never shifts it by a time zone. */
const localDay = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(y!, m! - 1, d);
};

function zones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

export function slaSection(root: HTMLElement, ctx: PageContext): void {
  const statusBox = el('div', 'admin-sla-status');
  const formBox = el('div', '');

  async function load(): Promise<void> {
    try {
      const policy = await ctx.call<SlaPolicy>('GET', '/settings/sla');
      showStatus(policy);
      formBox.replaceChildren(settingsForm(policy.settings));
    } catch (err) {
      formBox.replaceChildren(failure(err));
    }
  }

  function showStatus(p: SlaPolicy): void {
    statusBox.replaceChildren(
      el(
        'p',
        'admin-hint',
        p.openNow ? t('openNow') : t('closedUntil', { at: formatDateTime(p.nextOpening) }),
        ' · ',
        p.source === 'database' && p.updatedAt
          ? t('setBy', { name: agentLabel(ctx.agents, p.updatedBy), at: formatDateTime(p.updatedAt) })
          : t('fromEnvironment'),
      ),
    );
  }

  function settingsForm(s: SlaSettings): HTMLElement {
    const holidays = [...s.holidays];
    const form = new Form('admin-sla', async (f) => {
      const data = new FormData(f.node);
      const around = data.get('around') === 'on';
      const hours = around
        ? ''
        : WEEK.map((d) => [d, value(data, 'day-' + d).trim()] as const)
            .filter(([, ranges]) => ranges)
            .map(([d, ranges]) => `${d} ${ranges.replace(/\s*[,，]\s*/g, ',').replace(/\s*[-–]\s*/g, '-')}`)
            .join('; ');
      if (!around && !hours) f.fail('businessHours', t('noHours'));
      const targets = {} as Record<Priority, { firstResponseMinutes: number; resolutionMinutes: number }>;
      for (const p of PRIORITIES) {
        const first = Number(data.get(`first-${p}`));
        const resolution = Number(data.get(`resolution-${p}`));
        if (!(first > 0) || !(resolution > 0)) f.fail('targets', t('targetPositive', { priority: priorityLabel(p) }));
        targets[p] = { firstResponseMinutes: first, resolutionMinutes: resolution };
      }
      const saved = await ctx.call<SlaPolicy>('PUT', '/settings/sla', {
        timeZone: value(data, 'timeZone').trim(),
        businessHours: hours,
        holidays,
        targets,
      });
      ctx.notice(t('saved'));
      showStatus(saved);
    });

    const zone = input('text', 'timeZone', s.timeZone);
    const list = el('datalist', '');
    list.id = 'admin-zones';
    for (const z of zones()) {
      const o = el('option', '');
      o.value = z;
      list.append(o);
    }
    zone.setAttribute('list', list.id);
    zone.autocomplete = 'off';
    form.field('timeZone', t('timeZone'), zone, t('timeZoneHint'));
    form.append(list);

    const byDay = hoursByDay(s.businessHours);
    const around = checkbox('around', t('aroundClock'), s.businessHours.trim() === '');
    const rows = WEEK.map((d) => {
      const box = input('text', 'day-' + d, byDay[d]);
      box.id = 'admin-day-' + d;
      box.placeholder = t('closed');
      box.setAttribute('aria-describedby', 'admin-hours-hint');
      const label = el('label', 'admin-label', t(('day_' + d) as AdminKey));
      label.htmlFor = box.id;
      return el('div', 'admin-day', label, box);
    });
    const days = el('div', 'admin-days', ...rows);
    const syncAround = () => {
      for (const r of days.querySelectorAll('input')) r.disabled = around.box.checked;
    };
    around.box.addEventListener('change', syncAround);
    syncAround();
    const hint = el('p', 'admin-hint', t('hoursHint'));
    hint.id = 'admin-hours-hint';
    form.group('businessHours', t('businessHours'), around.node, hint, days);

    // Holidays: a list with remove buttons and a date picker to add one.
    const holidayList = el('ul', 'admin-chips');
    const renderHolidays = () =>
      holidayList.replaceChildren(
        ...holidays.map((h, i) => {
          const remove = button(
            '×',
            () => {
              holidays.splice(i, 1);
              renderHolidays();
              addDate.focus();
            },
            'chip',
          );
          remove.setAttribute('aria-label', t('removeHoliday', { date: formatDate(localDay(h)) }));
          return el('li', 'admin-chip', el('time', '', formatDate(localDay(h))), ' ', remove);
        }),
        ...(holidays.length ? [] : [el('li', 'admin-hint', t('noHolidays'))]),
      );
    const addDate = input('date', 'holiday');
    addDate.id = 'admin-holiday-date';
    const addLabel = el('label', 'admin-label', t('addHoliday'));
    addLabel.htmlFor = addDate.id;
    const add = button(t('add'), () => {
      if (addDate.value && !holidays.includes(addDate.value)) holidays.push(addDate.value);
      holidays.sort();
      addDate.value = '';
      renderHolidays();
    });
    renderHolidays();
    form.group('holidays', t('holidays'), holidayList, el('div', 'admin-row', addLabel, addDate, add));

    // Targets per priority, in minutes, with the duration read back in words beside each.
    const head = el('tr', '', el('th', '', t('priority')), el('th', '', t('firstResponse')), el('th', '', t('resolution')));
    for (const th of head.children) th.setAttribute('scope', 'col');
    const cell = (p: Priority, kind: 'first' | 'resolution', minutes: number) => {
      const box = input('number', `${kind}-${p}`, String(minutes));
      box.min = '1';
      box.step = '1';
      box.id = `admin-${kind}-${p}`;
      box.setAttribute('aria-label', t(kind === 'first' ? 'firstResponseOf' : 'resolutionOf', { priority: priorityLabel(p) }));
      const words = el('span', 'admin-hint', formatDuration(minutes * 60_000));
      box.addEventListener('input', () => (words.textContent = Number(box.value) > 0 ? formatDuration(Number(box.value) * 60_000) : ''));
      const td = el('td', '', box, ' ', words);
      td.dataset.label = t(kind === 'first' ? 'firstResponse' : 'resolution');
      return td;
    };
    const body = el(
      'tbody',
      '',
      ...PRIORITIES.map((p) => {
        const th = el('th', '', priorityLabel(p));
        th.setAttribute('scope', 'row');
        return el('tr', '', th, cell(p, 'first', s.targets[p].firstResponseMinutes), cell(p, 'resolution', s.targets[p].resolutionMinutes));
      }),
    );
    const targets = el('div', 'admin-scroll', el('table', 'admin-table admin-targets', el('thead', '', head), body));
    form.group('targets', t('targets'), el('p', 'admin-hint', t('targetsHint')), targets);
    form.actions(t('save'));
    return form.node;
  }

  root.append(el('section', 'admin-panel', heading(2, t('slaTitle')), statusBox, formBox));
  void load();
}
