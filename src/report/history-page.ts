// The history page: ONE self-contained HTML file (vega inlined, as the report), one chart per
// scenario, workload and quantity: each run's median with its 95% interval over time, a line per
// runtime, a panel per machine (the machine names its architecture), commit and date on hover,
// and the change points drawn where the level shifted. Filters by scenario, workload and runtime.
import { formatNumber } from '../format.js';
import type { Series, SeriesChange } from '../store/series.js';
import { escapeHtml as h, jsonForScript } from './escape.js';
import { vegaScripts } from './vega-inline.js';

interface Chart {
  id: string;
  scenario: string;
  workload: string;
  title: string;
  spec: Record<string, unknown>;
}

const percent = (x: number) => `${x > 0 ? '+' : ''}${formatNumber(x * 100)} %`;

function chartsOf(series: readonly Series[], changes: readonly SeriesChange[]): Chart[] {
  const groups = new Map<string, Series[]>();
  for (const s of series) {
    const key = [s.scenario, s.workload, s.quantity, s.unit].join('\u0001');
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((group, index) => {
    const first = group[0]!;
    const rows = group.flatMap((s) =>
      s.points.map((p) => ({
        kind: 'point',
        machine: s.machine,
        runtime: s.runtime,
        label: s.runtimeLabel,
        date: p.startedAt,
        run: p.runId,
        commit: p.gitSha.slice(0, 10),
        median: p.median,
        low: p.ciLow ?? p.median,
        high: p.ciHigh ?? p.median,
        n: p.n,
      })),
    );
    const shifts = changes
      .filter((c) => group.includes(c.series))
      .map((c) => ({
        kind: 'change',
        machine: c.series.machine,
        runtime: c.series.runtime,
        label: c.series.runtimeLabel,
        date: c.to.startedAt,
        change: percent(c.change),
        direction: c.regression ? 'regression' : 'improvement',
        commits: `${c.from.gitSha.slice(0, 10)}..${c.to.gitSha.slice(0, 10)}`,
        between: `${c.from.startedAt} and ${c.to.startedAt}`,
        level: `${formatNumber(c.before)} → ${formatNumber(c.after)} ${first.unit}`,
      }));
    const y = { field: 'median', type: 'quantitative', title: `median (${first.unit})`, scale: { zero: false } };
    const onlyRuntime = { filter: "runtimeFilter === 'all' || datum.runtime === runtimeFilter" };
    const spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      params: [{ name: 'runtimeFilter', value: 'all' }],
      data: { values: [...rows, ...shifts] },
      transform: [onlyRuntime],
      facet: { row: { field: 'machine', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelOrient: 'top' } } },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 640,
        height: 180,
        layer: [
          {
            transform: [{ filter: "datum.kind === 'point'" }],
            mark: { type: 'rule', opacity: 0.4 },
            encoding: {
              x: { field: 'date', type: 'temporal', title: null },
              y: { ...y, field: 'low' },
              y2: { field: 'high' },
              color: { field: 'label', title: 'runtime' },
            },
          },
          {
            transform: [{ filter: "datum.kind === 'point'" }],
            mark: { type: 'line', point: true },
            encoding: {
              x: { field: 'date', type: 'temporal' },
              y,
              color: { field: 'label', title: 'runtime' },
              tooltip: [
                { field: 'label', title: 'runtime' },
                { field: 'date', type: 'temporal', timeUnit: 'yearmonthdatehoursminutes', title: 'date' },
                { field: 'commit' },
                { field: 'run' },
                { field: 'median', format: '.4~g' },
                { field: 'low', title: '95% CI low', format: '.4~g' },
                { field: 'high', title: '95% CI high', format: '.4~g' },
                { field: 'n' },
              ],
            },
          },
          {
            transform: [{ filter: "datum.kind === 'change'" }],
            mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 2 },
            encoding: {
              x: { field: 'date', type: 'temporal' },
              color: { field: 'direction', scale: { domain: ['regression', 'improvement'], range: ['#c0392b', '#27ae60'] }, title: 'change point' },
              tooltip: [
                { field: 'label', title: 'runtime' },
                { field: 'change' },
                { field: 'direction' },
                { field: 'level' },
                { field: 'commits' },
                { field: 'between' },
              ],
            },
          },
        ],
      },
    };
    return { id: `h${index}`, scenario: first.scenario, workload: first.workload, title: `${first.workload}: ${first.quantity} (${first.unit})`, spec };
  });
}

function select(id: string, label: string, values: string[]): string {
  const options = ['all', ...[...new Set(values)].sort()].map((v) => `<option value="${h(v)}">${h(v)}</option>`).join('');
  return `<label>${h(label)} <select id="${id}">${options}</select></label>`;
}

function changesTable(changes: readonly SeriesChange[]): string {
  if (changes.length === 0) return '<p>No change points: every series holds its level.</p>';
  const rows = changes.map(
    (c) =>
      `<tr class="${c.regression ? 'regression' : 'improvement'}" data-scenario="${h(c.series.scenario)}" data-workload="${h(c.series.workload)}" data-runtime="${h(c.series.runtime)}"><td>${h(c.series.scenario)}</td><td>${h(c.series.machine)}</td><td>${h(c.series.workload)}</td><td>${h(c.series.runtimeLabel)}</td><td>${h(c.series.quantity)}</td><td>${h(percent(c.change))} (${c.regression ? 'regression' : 'improvement'})</td><td>${h(`${formatNumber(c.before)} → ${formatNumber(c.after)} ${c.series.unit}`)}</td><td><code>${h(c.from.gitSha.slice(0, 10))}..${h(c.to.gitSha.slice(0, 10))}</code></td><td>${h(c.to.startedAt)}</td></tr>`,
  );
  return `<table><thead><tr><th>scenario</th><th>machine</th><th>workload</th><th>runtime</th><th>quantity</th><th>change</th><th>level</th><th>commits</th><th>first run after</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export async function renderHistory(
  series: readonly Series[],
  changes: readonly SeriesChange[],
  about: { runs: number; machines: number; store: string },
): Promise<string> {
  const charts = chartsOf(series, changes);
  const title = 'coldbench: history';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${h(title)}</h1>
<p class="lede">${about.runs} runs on ${about.machines} machine(s) from ${h(about.store)}; ${series.length} series. Each point is one run's median with its 95% interval; dashed lines mark change points (level shifts found with PELT), red when worse.</p>
<nav class="filters">${select(
    'f-scenario',
    'scenario',
    series.map((s) => s.scenario),
  )} ${select(
    'f-workload',
    'workload',
    series.map((s) => s.workload),
  )} ${select(
    'f-runtime',
    'runtime',
    series.map((s) => s.runtime),
  )}</nav>
<section><h2>Change points</h2>${changesTable(changes)}</section>
${charts.map((c) => `<section class="chart-section" data-scenario="${h(c.scenario)}" data-workload="${h(c.workload)}"><h2>${h(c.scenario)} · ${h(c.title)}</h2><div class="chart" id="chart-${c.id}" data-spec="spec-${c.id}"></div></section>`).join('\n')}
${charts.map((c) => `<script type="application/json" id="spec-${c.id}">${jsonForScript(c.spec)}</script>`).join('\n')}
${await vegaScripts()}
<script>${RENDER}</script>
</body>
</html>
`;
}

const RENDER = `
const views = [];
const drawn = [];
for (const el of document.querySelectorAll('.chart')) {
  const spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
  drawn.push(vegaEmbed(el, spec, { renderer: 'svg', actions: false }).then((result) => views.push(result.view)).catch((error) => {
    el.textContent = 'This chart could not be drawn: ' + error.message;
    console.error(error);
  }));
}
window.historyReady = Promise.all(drawn);
const value = (id) => document.getElementById(id).value;
function applyFilters() {
  const [scenario, workload, runtime] = ['f-scenario', 'f-workload', 'f-runtime'].map(value);
  const shown = (el) => (scenario === 'all' || el.dataset.scenario === scenario) && (workload === 'all' || el.dataset.workload === workload);
  for (const el of document.querySelectorAll('.chart-section')) el.hidden = !shown(el);
  for (const el of document.querySelectorAll('tr[data-runtime]')) el.hidden = !shown(el) || (runtime !== 'all' && el.dataset.runtime !== runtime);
  for (const view of views) view.signal('runtimeFilter', runtime).runAsync();
}
for (const id of ['f-scenario', 'f-workload', 'f-runtime']) document.getElementById(id).addEventListener('change', applyFilters);`;

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.lede { color: #555; } .filters { position: sticky; top: 0; background: #fff; padding: .5rem 0; border-bottom: 1px solid #ddd; z-index: 1; }
.filters label { margin-right: 1rem; }
table { border-collapse: collapse; font-size: .85rem; } td, th { border-bottom: 1px solid #eee; padding: .2rem .5rem; text-align: left; }
tr.regression td:nth-child(6) { color: #c0392b; font-weight: 600; } tr.improvement td:nth-child(6) { color: #27ae60; }
code { font-size: .85em; }`;
