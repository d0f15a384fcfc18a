// The claims coldbench exists to test, each stated as a sentence that results can confirm or
// refute, with a verdict from the results at hand: holds, does not hold, or not measured (and what
// would measure it). Every verdict names the numbers and the runs it rests on. Pure: results in,
// claims out; the report, `coldbench claims` and tests share it.
import { median } from 'simple-statistics';
import { formatBytes, formatMs, formatNumber } from '../format.js';
import { PROBE_WORKLOAD, reachability, reachabilityWords } from '../measure/capability-outcomes.js';
import { runtimeLabel } from '../results/identity.js';
import type { RunResult, Sample, StopReason } from '../results/types.js';
import type { BuildRecord } from '../workloads/artifacts.js';

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
    // Within one architecture only; an emulated one is shown but never counted: its timings are not hardware timings.
    const emulatedArch = (s: Sample) => (s.emulated ? (s.arch ?? '') : '');
    const groups = [...new Set(totals.map((s) => `${s.workload}\0${emulatedArch(s)}`))].map((key) => key.split('\0') as [string, string]);
    for (const [workload, emulated] of groups) {
      const of = (pick: (runtime: string) => boolean) => {
        const byRuntime = new Map<string, number[]>();
        for (const s of totals.filter((t) => t.workload === workload && emulatedArch(t) === emulated && pick(t.runtime ?? '')))
          byRuntime.set(runtimeLabel(s), [...(byRuntime.get(runtimeLabel(s)) ?? []), s.value]);
        return [...byRuntime].map(([runtime, values]) => ({ runtime, median: median(values) }));
      };
      const containers = of((r) => CONTAINER_RUNTIMES.has(r));
      const wasm = of((r) => WASM_RUNTIMES.has(r));
      if (containers.length === 0 || wasm.length === 0) continue;
      const container = containers[0]!;
      const containerSlow = container.median >= CONTAINER_RANGE;
      for (const w of wasm.sort((a, b) => a.median - b.median)) {
        const holds = w.median <= MS_RANGE && containerSlow;
        const figures = `${workload}${languageOf(result, workload)} on ${w.runtime}: ${formatMs(w.median)} against ${container.runtime} ${formatMs(container.median)} (${container.median >= w.median ? `${formatNumber(container.median / w.median)}× sooner` : `${formatNumber(w.median / container.median)}× later`}; run ${result.runId})`;
        if (emulated) {
          evidence.push(`not counted, emulated ${emulated}: ${figures}`);
          continue;
        }
        compared = true;
        runs.add(result.runId);
        holdsSomewhere ||= holds;
        evidence.push(`${holds ? 'holds' : 'does not hold'} for ${figures}`);
      }
    }
  }
  if (!compared)
    return {
      id: 'cold-start',
      statement,
      verdict: 'not measured',
      evidence,
      runs: [],
      howToMeasure: 'a coldstart measurement with docker and at least one Wasm runtime (e.g. scenarios/quick.yaml)',
    };
  return { id: 'cold-start', statement, verdict: holdsSomewhere ? 'holds' : 'does not hold', evidence, runs: [...runs] };
}

/** Whether a ramp ended at a limit of the machine (or runtime), rather than at one the scenario set. */
const atMachineLimit = (stop: StopReason) => stop.kind === 'failure' || stop.kind === 'memory-budget';

function stopWords(stop: StopReason): string {
  switch (stop.kind) {
    case 'last-step':
    case 'tenant-cap':
      return `a cap of the scenario (${stop.kind}): a lower bound, not a limit of the machine`;
    case 'time-limit':
      return `its time limit (${formatNumber(stop.limitSec)} s): a lower bound, not a limit of the machine`;
    case 'failure':
      return `its first failure${stop.limit ? ` (${stop.limit} limit)` : ''}`;
    default:
      return `its ${stop.kind.replace('-', ' ')}`;
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
  const howToMeasure =
    "density ramps for docker and a Wasm runtime, the containers' ending at a limit of the machine (a failure or the memory budget): scenarios/density-max.yaml with scenarios/density-docker-max.yaml";
  if (wasm.length === 0 || containers.length === 0) return { id: 'density', statement, verdict: 'not measured', evidence, runs: [...runs], howToMeasure };
  const wasmReached = Math.max(...wasm.map(({ ramp }) => ramp.reachedTenants));
  const containersReached = Math.max(...containers.map(({ ramp }) => ramp.reachedTenants));
  if (wasmReached < WASM_DENSITY || containersReached >= wasmReached) return { id: 'density', statement, verdict: 'does not hold', evidence, runs: [...runs] };
  // Containers stopped by a time limit or a cap say only "at least": the contrast needs a real stop.
  if (!containers.some(({ ramp }) => atMachineLimit(ramp.stop))) {
    return {
      id: 'density',
      statement,
      verdict: 'not measured',
      evidence: [...evidence, "no container ramp ended at a limit of the machine, so the containers' count is only a lower bound"],
      runs: [...runs],
      howToMeasure,
    };
  }
  return { id: 'density', statement, verdict: 'holds', evidence, runs: [...runs] };
}

/** Docker's architecture names, so that a fingerprint's "x64" and a platform's "amd64" are one architecture. */
const ARCH_NAMES: Record<string, string> = { x64: 'amd64' };
const archName = (arch: string) => ARCH_NAMES[arch] ?? arch;

/** One workload's builds on one architecture: from a run's own platforms, or the machine's. */
interface ArchBuilds {
  workload: string;
  arch: string;
  emulated: boolean;
  runId: string;
  component?: BuildRecord;
  image?: BuildRecord & { digest?: string };
  wasmVerified: boolean;
}

function archBuilds(results: RunResult[]): ArchBuilds[] {
  return results.flatMap((result) =>
    result.artifacts.map((artifact) => {
      const arch = archName(artifact.platform?.split('/')[1] ?? result.fingerprint.arch);
      const emulated = artifact.emulated ?? false;
      // A Wasm runtime of this platform that did not answer exactly was warned about by its label.
      const refused = result.warnings.some(
        (w) =>
          w.kind === 'not-verified' &&
          w.workload === artifact.workload &&
          WASM_RUNTIMES.has((w.runtime ?? '').split(' ')[0]!) &&
          (w.runtime ?? '').endsWith(` on ${arch} (emulated)`) === emulated,
      );
      return {
        workload: artifact.workload,
        arch,
        emulated,
        runId: result.runId,
        wasmVerified: !refused,
        component: artifact.builds.find((b) => b.kind === 'component'),
        image: artifact.builds.find((b) => b.kind === 'image'),
      };
    }),
  );
}

const archWords = (b: ArchBuilds) => (b.emulated ? `${b.arch} (emulated)` : b.arch);
const shortHash = (hash: string) => hash.replace(/^sha256:/, '').slice(0, 12);

function portabilityClaim(results: RunResult[]): Claim {
  const statement = 'The same Wasm artifact (byte for byte) runs unchanged on different CPU architectures, where containers need an image per architecture.';
  const builds = archBuilds(results);
  const archs = new Set([...results.map((r) => archName(r.fingerprint.arch)), ...builds.map((b) => b.arch)]);
  if (archs.size < 2) {
    return {
      id: 'portability',
      statement,
      verdict: 'not measured',
      evidence: [`results from one architecture only (${[...archs].join(', ')})`],
      runs: results.map((r) => r.runId),
      howToMeasure:
        "scenarios/arch.yaml (this machine's architecture and emulated arm64), or runs on two architectures with the same workloads (e.g. the GitHub workflow on x64 and arm64 runners), then `coldbench claims a.json b.json`",
    };
  }
  const evidence: string[] = [];
  const runs = new Set<string>();
  let holds = true;
  for (const workload of [...new Set(builds.map((b) => b.workload))]) {
    const answered = builds.filter((b) => b.workload === workload && b.component && b.wasmVerified);
    if (new Set(answered.map((b) => b.arch)).size < 2) continue;
    for (const b of answered) runs.add(b.runId);
    const hashes = new Set(answered.map((b) => b.component!.sha256 ?? b.component!.hash));
    const same = hashes.size === 1;
    holds &&= same;
    const where = [...new Set(answered.map(archWords))].join(' and ');
    evidence.push(
      same
        ? `${workload}: the same component${answered[0]!.component!.sha256 ? ` (sha256 ${shortHash(answered[0]!.component!.sha256)}…)` : ''} answered exactly on ${where}`
        : `${workload}: different components (${[...hashes].map(shortHash).join(', ')}) answered on ${where}`,
    );
    // The contrast: the container images of the same workload, one per architecture.
    const images = builds.filter((b) => b.workload === workload && b.image?.digest);
    const digests = new Map(images.map((b) => [b.arch, b.image!]));
    if (digests.size >= 2) {
      const differ = new Set([...digests.values()].map((i) => i.digest)).size === digests.size;
      evidence.push(
        `${workload}: ${differ ? 'a different container image per architecture' : 'container images shared across architectures'}: ${[...digests].map(([arch, image]) => `${arch} ${shortHash(image.digest!)} (${formatBytes(image.sizes.image ?? 0)})`).join(', ')}`,
      );
    }
  }
  if (evidence.length === 0)
    return {
      id: 'portability',
      statement,
      verdict: 'not measured',
      evidence: ['no workload was built and verified on two architectures'],
      runs: results.map((r) => r.runId),
    };
  return { id: 'portability', statement, verdict: holds ? 'holds' : 'does not hold', evidence, runs: [...runs] };
}

function isolationClaim(results: RunResult[]): Claim {
  const statement = "A Wasm tenant cannot read the host's files or environment, or open network connections, unless granted.";
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
  return claims
    .map((c) =>
      [
        `${c.verdict.toUpperCase()}: ${c.statement}`,
        ...c.evidence.map((e) => `  - ${e}`),
        ...(c.howToMeasure ? [`  to measure it: ${c.howToMeasure}`] : []),
      ].join('\n'),
    )
    .join('\n\n');
}
