// The stats view: counts per status, the queue's age, a chart of the last 30 days (submitted,
// approved, held, spam per day) drawn as inline SVG, and the rules that hit most with how often
// moderators agreed with them.

import { api, ApiError } from './moderate-api.js';
import { el, svg } from './moderate-dom.js';

// Colours distinguishable in greyscale and for common colour-vision deficiencies, each 3:1 or
// more against white (WCAG 1.4.11); every series also has its own dash pattern.
const SERIES = [
  { key: 'submitted', label: 'Sendt inn', color: '#1f4e9c', dash: '' },
  { key: 'approved', label: 'Godkjent', color: '#1b7a3e', dash: '6 3' },
  { key: 'held', label: 'Holdt tilbake', color: '#a35c00', dash: '2 3' },
  { key: 'spam', label: 'Spam', color: '#b3261e', dash: '10 3 2 3' },
];
const STATUS_LABELS = { pending: 'Venter', approved: 'Godkjent', spam: 'Spam', rejected: 'Avvist', deleted: 'Slettet' };

export function show(main) {
  const body = el('div', { class: 'stats' }, el('p', {}, 'Henter …'));
  main.append(el('h1', {}, 'Statistikk'), body);
  document.title = 'Statistikk – Vokter';
  api
    .stats()
    .then((stats) => body.replaceChildren(...render(stats)))
    .catch((e) => {
      if (!(e instanceof ApiError && e.status === 401)) body.replaceChildren(el('p', { class: 'error' }, e.message));
    });
}

function render(stats) {
  const days = last30(stats.days);
  return [
    el(
      'section',
      { class: 'cards', 'aria-label': 'Nå' },
      Object.entries(STATUS_LABELS).map(([key, label]) =>
        el('div', { class: 'card stat' }, el('span', { class: 'stat-n' }, String(stats.by_status[key] || 0)), el('span', {}, label)),
      ),
      el('div', { class: 'card stat' }, el('span', { class: 'stat-n' }, age(stats.queue.age_seconds)), el('span', {}, 'Eldste i køen')),
    ),
    el('section', { 'aria-labelledby': 'chart-heading', class: 'card' },
      el('h2', { id: 'chart-heading' }, 'Siste 30 dager'),
      chart(days),
      legend(),
      dataTable(days)),
    el('section', { 'aria-labelledby': 'rules-heading', class: 'card' },
      el('h2', { id: 'rules-heading' }, 'Regler som slår til oftest'),
      el('p', { class: 'hint' },
        'Enighet: andelen av moderatorenes avgjørelser på kommentarer regelen slo til på, som var enige med regelen (spam eller avvis når regelen gir plusspoeng, godkjenn når den gir minuspoeng).'),
      rulesTable(stats.top_rules)),
  ];
}

// The 30 days ending today (UTC dates, as the API counts them), zero where the API has no row.
function last30(rows) {
  const byDate = new Map(rows.map((row) => [row.date, row]));
  const out = [];
  const today = new Date();
  for (let i = 29; i >= 0; i--) {
    const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i));
    const date = day.toISOString().slice(0, 10);
    const row = byDate.get(date) || {};
    out.push({ date, submitted: row.submitted || 0, approved: row.approved || 0, held: row.held || 0, spam: row.spam || 0 });
  }
  return out;
}

function age(seconds) {
  if (!seconds) return '–';
  if (seconds < 60) return '< 1 min';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400 * 2) return `${Math.round(seconds / 3600)} t`;
  return `${Math.round(seconds / 86400)} d`;
}

function chart(days) {
  const W = 720, H = 260, left = 44, right = 28, top = 12, bottom = 36;
  const max = Math.max(4, ...days.flatMap((d) => SERIES.map((s) => d[s.key])));
  const step = niceStep(max);
  const yMax = Math.ceil(max / step) * step;
  const x = (i) => left + (i * (W - left - right)) / (days.length - 1);
  const y = (v) => top + (H - top - bottom) * (1 - v / yMax);
  const grid = [];
  for (let v = 0; v <= yMax; v += step) {
    grid.push(svg('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), class: 'grid' }));
    grid.push(svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, String(v)));
  }
  const labels = days
    .map((d, i) => (i % 5 === 4 || i === 0 ? svg('text', { x: x(i), y: H - 12, 'text-anchor': 'middle', class: 'tick' }, shortDate(d.date)) : null))
    .filter(Boolean);
  const lines = SERIES.map((s) =>
    svg('g', { class: `series series-${s.key}` },
      svg('polyline', {
        points: days.map((d, i) => `${x(i).toFixed(1)},${y(d[s.key]).toFixed(1)}`).join(' '),
        fill: 'none', stroke: s.color, 'stroke-width': 2.5, 'stroke-dasharray': s.dash || null,
      }),
      days.map((d, i) => (d[s.key] ? svg('circle', { cx: x(i), cy: y(d[s.key]), r: 3, fill: s.color }) : null))),
  );
  const total = (key) => days.reduce((sum, d) => sum + d[key], 0);
  return svg(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'chart-title', class: 'chart' },
    svg('title', { id: 'chart-title' },
      `Kommentarer per dag siste 30 dager: ${SERIES.map((s) => `${s.label.toLowerCase()} ${total(s.key)}`).join(', ')}. Tallene står i tabellen under.`),
    grid,
    svg('line', { x1: left, x2: W - right, y1: y(0), y2: y(0), class: 'axis' }),
    labels,
    lines,
  );
}

function niceStep(max) {
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
}

function shortDate(iso) {
  const [, m, d] = iso.split('-');
  return `${Number(d)}.${Number(m)}.`;
}

function legend() {
  return el('ul', { class: 'legend', 'aria-hidden': 'true' },
    SERIES.map((s) => el('li', {},
      svg('svg', { width: 28, height: 10, viewBox: '0 0 28 10' },
        svg('line', { x1: 0, x2: 28, y1: 5, y2: 5, stroke: s.color, 'stroke-width': 3, 'stroke-dasharray': s.dash || null })),
      ` ${s.label}`)));
}

function dataTable(days) {
  return el('details', { class: 'chart-data' },
    el('summary', {}, 'Vis tallene som tabell'),
    el('table', {},
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Dato'), SERIES.map((s) => el('th', { scope: 'col' }, s.label)))),
      el('tbody', {}, days.map((d) => el('tr', {}, el('th', { scope: 'row' }, d.date),
        SERIES.map((s) => el('td', { class: 'num' }, String(d[s.key]))))))));
}

function rulesTable(rules) {
  if (!rules.length) return el('p', {}, 'Ingen regeltreff ennå.');
  return el('table', { class: 'rules-table' },
    el('thead', {}, el('tr', {},
      ['Regel', 'Treff', 'Enige', 'Uenige', 'Enighet'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rules.map((r) => el('tr', {},
      el('th', { scope: 'row' }, el('code', {}, r.rule)),
      el('td', { class: 'num' }, String(r.hits)),
      el('td', { class: 'num' }, String(r.agreed)),
      el('td', { class: 'num' }, String(r.disagreed)),
      el('td', { class: 'num' }, agreement(r.agreement))))));
}

function agreement(value) {
  if (value === null || value === undefined) return '–';
  const pct = Math.round(value * 100);
  return el('span', { class: 'agreement' },
    el('span', { class: 'bar', 'aria-hidden': 'true' }, el('span', { style: null, class: `fill w${Math.round(pct / 10)}` })),
    ` ${pct} %`);
}
