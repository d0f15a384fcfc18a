// The report: ONE self-contained HTML file. vega, vega-lite and vega-embed are inlined from
// node_modules (it works offline, no CDN); chart specs travel as JSON script elements; every
// string that comes from results or scenarios is escaped.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult, Summary } from '../results/types.js';
import { packageDir } from '../workloads/toolchain.js';
import { allSpecs } from './charts.js';
import { baselineStatements, compareRuns, slowestRuntime, times } from './comparison.js';
import { escapeHtml as h, jsonForScript, scriptForInline } from './escape.js';
import { machineLabel } from './read-results.js';

const LIBRARIES = [
  ['vega', 'build/vega.min.js'],
  ['vega-lite', 'build/vega-lite.min.js'],
  ['vega-embed', 'build/vega-embed.min.js'],
] as const;

export async function renderReport(results: RunResult[], options: { baseline?: string } = {}): Promise<string> {
  const libraries = await Promise.all(LIBRARIES.map(([pkg, file]) => readFile(join(packageDir(pkg), file), 'utf8')));
  const specs = allSpecs(results);
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
<p class="lede">${results.map((r) => `${h(r.scenario.description ?? r.scenario.name)} — run <code>${h(r.runId)}</code>, ${h(r.startedAt)}, ${h(r.status)}`).join('<br>')}</p>
${machinesSection(results)}
${findingsSection(results, options.baseline)}
${specs.map(({ id }) => `<section><div class="chart" id="chart-${id}" data-spec="spec-${id}"></div></section>`).join('\n')}
${summarySection(results)}
${comparisonSection(results)}
${warningsSection(results)}
${specs.map(({ id, spec }) => `<script type="application/json" id="spec-${id}">${jsonForScript(spec)}</script>`).join('\n')}
${libraries.map((code) => `<script>${scriptForInline(code)}</script>`).join('\n')}
<script>${RENDER}</script>
</body>
</html>
`;
}

const RENDER = `
for (const el of document.querySelectorAll('.chart')) {
  const spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
  vegaEmbed(el, spec, { renderer: 'svg', actions: false }).catch((error) => {
    el.textContent = 'This chart could not be drawn: ' + error.message;
    console.error(error);
  });
}`;

function table(header: string[], rows: string[][]): string {
  return `<table><thead><tr>${header.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function machinesSection(results: RunResult[]): string {
  const rows = results.map((r) => {
    const f = r.fingerprint;
    return [machineLabel(r), `${f.cores}`, `${(f.memoryBytes / 2 ** 30).toFixed(1)} GiB`, f.kernel, f.node, f.docker ?? '-', `jco ${f.jco}, componentize-js ${f.componentizeJs}`, f.gitSha.slice(0, 10)];
  });
  return `<section><h2>Machines</h2>${table(['machine', 'cores', 'memory', 'kernel', 'node', 'docker', 'wasm tools', 'git'], rows)}</section>`;
}

function findingsSection(results: RunResult[], baseline?: string): string {
  const lines = results.flatMap((r) => {
    const base = baseline ?? slowestRuntime(r);
    if (!base) return [];
    const prefix = results.length > 1 ? `${machineLabel(r)}: ` : '';
    return baselineStatements(r, base).map((s) => prefix + s.sentence);
  });
  const ramps = results.flatMap((r) => r.densityRamps.map((ramp) => `${ramp.workload} on ${ramp.runtime}: ${ramp.reachedTenants} tenants (${ramp.stopReason}).`));
  if (lines.length === 0 && ramps.length === 0) return '';
  return `<section><h2>In words</h2><ul>${[...lines, ...ramps].map((l) => `<li>${h(l)}</li>`).join('')}</ul></section>`;
}

function fmt(x: number): string {
  return !Number.isFinite(x) ? '-' : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function summaryRows(r: RunResult): Summary[] {
  const largest = new Map<string, number>();
  for (const s of r.summaries.filter((x) => x.measurement === 'density')) {
    const key = `${s.workload}/${s.runtime}`;
    largest.set(key, Math.max(largest.get(key) ?? 0, s.tenants));
  }
  return r.summaries.filter((s) =>
    s.measurement === 'coldstart' || s.measurement === 'setup' || s.measurement === 'probe-floor' ||
    (s.measurement === 'load' && ['throughput', 'latency-p99', 'client-cpu', 'server-cpu'].includes(s.metric)) ||
    (s.measurement === 'density' && s.metric === 'memory-per-tenant' && s.tenants === largest.get(`${s.workload}/${s.runtime}`)));
}

function headlineRows(r: RunResult): Summary[] {
  return summaryRows(r).filter((s) =>
    (s.measurement === 'coldstart' && s.phase === 'total') || s.measurement === 'density' ||
    (s.measurement === 'load' && (s.metric === 'throughput' || s.metric === 'latency-p99')));
}

function summaryTable(results: RunResult[], pick: (r: RunResult) => Summary[]): string {
  const several = results.length > 1;
  const rows = results.flatMap((r) => pick(r).map((s) => [
    ...(several ? [machineLabel(r)] : []),
    s.workload, s.runtime, s.measurement, String(s.tenants), s.phase, s.metric, String(s.n),
    `${fmt(s.median)} ${s.unit}`, `${fmt(s.ci95[0])}–${fmt(s.ci95[1])}`, `${fmt(s.min)}–${fmt(s.max)}`,
  ]));
  rows.sort((a, b) => a.join('\0').localeCompare(b.join('\0')));
  return table([...(several ? ['machine'] : []), 'workload', 'runtime', 'measurement', 'tenants', 'phase', 'metric', 'n', 'median', '95% CI', 'min–max'], rows);
}

function summarySection(results: RunResult[]): string {
  if (results.every((r) => summaryRows(r).length === 0)) return '';
  return `<section><h2>Summary</h2><p>Cold start totals, throughput and p99 latency, and memory per tenant at each ramp's largest step. Medians with their 95% confidence intervals.</p>
${summaryTable(results, headlineRows)}
<details><summary>Every phase and metric</summary>${summaryTable(results, summaryRows)}</details></section>`;
}

function comparisonSection(results: RunResult[]): string {
  if (results.length < 2) return '';
  const [reference, ...others] = results as [RunResult, ...RunResult[]];
  const blocks = others.map((other) => {
    const rows = compareRuns(reference, other).map((c) => [
      c.workload, c.runtime, c.measurement, String(c.tenants), c.phase, c.metric, `${fmt(c.medianA)} ${c.unit}`, `${fmt(c.medianB)} ${c.unit}`,
      `${times(c.estimate.ratio)} (${times(c.estimate.ci95[0])}–${times(c.estimate.ci95[1])})`, c.verdict,
    ]);
    return `<h3>${h(machineLabel(other))} against ${h(machineLabel(reference))}</h3>${table(['workload', 'runtime', 'measurement', 'tenants', 'phase', 'metric', 'reference', 'this', 'ratio (95% CI)', 'verdict'], rows)}`;
  });
  return `<section><h2>Comparison</h2><p>Ratio = this machine's median / the reference's; the verdict is "unsure" when its 95% bootstrap CI includes 1.</p>${blocks.join('')}</section>`;
}

function warningsSection(results: RunResult[]): string {
  const warnings = results.flatMap((r) => r.warnings);
  return warnings.length ? `<section><h2>Warnings</h2><ul>${warnings.map((w) => `<li>${h(w)}</li>`).join('')}</ul></section>` : '';
}

const STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #1d2330; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #dde1e8; padding-bottom: .2rem; }
.lede { color: #566; margin-top: 0; }
table { border-collapse: collapse; font-size: 13px; margin: .5rem 0; }
th, td { border-bottom: 1px solid #e5e8ee; padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: #f4f6f9; }
details summary { cursor: pointer; color: #345; margin: .5rem 0; }
code { font-size: 12px; }
.chart { margin: 1.5rem 0; }
`;
