// The claims coldbench exists to test, each stated as a sentence that results can confirm or
// refute, with a verdict from the results at hand: holds, does not hold, or not measured (and what
// would measure it). Every verdict names the numbers and the runs it rests on. Pure: results in,
// claims out; the report, `coldbench claims` and tests share it.
import { median } from 'simple-statistics';
import { runtimeLabel, type RunResult, type StopReason } from '../results/types.js';
import { formatMs, formatNumber } from '../format.js';
import { PROBE_WORKLOAD, reachability, reachabilityWords } from '../measure/capability-outcomes.js';

export type ClaimVerdict = 'holds' | 'does not hold' | 'not measured';

export interface Claim {
  id: string;
  statement: string;
  verdict: ClaimVerdict;
  /** Where it holds and where it does not, with the figures. */
  evidence: string[];
  /** The runs the verdict rests on. */
  runs: string[];
  /** What would measure it, when it was not. */
  howToMeasure?: string;
}

const WASM_RUNTIMES = new Set(['wasm', 'wasm-per-process', 'wasmtime', 'wasmtime-serve']);
const CONTAINER_RUNTIMES = new Set(['docker']);
const MS_RANGE = 10; // "microseconds to milliseconds": a median deploy-to-first-response of at most 10 ms
const CONTAINER_RANGE = 100; // "hundreds of milliseconds to seconds": at least 100 ms
const WASM_DENSITY = 10_000; // "tens of thousands"

/** The workload's language, as its server app was built (" (C)", " (JS)"), or nothing when unknown. */
function languageOf(result: RunResult, workload: string): string {
  const app = result.artifacts.find((a) => a.workload === workload)?.builds.find((b) => b.kind === 'server-app') as { language?: string } | undefined;
  return app?.language ? ` (${app.language === 'c' ? 'C' : 'JS'})` : '';
}

function coldStartClaim(results: RunResult[]): Claim {
  const statement = `A Wasm component starts (deploy to first expected response) in microseconds to milliseconds (median ≤ ${MS_RANGE} ms) where a container takes hundreds of milliseconds or more (median ≥ ${CONTAINER_RANGE} ms).`;
  const evidence: string[] = [];
  const runs = new Set<string>();
  let holdsSomewhere = false;
  let compared = false;
  for (const result of results) {
    const totals = result.samples.filter((s) => s.measurement === 'coldstart' && s.phase === 'total');
    for (const workload of [...new Set(totals.map((s) => s.workload))]) {
      const of = (pick: (runtime: string) => boolean) => {
        const byRuntime = new Map<string, number[]>();
        for (const s of totals.filter((t) => t.workload === workload && pick(t.runtime ?? ''))) byRuntime.set(runtimeLabel(s), [...(byRuntime.get(runtimeLabel(s)) ?? []), s.value]);
        return [...byRuntime].map(([runtime, values]) => ({ runtime, median: median(values) }));
      };
      const containers = of((r) => CONTAINER_RUNTIMES.has(r));
      const wasm = of((r) => WASM_RUNTIMES.has(r));
      if (containers.length === 0 || wasm.length === 0) continue;
      compared = true;
      runs.add(result.runId);
      const container = containers[0]!;
      const containerSlow = container.median >= CONTAINER_RANGE;
      for (const w of wasm.sort((a, b) => a.median - b.median)) {
        const holds = w.median <= MS_RANGE && containerSlow;
        holdsSomewhere ||= holds;
        evidence.push(`${holds ? 'holds' : 'does not hold'} for ${workload}${languageOf(result, workload)} on ${w.runtime}: ${formatMs(w.median)} against ${container.runtime} ${formatMs(container.median)} (${container.median >= w.median ? `${formatNumber(container.median / w.median)}× sooner` : `${formatNumber(w.median / container.median)}× later`}; run ${result.runId})`);
      }
    }
  }
  if (!compared) return { id: 'cold-start', statement, verdict: 'not measured', evidence, runs: [], howToMeasure: 'a coldstart measurement with docker and at least one Wasm runtime (e.g. scenarios/quick.yaml)' };
  return { id: 'cold-start', statement, verdict: holdsSomewhere ? 'holds' : 'does not hold', evidence, runs: [...runs] };
}

/** Whether a ramp ended at a limit of the machine (or runtime), rather than at one the scenario set. */
const atMachineLimit = (stop: StopReason) => stop.kind === 'failure' || stop.kind === 'memory-budget';

function stopWords(stop: StopReason): string {
  switch (stop.kind) {
    case 'last-step': case 'tenant-cap': return `a cap of the scenario (${stop.kind}): a lower bound, not a limit of the machine`;
    case 'time-limit': return `its time limit (${formatNumber(stop.limitSec)} s): a lower bound, not a limit of the machine`;
    case 'failure': return `its first failure${stop.limit ? ` (${stop.limit} limit)` : ''}`;
    default: return `its ${stop.kind.replace('-', ' ')}`;
  }
}

function densityClaim(results: RunResult[]): Claim {
  const statement = `One server holds tens of thousands of Wasm tenants (at least ${WASM_DENSITY.toLocaleString('en-US')}) where it holds thousands of containers.`;
  const evidence: string[] = [];
  const runs = new Set<string>();
  const ramps = results.flatMap((result) => result.densityRamps.map((ramp) => ({ ramp, runId: result.runId })));
  const wasm = ramps.filter(({ ramp }) => WASM_RUNTIMES.has(ramp.runtime));
  const containers = ramps.filter(({ ramp }) => CONTAINER_RUNTIMES.has(ramp.runtime));
  for (const { ramp, runId } of [...wasm, ...containers]) {
    runs.add(runId);
    evidence.push(`${ramp.workload} on ${runtimeLabel(ramp)}: ${formatNumber(ramp.reachedTenants)} tenants, stopped by ${stopWords(ramp.stop)} (run ${runId})`);
  }
  const howToMeasure = 'density ramps for docker and a Wasm runtime, the containers\' ending at a limit of the machine (a failure or the memory budget): scenarios/density-max.yaml with scenarios/density-docker-max.yaml';
  if (wasm.length === 0 || containers.length === 0) return { id: 'density', statement, verdict: 'not measured', evidence, runs: [...runs], howToMeasure };
  const wasmReached = Math.max(...wasm.map(({ ramp }) => ramp.reachedTenants));
  const containersReached = Math.max(...containers.map(({ ramp }) => ramp.reachedTenants));
  if (wasmReached < WASM_DENSITY || containersReached >= wasmReached) return { id: 'density', statement, verdict: 'does not hold', evidence, runs: [...runs] };
  // Containers stopped by a time limit or a cap say only "at least": the contrast needs a real stop.
  if (!containers.some(({ ramp }) => atMachineLimit(ramp.stop))) {
    return { id: 'density', statement, verdict: 'not measured', evidence: [...evidence, 'no container ramp ended at a limit of the machine, so the containers\' count is only a lower bound'], runs: [...runs], howToMeasure };
  }
  return { id: 'density', statement, verdict: 'holds', evidence, runs: [...runs] };
}

function portabilityClaim(results: RunResult[]): Claim {
  const statement = 'The same Wasm artifact (byte for byte) runs unchanged on different CPU architectures, where containers need an image per architecture.';
  const archs = new Set(results.map((r) => r.fingerprint.arch));
  if (archs.size < 2) {
    return {
      id: 'portability', statement, verdict: 'not measured', evidence: [`results from one architecture only (${[...archs].join(', ')})`], runs: results.map((r) => r.runId),
      howToMeasure: 'runs on two architectures with the same workloads (e.g. the GitHub workflow on x64 and arm64 runners), then `coldbench claims a.json b.json`',
    };
  }
  const evidence: string[] = [];
  let holds = true;
  const components = new Map<string, Map<string, string>>(); // workload -> arch -> component hash
  for (const result of results) {
    for (const artifact of result.artifacts) {
      const component = artifact.builds.find((b) => b.kind === 'component');
      const verified = !result.warnings.some((w) => w.kind === 'not-verified' && w.workload === artifact.workload && WASM_RUNTIMES.has((w.runtime ?? '').split(' ')[0]!));
      if (!component || !verified) continue;
      const byArch = components.get(artifact.workload) ?? new Map<string, string>();
      byArch.set(result.fingerprint.arch, component.sha256 ?? component.hash);
      components.set(artifact.workload, byArch);
    }
  }
  for (const [workload, byArch] of components) {
    if (byArch.size < 2) continue;
    const same = new Set(byArch.values()).size === 1;
    holds &&= same;
    evidence.push(`${workload}: ${same ? 'the same component' : 'different components'} answered exactly on ${[...byArch.keys()].join(' and ')}`);
  }
  if (evidence.length === 0) return { id: 'portability', statement, verdict: 'not measured', evidence: ['no workload was built and verified on two architectures'], runs: results.map((r) => r.runId) };
  return { id: 'portability', statement, verdict: holds ? 'holds' : 'does not hold', evidence, runs: results.map((r) => r.runId) };
}

function isolationClaim(results: RunResult[]): Claim {
  const statement = 'A Wasm tenant cannot read the host\'s files or environment, or open network connections, unless granted.';
  const howToMeasure = `the capabilities measurement on a Wasm runtime (scenarios/capabilities.yaml: the ${PROBE_WORKLOAD} workload on every runtime)`;
  const rows = results.flatMap((result) => reachability(result).map((row) => ({ row, runId: result.runId })));
  const wasm = rows.filter(({ row }) => WASM_RUNTIMES.has(row.runtimeName));
  const others = rows.filter(({ row }) => !WASM_RUNTIMES.has(row.runtimeName));
  const words = ({ row, runId }: (typeof rows)[number]) => `${reachabilityWords(row)} (run ${runId})`;
  const evidence = [...wasm, ...others].map(words);
  const runs = [...new Set(rows.map(({ runId }) => runId))];
  if (wasm.length === 0) return { id: 'isolation', statement, verdict: 'not measured', evidence, runs, howToMeasure };
  const leaky = wasm.filter(({ row }) => row.reachedProbes.length > 0);
  return { id: 'isolation', statement, verdict: leaky.length === 0 ? 'holds' : 'does not hold', evidence, runs };
}

export function evaluateClaims(results: RunResult[]): Claim[] {
  return [coldStartClaim(results), densityClaim(results), portabilityClaim(results), isolationClaim(results)];
}

/** The claims as plain text, for the terminal. */
export function claimsText(claims: Claim[]): string {
  return claims.map((c) => [
    `${c.verdict.toUpperCase()}: ${c.statement}`,
    ...c.evidence.map((e) => `  - ${e}`),
    ...(c.howToMeasure ? [`  to measure it: ${c.howToMeasure}`] : []),
  ].join('\n')).join('\n\n');
}
