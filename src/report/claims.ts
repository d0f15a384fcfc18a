// The claims coldbench exists to test, each stated as a sentence that results can confirm or
// refute, with a verdict from the results at hand: holds, does not hold, or not measured (and what
// would measure it). Every verdict names the numbers and the runs it rests on. Pure: results in,
// claims out; the report, `coldbench claims` and tests share it.

import { median } from 'simple-statistics';
import { formatBytes, formatMs, formatNumber } from '../format.js';
import { PROBE_WORKLOAD, reachability, reachabilityWords } from '../measure/capability-outcomes.js';
import { identityKey, runtimeLabel } from '../results/identity.js';
import type { DensityRamp, RunResult, Sample, StopReason } from '../results/types.js';
import { runtimeFamily } from '../runtimes/family.js';
import { runtimeDescriptors } from '../runtimes/registry.js';
import type { BuildRecord } from '../workloads/artifacts.js';
import { autoscalingClaim } from './claim-autoscaling.js';
import { compositionClaim } from './claim-composition.js';
import { isolationModels } from './isolation-models.js';
import { workloadLanguage } from './workload-language.js';

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

const MS_RANGE = 10; // "microseconds to milliseconds": a median deploy-to-first-response of at most 10 ms
const CONTAINER_RANGE = 100; // "hundreds of milliseconds to seconds": at least 100 ms
const WASM_DENSITY = 10_000; // "tens of thousands"

/** The registered runtimes of a family, for "what would measure it". */
const namesOf = (family: string) =>
  runtimeDescriptors()
    .filter((d) => d.family === family)
    .map((d) => d.name)
    .join(' or ');

/** The workload's language (" (C)", " (JS)", " (Python)"), or nothing when unknown. */
function languageOf(result: RunResult, workload: string): string {
  const language = workloadLanguage(result, workload);
  return language ? ` (${language})` : '';
}

/** One runtime's median cold start in one workload and architecture. */
interface RuntimeMedian {
  runtime: string;
  /** A sample of it, for its identity. */
  identity?: Sample;
  median: number;
}

/**
 * The default container: the first container runtime the scenario names, at its defaults (the first
 * of its variants as the run recorded them: the descriptor lists the defaults first); else the
 * first measured.
 */
function defaultVariant(result: RunResult, containers: RuntimeMedian[]): RuntimeMedian {
  const unknown = Number.MAX_SAFE_INTEGER;
  const rank = (c: RuntimeMedian): [number, number] => {
    const runtimeAt = result.runtimes.findIndex((s) => s.runtime === c.identity?.runtime);
    const variants = result.runtimes[runtimeAt]?.variants;
    const variantAt = variants && c.identity?.variant ? variants.indexOf(c.identity.variant) : -1;
    return [runtimeAt < 0 ? unknown : runtimeAt, variantAt < 0 ? unknown : variantAt];
  };
  const before = (b: RuntimeMedian, a: RuntimeMedian) => {
    const [rb, ra] = [rank(b), rank(a)];
    return rb[0] < ra[0] || (rb[0] === ra[0] && rb[1] < ra[1]);
  };
  return containers.reduce((a, b) => (before(b, a) ? b : a));
}

const speedWords = (wasm: number, container: number) =>
  container >= wasm ? `${formatNumber(container / wasm)}× sooner` : `${formatNumber(wasm / container)}× later`;

/** Which half of the cold-start claim failed, in words, or undefined when both hold. */
function coldStartHalves(wasm: RuntimeMedian, fastest: RuntimeMedian): string | undefined {
  const wasmHolds = wasm.median <= MS_RANGE;
  const containersHold = fastest.median >= CONTAINER_RANGE;
  if (wasmHolds && containersHold) return undefined;
  const containers = `containers start in ${formatMs(fastest.median)} here (${fastest.runtime}), not hundreds`;
  if (wasmHolds) return `the Wasm part holds; ${containers}`;
  const slowWasm = `the Wasm part fails: ${formatMs(wasm.median)}, not at most ${MS_RANGE} ms`;
  return containersHold ? `${slowWasm}; the container part holds` : `${slowWasm}; and ${containers}`;
}

function coldStartClaim(results: RunResult[]): Claim {
  const statement = `A Wasm component starts (deploy to first expected response) in microseconds to milliseconds (median ≤ ${MS_RANGE} ms) where a container takes hundreds of milliseconds or more (median ≥ ${CONTAINER_RANGE} ms).`;
  const evidence: string[] = [];
  const runs = new Set<string>();
  let holdsSomewhere = false;
  let compared = false;
  for (const result of results) {
    const family = (s: Sample) => runtimeFamily(result, s.runtime);
    const totals = result.samples.filter((s) => s.measurement === 'coldstart' && s.phase === 'total');
    // Within one architecture only; an emulated one is shown but never counted: its timings are not hardware timings.
    const emulatedArch = (s: Sample) => (s.emulated ? (s.arch ?? '') : '');
    const groups = [...new Set(totals.map((s) => `${s.workload}\0${emulatedArch(s)}`))].map((key) => key.split('\0') as [string, string]);
    for (const [workload, emulated] of groups) {
      // Each runtime (by identity: variant, arm) in the family, in the order first measured.
      const of = (wanted: string): RuntimeMedian[] => {
        const byRuntime = new Map<string, { runtime: string; identity: Sample; values: number[] }>();
        for (const s of totals.filter((t) => t.workload === workload && emulatedArch(t) === emulated && family(t) === wanted)) {
          const entry = byRuntime.get(identityKey(s)) ?? { runtime: runtimeLabel(s), identity: s, values: [] };
          entry.values.push(s.value);
          byRuntime.set(identityKey(s), entry);
        }
        return [...byRuntime.values()].map(({ runtime, identity, values }) => ({ runtime, identity, median: median(values) }));
      };
      const containers = of('container');
      const wasm = of('wasm');
      if (containers.length === 0 || wasm.length === 0) continue;
      // Judged against the fastest container measured; the first measured (the engine's default) is still listed.
      const fastest = containers.reduce((a, b) => (b.median < a.median ? b : a));
      const first = defaultVariant(result, containers);
      for (const w of wasm.sort((a, b) => a.median - b.median)) {
        const halves = coldStartHalves(w, fastest);
        const vs = (c: RuntimeMedian) => `${c.runtime} ${formatMs(c.median)} (${speedWords(w.median, c.median)})`;
        const against =
          containers.length === 1
            ? `${fastest.runtime} ${formatMs(fastest.median)} (${speedWords(w.median, fastest.median)}; run ${result.runId})`
            : `the fastest container, ${vs(fastest)}${first === fastest ? '' : `, and the default, ${vs(first)}`} (run ${result.runId})`;
        const figures = `${workload}${languageOf(result, workload)} on ${w.runtime}: ${formatMs(w.median)} against ${against}`;
        if (emulated) {
          evidence.push(`not counted, emulated ${emulated}: ${figures}`);
          continue;
        }
        compared = true;
        runs.add(result.runId);
        holdsSomewhere ||= halves === undefined;
        evidence.push(`${halves ? 'does not hold' : 'holds'} for ${figures}${halves ? `: ${halves}` : ''}`);
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
      howToMeasure: `a coldstart measurement with a container runtime (${namesOf('container')}) and at least one Wasm runtime (e.g. scenarios/quick.yaml)`,
    };
  return { id: 'cold-start', statement, verdict: holdsSomewhere ? 'holds' : 'does not hold', evidence, runs: [...runs] };
}

/** Whether a ramp ended at a limit of the machine (or runtime), rather than at one the scenario set: only then is its count a limit, not a lower bound. */
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
    case 'interrupted':
      return 'an interruption: a lower bound, not a limit of the machine';
    case 'unknown':
      // Files of schema 1 give the reason in words only: not known to be a limit of the machine.
      return `"${stop.text}": a lower bound, not known to be a limit of the machine`;
    default:
      return `its ${stop.kind.replace('-', ' ')}`;
  }
}

type Part = 'holds' | 'fails' | 'unknown';
interface Ramped {
  ramp: DensityRamp;
  runId: string;
}

const densest = (ramps: Ramped[]) => ramps.reduce((a, b) => (b.ramp.reachedTenants > a.ramp.reachedTenants ? b : a));
const tenantsWords = (r: Ramped) => `${r.ramp.reachedTenants.toLocaleString('en-US')} on ${runtimeLabel(r.ramp)}`;

/**
 * The two halves of the density claim. A count that ended at a cap, a time limit or an interruption
 * is a lower bound: it can show that Wasm reached tens of thousands, never that it could not, and
 * never that containers stop short.
 */
function densityHalves(wasm: Ramped, container: Ramped): { wasm: Part; container: Part; words: string[] } {
  const wasmReal = atMachineLimit(wasm.ramp.stop);
  const containerReal = atMachineLimit(container.ramp.stop);
  const wasmPart: Part = wasm.ramp.reachedTenants >= WASM_DENSITY ? 'holds' : wasmReal ? 'fails' : 'unknown';
  const fewer = container.ramp.reachedTenants < wasm.ramp.reachedTenants;
  const containerPart: Part = fewer ? (containerReal ? 'holds' : 'unknown') : wasmReal ? 'fails' : 'unknown';
  const words: string[] = [];
  if (wasmPart === 'fails')
    words.push(
      `the Wasm part fails: the densest Wasm ramp (${tenantsWords(wasm)}) ended at a limit of the machine below ${WASM_DENSITY.toLocaleString('en-US')}`,
    );
  if (wasmPart === 'unknown') words.push(`the Wasm part is not measured: the densest Wasm ramp (${tenantsWords(wasm)}) ended at ${stopWords(wasm.ramp.stop)}`);
  if (containerPart === 'fails')
    words.push(
      `the container part fails: ${runtimeLabel(container.ramp)} held ${container.ramp.reachedTenants.toLocaleString('en-US')} containers, as many as the Wasm ramp's limit of ${wasm.ramp.reachedTenants.toLocaleString('en-US')}`,
    );
  if (containerPart === 'unknown')
    words.push(
      fewer
        ? `no container ramp ended at a limit of the machine, so the containers' count (${tenantsWords(container)}) is only a lower bound`
        : `the containers (${tenantsWords(container)}) reached at least the Wasm ramp's count, which is only a lower bound`,
    );
  return { wasm: wasmPart, container: containerPart, words };
}

function densityClaim(results: RunResult[]): Claim {
  const statement = `One server holds tens of thousands of Wasm tenants (at least ${WASM_DENSITY.toLocaleString('en-US')}) where it holds thousands of containers.`;
  const evidence: string[] = [];
  const runs = new Set<string>();
  const ramps = results.flatMap((result) =>
    result.densityRamps.map((ramp) => ({
      ramp,
      runId: result.runId,
      family: runtimeFamily(result, ramp.runtime),
      language: languageOf(result, ramp.workload),
    })),
  );
  const wasm = ramps.filter((r) => r.family === 'wasm');
  const containers = ramps.filter((r) => r.family === 'container');
  for (const { ramp, runId, language } of [...wasm, ...containers]) {
    runs.add(runId);
    evidence.push(
      `${ramp.workload}${language} on ${runtimeLabel(ramp)}: ${formatNumber(ramp.reachedTenants)} tenants, stopped by ${stopWords(ramp.stop)} (run ${runId})`,
    );
  }
  const howToMeasure = `density ramps for a container runtime (${namesOf('container')}) and a Wasm runtime that end at a limit of the machine (a failure or the memory budget), not at the scenario's steps, maxTenants or timeLimitSec: scenarios/density-max.yaml with scenarios/density-docker-max.yaml`;
  if (wasm.length === 0 || containers.length === 0) return { id: 'density', statement, verdict: 'not measured', evidence, runs: [...runs], howToMeasure };
  // Judged against the densest container measured (of every engine and variant).
  const container = densest(containers);
  if (new Set(containers.map((c) => identityKey(c.ramp))).size > 1)
    evidence.push(`judged against the densest container measured: ${tenantsWords(container)} (run ${container.runId})`);
  const halves = densityHalves(densest(wasm), container);
  const verdict: ClaimVerdict = [halves.wasm, halves.container].includes('fails')
    ? 'does not hold'
    : [halves.wasm, halves.container].includes('unknown')
      ? 'not measured'
      : 'holds';
  return {
    id: 'density',
    statement,
    verdict,
    evidence: [...evidence, ...halves.words],
    runs: [...runs],
    ...(verdict === 'not measured' ? { howToMeasure } : {}),
  };
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
      // A Wasm runtime of this platform that did not answer exactly was warned about with its identity.
      const refused = result.warnings.some(
        (w) =>
          w.kind === 'not-verified' &&
          w.workload === artifact.workload &&
          runtimeFamily(result, w.runtime) === 'wasm' &&
          Boolean(w.emulated) === emulated &&
          (!emulated || archName(w.arch ?? '') === arch),
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
  const rows = results.flatMap((result) => reachability(result).map((row) => ({ row, runId: result.runId, family: runtimeFamily(result, row.runtimeName) })));
  const wasm = rows.filter((r) => r.family === 'wasm');
  const others = rows.filter((r) => r.family !== 'wasm');
  const words = ({ row, runId }: (typeof rows)[number]) => `${reachabilityWords(row)} (run ${runId})`;
  const evidence = [...wasm, ...others].map(words);
  evidence.push(...isolationModels(results)); // what tenants can do to each other on each host
  const runs = [...new Set(rows.map(({ runId }) => runId))];
  if (wasm.length === 0) return { id: 'isolation', statement, verdict: 'not measured', evidence, runs, howToMeasure };
  const leaky = wasm.filter(({ row }) => row.reachedProbes.length > 0);
  return { id: 'isolation', statement, verdict: leaky.length === 0 ? 'holds' : 'does not hold', evidence, runs };
}

export function evaluateClaims(results: RunResult[]): Claim[] {
  return [
    coldStartClaim(results),
    densityClaim(results),
    portabilityClaim(results),
    isolationClaim(results),
    autoscalingClaim(results),
    compositionClaim(results),
  ];
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
