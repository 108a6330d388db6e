import { el } from '../dom.js';
import { formatDate } from '../i18n.js';
import { formatDayShort } from './format.js';
import { t } from './strings.js';

/**
 * A day-by-day chart drawn as SVG with DOM calls (no chart library: the CSP allows only our own
 * script, and one bar chart and one line chart are all the page needs). Every bar or point has a
 * <title> (the browser's tooltip), the whole chart an aria-label summary, and a visually hidden
 * table carries every value for screen readers.
 */

const NS = 'http://www.w3.org/2000/svg';

export interface Point {
  start: string;
  value: number | null;
}

export interface ChartSpec {
  metric: string;
  title: string;
  kind: 'bar' | 'line';
  /** count: bars from 0; score: 1–5; seconds: durations. */
  unit: 'count' | 'seconds' | 'score';
  points: Point[];
  format(value: number): string;
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  className: string,
  attrs: Record<string, string | number>,
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(NS, tag);
  if (className) node.setAttribute('class', className);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
}

const tip = (text: string) => svg('title', '', {}, text);

/** 1, 2, 5 × 10^k at or above `v`, so the axis reads in round numbers. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Steps a clock reads well in: seconds, minutes, hours, days. */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
function timeStep(v: number): number {
  return TIME_STEPS.find((s) => s >= v) ?? Math.ceil(v / 86400) * 86400;
}

/** What a screen reader hears for the whole chart. */
export function chartSummary(spec: ChartSpec): string {
  const { points } = spec;
  const days = points.length;
  const from = points[0] ? formatDate(points[0].start) : '';
  const to = points.at(-1) ? formatDate(points.at(-1)!.start) : '';
  const measured = points.filter((p) => p.value !== null);
  if (!measured.length || measured.every((p) => p.value === 0)) return t('chartEmpty', { chart: spec.title, days, from, to });
  const top = measured.reduce((a, p) => (p.value! > a.value! ? p : a));
  const vars = { chart: spec.title, days, from, to, max: spec.format(top.value!), maxDay: formatDate(top.start) };
  if (spec.unit === 'count') return t('chartSummary', { ...vars, total: spec.format(measured.reduce((a, p) => a + p.value!, 0)) });
  return t('chartSummaryAverage', { ...vars, measured: measured.length });
}

/** The chart as an <svg> `width` pixels wide (the caller measures its column). */
export function drawChart(spec: ChartSpec, width: number): SVGSVGElement {
  const height = 190;
  const left = spec.unit === 'seconds' ? 72 : 40;
  const right = 10;
  const top = 12;
  const bottom = 26;
  const plotW = Math.max(40, width - left - right);
  const plotH = height - top - bottom;
  const values = spec.points.map((p) => p.value);
  // About four round steps up to the highest value (whole ones for counts); a score runs 0–5.
  const highest = Math.max(0, ...values.map((v) => v ?? 0));
  const step = spec.unit === 'score' ? 1 : spec.unit === 'seconds' ? timeStep(highest / 4) : Math.max(1, niceMax(highest / 4));
  const max = spec.unit === 'score' ? 5 : Math.max(step, Math.ceil(highest / step) * step);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const n = Math.max(1, spec.points.length);
  const band = plotW / n;

  const root = svg('svg', 'rep-svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': chartSummary(spec) });
  root.append(tip(spec.title));

  // Horizontal grid and the y axis's labels.
  const ticks: number[] = [];
  for (let v = 0; v <= max + step / 1000; v += step) ticks.push(v);
  const grid = svg('g', 'rep-grid', { 'aria-hidden': 'true' });
  for (const v of ticks) {
    grid.append(svg('line', 'rep-gridline', { x1: left, x2: left + plotW, y1: y(v), y2: y(v) }));
    grid.append(svg('text', 'rep-tick', { x: left - 6, y: y(v), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, spec.format(v)));
  }
  root.append(grid);

  // The x axis: a day label wherever there is room for one (about every 56 px).
  const axis = svg('g', 'rep-axis', { 'aria-hidden': 'true' });
  axis.append(svg('line', 'rep-axisline', { x1: left, x2: left + plotW, y1: top + plotH, y2: top + plotH }));
  axis.append(svg('line', 'rep-axisline', { x1: left, x2: left, y1: top, y2: top + plotH }));
  const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(plotW / 56))));
  spec.points.forEach((p, i) => {
    if (i % every !== 0) return;
    const x = left + i * band + band / 2;
    axis.append(svg('text', 'rep-tick', { x, y: height - 8, 'text-anchor': 'middle' }, formatDayShort(p.start)));
  });
  root.append(axis);

  const label = (p: Point) => `${formatDate(p.start)}: ${p.value === null ? t('noValue') : spec.format(p.value)}`;
  const marks = svg('g', 'rep-marks', {});
  if (spec.kind === 'bar') {
    const w = Math.max(1, Math.min(28, band * 0.7));
    spec.points.forEach((p, i) => {
      const v = p.value ?? 0;
      const h = Math.max(0, top + plotH - y(v));
      marks.append(
        svg(
          'rect',
          'rep-bar',
          { x: left + i * band + (band - w) / 2, y: top + plotH - h, width: w, height: h, 'data-day': p.start },
          tip(label(p)),
        ),
      );
    });
  } else {
    // A line through the measured days; a day with nothing to measure breaks it.
    let d = '';
    let pen = false;
    spec.points.forEach((p, i) => {
      if (p.value === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${(left + i * band + band / 2).toFixed(1)} ${y(p.value).toFixed(1)} `;
      pen = true;
    });
    if (d) marks.append(svg('path', 'rep-line', { d: d.trim(), fill: 'none' }));
    spec.points.forEach((p, i) => {
      if (p.value === null) return;
      marks.append(
        svg('circle', 'rep-point', { cx: left + i * band + band / 2, cy: y(p.value), r: 3.5, 'data-day': p.start }, tip(label(p))),
      );
    });
  }
  root.append(marks);
  return root;
}

/** The values as a table, for screen readers (the CSS hides it visually). */
export function chartTable(spec: ChartSpec): HTMLTableElement {
  const body = el('tbody', '');
  for (const p of spec.points)
    body.append(el('tr', '', el('th', '', formatDate(p.start)), el('td', '', p.value === null ? t('noValue') : spec.format(p.value))));
  const head = el('thead', '', el('tr', '', el('th', '', t('day')), el('th', '', t('value'))));
  for (const th of head.querySelectorAll('th')) th.scope = 'col';
  for (const th of body.querySelectorAll('th')) th.scope = 'row';
  return el('table', 'rep-sr-only', el('caption', '', spec.title), head, body);
}
