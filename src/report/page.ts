// The report: ONE self-contained HTML file. vega, vega-lite and vega-embed are inlined from
// node_modules (it works offline, no CDN); chart specs travel as JSON script elements; every
// string that comes from results or scenarios is escaped.

import { formatNumber } from '../format.js';
import { judge, measurementKinds } from '../measure/registry.js';
import type { Baseline, ChartSpec } from '../measure/types.js';
import { runtimeLabel } from '../results/identity.js';
import type { RunResult, Summary } from '../results/types.js';
import { compareRuns } from '../stats/compare.js';
import { hasInterval, intervalHeader } from '../stats/honest.js';
import { formatSummaryMde, MDE_HEADER } from '../stats/mde.js';
import { formatCv, formatInterval } from '../stats/summarize.js';
import { artifactChart } from './artifact-chart.js';
import { evaluateClaims } from './claims.js';
import { comparisonCells, comparisonHeader } from './compare-table.js';
import { computeTaxSection } from './compute-tax.js';
import { escapeHtml as h, jsonForScript } from './escape.js';
import { comparisonSentence, intervalSentence } from './honest-text.js';
import { machineLabel, sourceLabel } from './labels.js';
import { vegaScripts } from './vega-inline.js';

export async function renderReport(results: RunResult[], options: { baseline?: Baseline } = {}): Promise<string> {
  const libraries = await vegaScripts();
  const specs: ChartSpec[] = [...measurementKinds().flatMap((k) => k.read.charts(results)), artifactChart(results)].filter(
    (c): c is ChartSpec => c !== undefined,
  );
  const title = `coldbench: ${[...new Set(results.map((r) => r.scenario.name))].join(', ')}`;
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
<p class="lede">${results.map((r) => `${h(r.scenario.description ?? r.scenario.name)} — run <code>${h(r.runId)}</code> on ${h(machineLabel(r))}, ${h(r.startedAt)}, ${h(r.status)}`).join('<br>')}</p>
${machinesSection(results)}
${claimsSection(results)}
${findingsSection(results, options.baseline)}
${specs.map(({ id }) => `<section><div class="chart" id="chart-${id}" data-spec="spec-${id}"></div></section>`).join('\n')}
${kindTablesSection(results)}
${computeTaxSection(results)}
${summarySection(results)}
${comparisonSection(results)}
${noiseSection(results)}
${warningsSection(results)}
${specs.map(({ id, spec }) => `<script type="application/json" id="spec-${id}">${jsonForScript(spec)}</script>`).join('\n')}
${libraries}
<script>${RENDER}</script>
</body>
</html>
`;
}

const RENDER = `
for (const el of document.querySelectorAll('.chart')) {
  const spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
  vegaEmbed(el, spec, { renderer: 'svg', actions: false, config: { legend: { orient: 'bottom', direction: 'horizontal', columns: 4 } } }).catch((error) => {
    el.textContent = 'This chart could not be drawn: ' + error.message;
    console.error(error);
  });
}`;

function table(header: string[], rows: string[][]): string {
  return `<table><thead><tr>${header.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function machinesSection(results: RunResult[]): string {
  const rows = results.map((r) => {
    const f = r.fingerprint;
    const runtimes =
      Object.entries(f.runtimeVersions ?? {})
        .map(([name, version]) => `${name}: ${version}`)
        .join('; ') ||
      (f.docker ?? '-');
    return [
      sourceLabel(r, results),
      r.runId,
      `${f.cores}`,
      `${formatNumber(f.memoryBytes / 2 ** 30)} GiB`,
      f.kernel,
      f.node,
      runtimes,
      `jco ${f.jco}, componentize-js ${f.componentizeJs}`,
      `${f.gitSha.slice(0, 10)}${f.gitDirty ? ' (uncommitted changes)' : ''}`,
    ];
  });
  return `<section><h2>Machines and runs</h2>${table(['machine', 'run', 'cores', 'memory', 'kernel', 'node', 'runtimes', 'wasm tools', 'git'], rows)}</section>`;
}

function claimsSection(results: RunResult[]): string {
  const items = evaluateClaims(results).map(
    (c) =>
      `<li class="claim ${c.verdict.replace(/ /g, '-')}"><strong>${h(c.verdict)}</strong>: ${h(c.statement)}${
        c.evidence.length ? `<ul>${c.evidence.map((e) => `<li>${h(e)}</li>`).join('')}</ul>` : ''
      }${c.howToMeasure ? `<p class="how">To measure it: ${h(c.howToMeasure)}</p>` : ''}</li>`,
  );
  return `<section id="claims"><h2>Claims</h2><p>What people say about Wasm and containers, tested against these results only.</p><ul class="claims">${items.join('')}</ul></section>`;
}

function findingsSection(results: RunResult[], baseline?: Baseline): string {
  const lines = results.flatMap((r) => {
    const prefix = results.length > 1 ? `${sourceLabel(r, results)}: ` : '';
    return measurementKinds()
      .flatMap((k) => k.read.headlines(r, { baseline }))
      .map((line) => prefix + line);
  });
  if (lines.length === 0) return '';
  return `<section><h2>In words</h2><ul>${lines.map((l) => `<li>${h(l)}</li>`).join('')}</ul></section>`;
}

function summaryTable(results: RunResult[], scope: 'headline' | 'all'): string {
  const several = results.length > 1;
  const rows = results.flatMap((r) =>
    measurementKinds()
      .flatMap((k) => k.read.summaryRows(r, scope))
      .map((s: Summary) => [
        ...(several ? [sourceLabel(r, results)] : []),
        s.workload,
        runtimeLabel(s),
        s.measurement === 'setup' ? 'setup (once per run)' : s.measurement,
        String(s.tenants),
        s.phase ?? s.method ?? s.model ?? '-',
        s.metric,
        String(s.n),
        `${formatNumber(s.median)} ${s.unit}`,
        formatInterval(s),
        `${formatNumber(s.min)}–${formatNumber(s.max)}`,
        formatCv(s),
        formatSummaryMde(s),
      ]),
  );
  rows.sort((a, b) => a.join('\0').localeCompare(b.join('\0')));
  const anyInterval = results.some((r) => measurementKinds().some((k) => k.read.summaryRows(r, scope).some((s) => s.ci95)));
  return table(
    [
      ...(several ? ['run'] : []),
      'workload',
      'runtime',
      'measurement',
      'tenants',
      'what',
      'metric',
      'n',
      'median',
      intervalHeader(anyInterval),
      'min–max',
      'cv',
      MDE_HEADER,
    ],
    rows,
  );
}

/** Tables the measurement kinds make for themselves (e.g. what each runtime's tenant could reach). */
function kindTablesSection(results: RunResult[]): string {
  return measurementKinds()
    .map((k) => k.read.reportTable?.(results))
    .filter((t) => t !== undefined)
    .map((t) => `<section><h2>${h(t.title)}</h2><p>${h(t.description)}</p>${table(t.header, t.rows)}</section>`)
    .join('\n');
}

function summarySection(results: RunResult[]): string {
  if (results.every((r) => measurementKinds().every((k) => k.read.summaryRows(r, 'all').length === 0))) return '';
  return `<section><h2>Summary</h2><p>Cold start totals and once-per-run costs, throughput and p99 latency, and memory per tenant at each ramp's largest step. ${intervalSentence(results)}</p>
${summaryTable(results, 'headline')}
<details><summary>Every phase and metric</summary>${summaryTable(results, 'all')}</details></section>`;
}

function comparisonSection(results: RunResult[]): string {
  if (results.length < 2) return '';
  const [reference, ...others] = results as [RunResult, ...RunResult[]];
  const compared = others.map((other) => ({ other, rows: compareRuns(reference, other, judge) }));
  const blocks = compared.map(
    ({ other, rows }) =>
      `<h3>${h(sourceLabel(other, results))} against ${h(sourceLabel(reference, results))}</h3>${table(comparisonHeader(rows, 'reference', 'this', 'ratio'), rows.map(comparisonCells))}`,
  );
  return `<section><h2>Comparison</h2><p>${comparisonSentence(compared.some(({ rows }) => rows.some((r) => hasInterval(r.n))))}</p>${blocks.join('')}</section>`;
}

function noiseSection(results: RunResult[]): string {
  const rows = results.flatMap((r) =>
    (r.noise ?? []).map((n) => [
      ...(results.length > 1 ? [sourceLabel(r, results)] : []),
      n.workload,
      n.measurement,
      `${formatNumber(n.seconds)} s`,
      `${formatNumber(n.loadAverage.start)} → ${formatNumber(n.loadAverage.end)} (${n.cores} cores)`,
      `${formatNumber(n.stealPercent)}%`,
      n.busiestOthers.map((p) => `${p.command} ${formatNumber(p.cores)}`).join(', ') || '-',
      n.busy ? `BUSY: ${n.reasons.join('; ')}` : 'quiet',
    ]),
  );
  if (rows.length === 0) return '';
  return `<section><h2>How busy the machine was</h2><p>Per unit: the load average (the run's own processes included), CPU steal, and other processes that used CPU meanwhile (cores). Figures from busy units are noisier than their intervals suggest.</p>${table([...(results.length > 1 ? ['run'] : []), 'workload', 'measurement', 'duration', 'load average', 'steal', 'busiest other processes (cores)', 'verdict'], rows)}</section>`;
}

function warningsSection(results: RunResult[]): string {
  const warnings = results.flatMap((r) => r.warnings.map((w) => (results.length > 1 ? `${sourceLabel(r, results)}: ` : '') + w.message));
  return warnings.length ? `<section><h2>Warnings</h2><ul>${warnings.map((w) => `<li>${h(w)}</li>`).join('')}</ul></section>` : '';
}

const STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1240px; padding: 0 1rem; color: #1d2330; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #dde1e8; padding-bottom: .2rem; }
.lede { color: #566; margin-top: 0; }
table { border-collapse: collapse; font-size: 13px; margin: .5rem 0; }
th, td { border-bottom: 1px solid #e5e8ee; padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: #f4f6f9; }
details summary { cursor: pointer; color: #345; margin: .5rem 0; }
code { font-size: 12px; }
.chart { margin: 1.5rem 0; overflow-x: auto; }
.claims { list-style: none; padding-left: 0; }
.claim { margin: .6rem 0; padding: .4rem .7rem; border-left: 4px solid #99a; }
.claim.holds { border-color: #2a8a4a; } .claim.does-not-hold { border-color: #c0392b; } .claim.not-measured { border-color: #aab; color: #445; }
.claim .how { margin: .2rem 0 0; font-size: 13px; color: #556; }
`;
