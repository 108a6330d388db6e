import { el } from '../dom.js';
import { formatNumber } from '../i18n.js';
import type { ConsolePage, PageContext } from '../page.js';
import { chartTable, drawChart, type ChartSpec } from './chart.js';
import { downloadCsv } from './download.js';
import { browserTimeZone, formatSeconds, isoDay } from './format.js';
import { createLlmSection } from './llm.js';
import { channelName, t } from './strings.js';

/** The shapes of GET /api/reports/summary and /timeseries (src/queue/report.ts), the fields shown. */
interface Figures {
  conversations: number;
  botResolved: number;
  botResolvedShare: number | null;
  handoffs: number;
  resolved: number;
  firstResponseSeconds: { median: number | null; p90: number | null; count: number };
  resolutionSeconds: { median: number | null; p90: number | null; count: number };
  slaBreaches: number;
  csat: { average: number | null; responses: number; responseRate: number | null };
}
interface Summary {
  from: string;
  to: string;
  slaBreachesRecorded: boolean;
  total: Figures;
}
interface Series {
  metric: string;
  unit: 'count' | 'seconds' | 'score';
  points: { start: string; end: string; value: number | null }[];
}

const CHANNELS = ['webchat', 'telegram', 'discord', 'email'] as const;
const DEFAULT_DAYS = 30;
const PERIODS = ['7', '30', '90'] as const;

type TitleKey =
  'chartConversations' | 'chartHandoffs' | 'chartBotResolved' | 'chartFirstResponse' | 'chartResolution' | 'chartCsat' | 'chartSla';
const CHARTS: { metric: string; title: TitleKey; kind: 'bar' | 'line' }[] = [
  { metric: 'conversations', title: 'chartConversations', kind: 'bar' },
  { metric: 'bot_resolved', title: 'chartBotResolved', kind: 'bar' },
  { metric: 'handoffs', title: 'chartHandoffs', kind: 'bar' },
  { metric: 'first_response_median', title: 'chartFirstResponse', kind: 'line' },
  { metric: 'resolution_median', title: 'chartResolution', kind: 'line' },
  { metric: 'csat_average', title: 'chartCsat', kind: 'line' },
  { metric: 'sla_breaches', title: 'chartSla', kind: 'bar' },
];

const num = (n: number) => formatNumber(n);
const percent = (n: number) => formatNumber(n, { style: 'percent', maximumFractionDigits: 1 });
const duration = formatSeconds;
const score = (n: number) => formatNumber(n, { maximumFractionDigits: 2 });

function formatterOf(unit: Series['unit']): (v: number) => string {
  return unit === 'seconds' ? duration : unit === 'score' ? score : num;
}

function mountReports(root: HTMLElement, ctx: PageContext): () => void {
  /** The last `days` days, today included. */
  const lastDays = (days: number) => {
    const today = new Date();
    return { from: isoDay(new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1))), to: isoDay(today) };
  };
  const filters = { ...lastDays(DEFAULT_DAYS), period: String(DEFAULT_DAYS), channel: '', team: '' };
  let teams: { id: string; name: string }[] = [];
  let summary: Summary | null = null;
  let series = new Map<string, Series>();
  let error = '';
  let loading = false;
  let request = 0;
  let results = el('div', 'rep-results');
  let drawnWidth = 0;
  const llm = createLlmSection(ctx);

  const query = () => {
    const q = new URLSearchParams({ from: filters.from, to: filters.to, tz: browserTimeZone() });
    if (filters.channel) q.set('channel', filters.channel);
    if (filters.team) q.set('team', filters.team);
    return q.toString();
  };

  async function load(): Promise<void> {
    if (filters.from > filters.to) {
      error = t('badRange');
      renderResults();
      return;
    }
    const mine = ++request;
    void llm.load(query());
    loading = true;
    error = '';
    renderResults();
    try {
      const q = query();
      const [s, ...all] = await Promise.all([
        ctx.call<Summary>('GET', '/reports/summary?' + q),
        ...CHARTS.map((c) => ctx.call<Series>('GET', `/reports/timeseries?metric=${c.metric}&interval=day&${q}`)),
      ]);
      if (mine !== request) return;
      summary = s;
      series = new Map(all.map((x) => [x.metric, x]));
    } catch (err) {
      if (mine !== request) return;
      error = t('loadFailed', { error: (err as Error).message });
    }
    loading = false;
    renderResults();
  }

  async function download(path: string, fallback: string): Promise<void> {
    try {
      ctx.notice(t('downloaded', { file: await downloadCsv(path, fallback) }));
    } catch (err) {
      ctx.notice(t('loadFailed', { error: (err as Error).message }), true);
    }
  }

  function field(id: string, label: string, control: HTMLElement): HTMLElement {
    control.id = id;
    const l = el('label', 'rep-label', label);
    l.htmlFor = id;
    return el('div', 'rep-field', l, control);
  }

  function select(value: string, options: [string, string][], onChange: (v: string) => void): HTMLSelectElement {
    const s = el('select', 'rep-select');
    for (const [v, label] of options) {
      const o = el('option', '', label);
      o.value = v;
      s.append(o);
    }
    s.value = value;
    s.addEventListener('change', () => onChange(s.value));
    return s;
  }

  function dateInput(value: string, onChange: (v: string) => void): HTMLInputElement {
    const input = el('input', 'rep-input');
    input.type = 'date';
    input.value = value;
    input.max = isoDay(new Date());
    input.required = true;
    input.addEventListener('change', () => {
      if (input.value) onChange(input.value);
    });
    return input;
  }

  function buildForm(): HTMLFormElement {
    const reload = () => void load();
    const from = dateInput(filters.from, (v) => {
      filters.from = v;
      filters.period = period.value = 'custom';
      reload();
    });
    const to = dateInput(filters.to, (v) => {
      filters.to = v;
      filters.period = period.value = 'custom';
      reload();
    });
    const period = select(
      filters.period,
      [...PERIODS.map((n): [string, string] => [n, t('lastDays', { n })]), ['custom', t('custom')]],
      (v) => {
        filters.period = v;
        if (v === 'custom') return from.focus();
        Object.assign(filters, lastDays(Number(v)));
        from.value = filters.from;
        to.value = filters.to;
        reload();
      },
    );
    const form = el(
      'form',
      'rep-filters',
      field('rep-period', t('period'), period),
      field('rep-start', t('startDate'), from),
      field('rep-end', t('endDate'), to),
      field(
        'rep-channel',
        t('channel'),
        select(filters.channel, [['', t('allChannels')], ...CHANNELS.map((c): [string, string] => [c, channelName(c)])], (v) => {
          filters.channel = v;
          reload();
        }),
      ),
      field(
        'rep-team',
        t('team'),
        select(filters.team, [['', t('allTeams')], ...teams.map((x): [string, string] => [x.id, x.name])], (v) => {
          filters.team = v;
          reload();
        }),
      ),
    );
    form.setAttribute('aria-label', t('filters'));
    const apply = el('button', 'rep-button', t('apply'));
    apply.type = 'submit';
    const csv = el('button', 'rep-button rep-csv', t('downloadSummary'));
    csv.type = 'button';
    csv.id = 'rep-csv';
    csv.addEventListener('click', () => void download('/reports/summary?format=csv&' + query(), 'summary.csv'));
    form.append(el('div', 'rep-actions', apply, csv));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      reload();
    });
    return form;
  }

  function card(key: string, label: string, value: string, raw: number | null, sub: string): HTMLLIElement {
    const li = el(
      'li',
      'rep-card',
      el('span', 'rep-card-label', label),
      el('strong', 'rep-card-value', value),
      el('span', 'rep-card-sub', sub),
    );
    li.dataset.card = key;
    li.dataset.value = raw === null ? '' : String(raw);
    return li;
  }

  function cards(s: Summary): HTMLElement {
    const f = s.total;
    const dash = t('none');
    const time = (x: Figures['firstResponseSeconds']) =>
      (x.p90 === null ? '' : t('p90', { value: duration(x.p90) }) + ' · ') + t('measured', { n: num(x.count) });
    const list = el(
      'ul',
      'rep-cards',
      card('conversations', t('conversations'), num(f.conversations), f.conversations, t('handoffs', { n: num(f.handoffs) })),
      card(
        'botResolved',
        t('botResolved'),
        f.botResolvedShare === null ? dash : percent(f.botResolvedShare),
        f.botResolvedShare,
        t('botResolvedOf', { n: num(f.botResolved), total: num(f.conversations) }),
      ),
      card(
        'firstResponse',
        t('firstResponse'),
        f.firstResponseSeconds.median === null ? dash : duration(f.firstResponseSeconds.median),
        f.firstResponseSeconds.median,
        time(f.firstResponseSeconds),
      ),
      card(
        'resolution',
        t('resolution'),
        f.resolutionSeconds.median === null ? dash : duration(f.resolutionSeconds.median),
        f.resolutionSeconds.median,
        time(f.resolutionSeconds),
      ),
      card(
        'csat',
        t('csat'),
        f.csat.average === null ? dash : score(f.csat.average),
        f.csat.average,
        f.csat.responses
          ? t('csatResponses', { n: num(f.csat.responses), rate: f.csat.responseRate === null ? dash : percent(f.csat.responseRate) })
          : t('csatNone'),
      ),
      card('slaBreaches', t('slaBreaches'), num(f.slaBreaches), f.slaBreaches, s.slaBreachesRecorded ? '' : t('slaNotRecorded')),
    );
    list.setAttribute('aria-label', t('summary'));
    return list;
  }

  function specs(): ChartSpec[] {
    return CHARTS.flatMap((c) => {
      const s = series.get(c.metric);
      return s ? [{ metric: c.metric, title: t(c.title), kind: c.kind, unit: s.unit, points: s.points, format: formatterOf(s.unit) }] : [];
    });
  }

  function drawPlots(): void {
    for (const spec of specs()) {
      const plot = results.querySelector<HTMLElement>(`.rep-chart[data-metric="${spec.metric}"] .rep-plot`);
      if (plot) plot.replaceChildren(drawChart(spec, Math.floor(plot.clientWidth) || 560));
    }
    drawnWidth = results.clientWidth;
  }

  function chart(spec: ChartSpec): HTMLElement {
    const titleId = 'rep-title-' + spec.metric;
    const heading = el('h3', 'rep-chart-title', spec.title);
    heading.id = titleId;
    const csv = el('button', 'rep-button rep-chart-csv', t('downloadSeries'));
    csv.type = 'button';
    csv.setAttribute('aria-label', t('downloadSeriesLabel', { chart: spec.title }));
    csv.addEventListener(
      'click',
      () => void download(`/reports/timeseries?metric=${spec.metric}&interval=day&format=csv&${query()}`, spec.metric + '.csv'),
    );
    const figure = el('figure', 'rep-chart', el('figcaption', 'rep-chart-head', heading, csv), el('div', 'rep-plot'), chartTable(spec));
    figure.dataset.metric = spec.metric;
    figure.setAttribute('aria-labelledby', titleId);
    return figure;
  }

  function renderResults(): void {
    const next = el('div', 'rep-results');
    next.setAttribute('aria-busy', String(loading));
    if (error) next.append(el('p', 'rep-error', error));
    else if (loading && !summary) next.append(el('p', 'rep-loading', t('loading')));
    if (summary) {
      next.append(el('h2', 'rep-heading', t('summary')), cards(summary));
      next.append(el('h2', 'rep-heading', t('byDay')), el('div', 'rep-charts', ...specs().map(chart)));
    }
    results.replaceWith(next);
    results = next;
    observer.disconnect();
    observer.observe(results);
    drawPlots();
  }

  // Charts are drawn at the column's pixel width (text stays legible at 375 px); redrawn when it changes.
  const observer = new ResizeObserver(() => {
    if (Math.abs(results.clientWidth - drawnWidth) > 8) drawPlots();
  });

  function build(): void {
    const heading = el('h1', 'rep-title', t('title'));
    if (ctx.me.role !== 'admin') {
      root.replaceChildren(el('section', 'rep-page', heading, el('p', 'rep-note', t('adminOnly'))));
      return;
    }
    root.replaceChildren(el('section', 'rep-page', heading, buildForm(), results, llm.node));
    renderResults();
    llm.relabel();
  }

  const onLocale = () => build();
  window.addEventListener('localechange', onLocale);
  build();
  if (ctx.me.role === 'admin') {
    void ctx
      .call<{ items: { id: string; name: string }[] }>('GET', '/teams')
      .then((r) => {
        teams = r.items;
        // Added in place: rebuilding the form would take the focus from a control in use.
        const s = root.querySelector<HTMLSelectElement>('#rep-team');
        for (const x of teams) {
          const o = el('option', '', x.name);
          o.value = x.id;
          s?.append(o);
        }
      })
      .catch(() => {});
    void load();
  }
  return () => {
    request++;
    observer.disconnect();
    window.removeEventListener('localechange', onLocale);
    root.replaceChildren();
  };
}

/** The reports page: the summary as figures and the time series by day as charts, filterable, with CSV download. */
export const reportsPage: ConsolePage = {
  route: 'reports',
  title: () => t('title'),
  adminOnly: true,
  mount: mountReports,
};
