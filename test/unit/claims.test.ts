// The Claims section: verdicts from results, with the figures and runs they rest on.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateClaims } from '../../src/report/claims.js';
import { readResults } from '../../src/results/read.js';
import type { RunResult } from '../../src/results/types.js';
import { ROOT } from '../basics.js';
import { syntheticResult, withProbes } from '../fixtures.js';

const claim = (id: string, results = [syntheticResult()]) => evaluateClaims(results).find((c) => c.id === id)!;

describe('claims', () => {
  it('cold start holds where a Wasm runtime answers within milliseconds and the container takes 100s of ms', () => {
    const c = claim('cold-start', [syntheticResult({ coldStartMs: { docker: 180, wasm: 4 } })]);
    expect(c.verdict).toBe('holds');
    expect(c.evidence[0]).toBe('holds for hello (JS) on wasm: 3.98 ms against docker 179 ms (45× sooner; run synthetic-run)');
    expect(c.runs).toEqual(['synthetic-run']);
  });

  it('cold start does not hold where the Wasm tenant is slow', () => {
    expect(claim('cold-start', [syntheticResult({ coldStartMs: { docker: 180, wasm: 45 } })]).verdict).toBe('does not hold');
  });

  it('is not measured without a container and a Wasm runtime, and says what would measure it', () => {
    const c = claim('cold-start', [syntheticResult({ coldStartMs: { process: 80, wasm: 4 } })]);
    expect(c.verdict).toBe('not measured');
    expect(c.howToMeasure).toContain('docker');
  });

  it('density holds only when a Wasm runtime reached tens of thousands and containers stopped short at a limit of the machine', () => {
    const result = syntheticResult();
    result.densityRamps = [
      { workload: 'hello-c', runtime: 'wasmtime', variant: 'per-request', reachedTenants: 10_000, stop: { kind: 'last-step', tenants: 10_000 }, teardownMs: 1 },
      {
        workload: 'hello-c',
        runtime: 'docker',
        reachedTenants: 1_200,
        stop: { kind: 'failure', tenants: 1_200, during: 'deploy', error: 'fork: resource temporarily unavailable', limit: 'pids' },
        teardownMs: 1,
      },
    ];
    const c = claim('density', [result]);
    expect(c.verdict).toBe('holds');
    expect(c.evidence).toEqual([
      'hello-c (C) on wasmtime (per-request): 10000 tenants, stopped by a cap of the scenario (last-step): a lower bound, not a limit of the machine (run synthetic-run)',
      'hello-c (C) on docker: 1200 tenants, stopped by its first failure (pids limit) (run synthetic-run)',
    ]);
    // The Wasm ramp failed (a limit of the machine) below ten thousand: the Wasm half fails.
    result.densityRamps[0] = {
      ...result.densityRamps[0]!,
      reachedTenants: 1000,
      stop: { kind: 'failure', tenants: 1000, during: 'deploy', error: 'out of memory', limit: 'memory' },
    };
    const fails = claim('density', [result]);
    expect(fails.verdict).toBe('does not hold');
    expect(fails.evidence.slice(-2)).toEqual([
      'the Wasm part fails: the densest Wasm ramp (1,000 on wasmtime (per-request)) ended at a limit of the machine below 10,000',
      "the container part fails: docker held 1,200 containers, as many as the Wasm ramp's limit of 1,000",
    ]);
  });

  it("density is not measured, not refuted, when every ramp stopped at the scenario's own caps (lower bounds)", () => {
    // The case from the issue: wasmtime capped at 1,000 tenants, docker at 500; both counts are lower bounds.
    const result = syntheticResult();
    result.densityRamps = [
      { workload: 'hello-c', runtime: 'wasmtime', variant: 'per-request', reachedTenants: 1_000, stop: { kind: 'tenant-cap', tenants: 1_000 }, teardownMs: 1 },
      { workload: 'hello-c', runtime: 'docker', reachedTenants: 500, stop: { kind: 'last-step', tenants: 500 }, teardownMs: 1 },
    ];
    const c = claim('density', [result]);
    expect(c.verdict).toBe('not measured');
    expect(c.evidence.slice(-2)).toEqual([
      'the Wasm part is not measured: the densest Wasm ramp (1,000 on wasmtime (per-request)) ended at a cap of the scenario (tenant-cap): a lower bound, not a limit of the machine',
      "no container ramp ended at a limit of the machine, so the containers' count (500 on docker) is only a lower bound",
    ]);
    expect(c.howToMeasure).toContain("not at the scenario's steps, maxTenants or timeLimitSec");
    // Containers capped at or above a capped Wasm count refute nothing either.
    result.densityRamps[1] = { ...result.densityRamps[1]!, reachedTenants: 1_000 };
    expect(claim('density', [result]).verdict).toBe('not measured');
  });

  it('density is judged against the densest container variant, and names it', () => {
    const result = syntheticResult();
    const docker = (variant: string, reachedTenants: number) => ({
      workload: 'hello-c',
      runtime: 'docker',
      variant,
      reachedTenants,
      stop: { kind: 'failure' as const, tenants: reachedTenants, during: 'deploy' as const, error: 'fork', limit: 'pids' as const },
      teardownMs: 1,
    });
    result.densityRamps = [
      { workload: 'hello-c', runtime: 'wasmtime', variant: 'per-request', reachedTenants: 12_000, stop: { kind: 'last-step', tenants: 12_000 }, teardownMs: 1 },
      docker('runc', 1_200),
      docker('crun', 2_500),
    ];
    const c = claim('density', [result]);
    expect(c.verdict).toBe('holds');
    expect(c.evidence).toContain('judged against the densest container measured: 2,500 on docker (crun) (run synthetic-run)');
    // A container variant that holds as many tenants as the Wasm host stopped at (at a limit) refutes it.
    result.densityRamps[0]!.stop = { kind: 'memory-budget', tenants: 12_000, budgetMiB: 1000 };
    result.densityRamps.push(docker('crun/pre-created', 12_000));
    const refuted = claim('density', [result]);
    expect(refuted.verdict).toBe('does not hold');
    expect(refuted.evidence.at(-1)).toBe(
      "the container part fails: docker (crun/pre-created) held 12,000 containers, as many as the Wasm ramp's limit of 12,000",
    );
  });

  it('density is not measured when the containers only ran out of time: their count is a lower bound', () => {
    const result = syntheticResult();
    result.densityRamps = [
      { workload: 'hello-c', runtime: 'wasmtime', variant: 'per-request', reachedTenants: 20_000, stop: { kind: 'last-step', tenants: 20_000 }, teardownMs: 1 },
      { workload: 'hello-c', runtime: 'docker', reachedTenants: 1_471, stop: { kind: 'time-limit', tenants: 1_471, limitSec: 120 }, teardownMs: 1 },
    ];
    const c = claim('density', [result]);
    expect(c.verdict).toBe('not measured');
    expect(c.evidence.at(-1)).toContain('only a lower bound');
    expect(c.howToMeasure).toContain('limit of the machine');
  });

  it('portability needs two architectures, and holds when the same component answered on both', () => {
    expect(claim('portability').verdict).toBe('not measured');
    const x64 = syntheticResult();
    const arm = syntheticResult({ hostname: 'arm', arch: 'arm64' });
    for (const r of [x64, arm])
      r.artifacts = [{ workload: 'hello', builds: [{ kind: 'component', hash: 'h', sha256: 'abc', cached: true, buildMs: 0, sizes: {} }] }];
    expect(claim('portability', [x64, arm])).toMatchObject({
      verdict: 'holds',
      evidence: ['hello: the same component (sha256 abc…) answered exactly on amd64 and arm64'],
    });
    arm.artifacts[0]!.builds[0]!.sha256 = 'def';
    expect(claim('portability', [x64, arm]).verdict).toBe('does not hold');
  });

  it('isolation is not measured without capability probes on a Wasm runtime, and says what would measure it', () => {
    const c = claim('isolation');
    expect(c.verdict).toBe('not measured');
    expect(c.howToMeasure).toContain('scenarios/capabilities.yaml');
    expect(claim('isolation', [withProbes({ process: { 'env-sentinel': 'reached' } })]).verdict).toBe('not measured');
  });

  it('isolation holds when every Wasm runtime reached nothing, and states what processes and containers reached', () => {
    const result = withProbes({
      wasm: { 'connect-harness': 'not-available' },
      'wasmtime-serve': { 'env-vars': 1 },
      process: { 'env-vars': 39, 'env-sentinel': 'reached', 'read-etc-shadow': 'reached', 'connect-harness': 'reached' },
      docker: { 'env-vars': 5, 'write-root': 'reached', 'connect-harness': 'reached' },
    });
    const c = claim('isolation', [result]);
    expect(c.verdict).toBe('holds');
    expect(c.runs).toEqual(['synthetic-run']);
    expect(c.evidence).toEqual([
      'wasm reached nothing of the host it tried (sees 0 environment variables) (run synthetic-run)',
      'wasmtime-serve reached nothing of the host it tried (sees 1 environment variable) (run synthetic-run)',
      'docker reached write-root, connect-harness (sees 5 environment variables) (run synthetic-run)',
      'process reached env-sentinel, read-etc-shadow, connect-harness (sees 39 environment variables) (run synthetic-run)',
    ]);
  });

  it('isolation does not hold when a Wasm tenant reached anything of the host', () => {
    const c = claim('isolation', [withProbes({ wasm: {}, wasmtime: { 'read-harness-file': 'reached' } })]);
    expect(c.verdict).toBe('does not hold');
    expect(c.evidence).toContain('wasmtime reached read-harness-file (sees 0 environment variables) (run synthetic-run)');
  });

  it('portability holds within one run of two platforms, and names the images that differ', () => {
    const result = syntheticResult();
    const component = { kind: 'component' as const, hash: 'h', sha256: 'c0ffee', cached: true, buildMs: 0, sizes: {} };
    const image = (digest: string, bytes: number) => ({
      kind: 'image' as const,
      hash: 'i',
      tag: 't',
      digest,
      cached: true,
      buildMs: 0,
      sizes: { image: bytes },
    });
    result.artifacts = [
      { workload: 'hello-c', platform: 'linux/amd64', emulated: false, builds: [image('sha256:aaaa', 772936), component] },
      { workload: 'hello-c', platform: 'linux/arm64', emulated: true, builds: [image('sha256:bbbb', 600136), component] },
    ];
    expect(claim('portability', [result])).toMatchObject({
      verdict: 'holds',
      evidence: [
        'hello-c: the same component (sha256 c0ffee…) answered exactly on amd64 and arm64 (emulated)',
        'hello-c: a different container image per architecture: amd64 aaaa (755 KiB), arm64 bbbb (586 KiB)',
      ],
    });
    // A Wasm runtime that did not answer on the emulated platform leaves one architecture only.
    // An older file's warning that names the runtime by its label loads, but matches no identity.
    result.warnings.push({ kind: 'not-verified', workload: 'hello-c', runtime: 'wasm on arm64 (emulated)', message: 'no' });
    expect(claim('portability', [result]).verdict).toBe('holds');
    result.warnings.push({ kind: 'not-verified', workload: 'hello-c', runtime: 'wasm', arch: 'arm64', emulated: true, message: 'no' });
    expect(claim('portability', [result]).verdict).toBe('not measured');
  });

  it('cold start is judged within one architecture, and never on emulated timings', () => {
    const result = syntheticResult({ coldStartMs: { docker: 180, wasm: 4 } });
    // Emulated arm64: a slow Wasm tenant beside a fast container must neither count nor pair with the host's docker.
    const emulated = result.samples
      .filter((s) => s.measurement === 'coldstart')
      .map((s) => ({ ...s, arch: 'arm64', emulated: true, value: s.runtime === 'wasm' ? s.value * 30 : s.value }));
    result.samples.push(...emulated);
    const c = claim('cold-start', [result]);
    expect(c.verdict).toBe('holds');
    expect(c.evidence.filter((e) => e.startsWith('holds') || e.startsWith('does not hold'))).toHaveLength(1);
    expect(c.evidence.find((e) => e.startsWith('not counted'))).toContain('wasm on arm64 (emulated): 119 ms against docker on arm64 (emulated) 179 ms');
  });
});

describe('claim wording', () => {
  it('says "later", not "0.5× sooner", when the Wasm tenant is the slower', () => {
    const c = claim('cold-start', [syntheticResult({ coldStartMs: { docker: 100, wasm: 200 } })]);
    expect(c.evidence[0]).toContain('ms (2× later; run synthetic-run)');
  });

  it('says which half failed: the Wasm part holds when only the containers started faster than the claim says', () => {
    const c = claim('cold-start', [syntheticResult({ coldStartMs: { docker: 79, wasm: 1.8 } })]);
    expect(c.verdict).toBe('does not hold');
    expect(c.evidence[0]).toBe(
      'does not hold for hello (JS) on wasm: 1.79 ms against docker 78.6 ms (43.9× sooner; run synthetic-run): the Wasm part holds; containers start in 78.6 ms here (docker), not hundreds',
    );
    expect(claim('cold-start', [syntheticResult({ coldStartMs: { docker: 180, wasm: 40 } })]).evidence[0]).toMatch(
      /: the Wasm part fails: 39.8 ms, not at most 10 ms; the container part holds$/,
    );
  });
});

/** Moves one synthetic runtime's samples to a variant of another runtime (`docker-crun` → docker, variant crun). */
function asVariant(result: RunResult, from: string, runtime: string, variant: string): RunResult {
  for (const s of result.samples) if (s.runtime === from) Object.assign(s, { runtime, variant });
  result.densityRamps = result.densityRamps.filter((r) => r.runtime !== from);
  return result;
}

describe('claims judged against the fastest container', () => {
  it('a faster container variant becomes the baseline, named, with the default still listed', () => {
    const slowOnly = claim('cold-start', [asVariant(syntheticResult({ coldStartMs: { 'docker-runc': 300, wasm: 4 } }), 'docker-runc', 'docker', 'runc')]);
    expect(slowOnly.verdict).toBe('holds');
    expect(slowOnly.evidence[0]).toBe('holds for hello (JS) on wasm: 3.98 ms against docker (runc) 299 ms (75× sooner; run synthetic-run)');
    const result = syntheticResult({ coldStartMs: { 'docker-runc': 300, 'docker-crun-pre': 12, wasm: 4 } });
    asVariant(result, 'docker-runc', 'docker', 'runc');
    asVariant(result, 'docker-crun-pre', 'docker', 'crun/pre-created');
    const c = claim('cold-start', [result]);
    expect(c.verdict).toBe('does not hold');
    expect(c.evidence[0]).toBe(
      'does not hold for hello (JS) on wasm: 3.98 ms against the fastest container, docker (crun/pre-created) 11.9 ms (3× sooner), and the default, docker (runc) 299 ms (75× sooner) (run synthetic-run): the Wasm part holds; containers start in 11.9 ms here (docker (crun/pre-created)), not hundreds',
    );
  });

  it("the default is the variant at the engine's defaults as the run recorded them, whichever was measured first", () => {
    // A second engine measured first is not the default either: the scenario named docker first.
    const result = syntheticResult({ coldStartMs: { 'podman-create': 100, 'docker-pre': 200, 'docker-create': 300, wasm: 4 } });
    asVariant(result, 'podman-create', 'podman', 'create');
    asVariant(result, 'docker-pre', 'docker', 'runc/pre-created');
    asVariant(result, 'docker-create', 'docker', 'runc/create');
    result.runtimes = [
      { runtime: 'docker', family: 'container', available: true, variants: ['runc/create', 'runc/pre-created'] },
      { runtime: 'podman', family: 'container', available: true, variants: ['create'] },
      ...result.runtimes.filter((s) => s.runtime !== 'docker' && s.runtime !== 'podman'),
    ];
    expect(claim('cold-start', [result]).evidence[0]).toContain('and the default, docker (runc/create) 299 ms');
  });
});

describe('runtime families come from the results file or the registry, never from names in the claims', () => {
  const rename = (result: RunResult, from: string, to: string) => {
    for (const s of result.samples) if (s.runtime === from) s.runtime = to;
    for (const r of result.densityRamps) if (r.runtime === from) r.runtime = to;
    return result;
  };

  it("a registered descriptor of family 'wasm' (tests-only fake-wasm) appears in the cold-start, density and isolation claims", () => {
    process.env.COLDBENCH_TEST_RUNTIMES = '1';
    try {
      const result = rename(withProbes({ wasm: {}, docker: { 'write-root': 'reached' } }), 'wasm', 'fake-wasm');
      result.densityRamps = [
        { workload: 'hello', runtime: 'fake-wasm', reachedTenants: 20_000, stop: { kind: 'last-step', tenants: 20_000 }, teardownMs: 1 },
        { workload: 'hello', runtime: 'docker', reachedTenants: 900, stop: { kind: 'memory-budget', tenants: 900, budgetMiB: 100 }, teardownMs: 1 },
      ];
      const claims = evaluateClaims([result]);
      const byId = (id: string) => claims.find((c) => c.id === id)!;
      expect(byId('cold-start').evidence[0]).toMatch(/^holds for hello \(JS\) on fake-wasm: /);
      expect(byId('density')).toMatchObject({ verdict: 'holds' });
      expect(byId('density').evidence[0]).toMatch(/^hello \(JS\) on fake-wasm: 20000 tenants/);
      expect(byId('isolation')).toMatchObject({ verdict: 'holds' });
      expect(byId('isolation').evidence[0]).toMatch(/^fake-wasm reached nothing/);
    } finally {
      delete process.env.COLDBENCH_TEST_RUNTIMES;
    }
  });

  it('an older results file (schema 1: no families, stop reasons in words) is judged by the registry, its ramps as lower bounds', async () => {
    const claims = evaluateClaims([await readResults(join(ROOT, 'test', 'data', 'results-v1.json'))]);
    expect(claims.find((c) => c.id === 'cold-start')!.evidence[0]).toMatch(
      /^does not hold for hello-c \(C\) on wasm: .* against docker .*: the Wasm part fails/,
    );
    expect(claims.find((c) => c.id === 'density')!.verdict).toBe('not measured');
  });

  it('a runtime no registry knows counts by the family its results file recorded', () => {
    const result = rename(syntheticResult({ coldStartMs: { docker: 180, wasm: 4 } }), 'wasm', 'future-wasm');
    expect(claim('cold-start', [result]).verdict).toBe('not measured');
    result.runtimes = [{ runtime: 'future-wasm', family: 'wasm', available: true }];
    expect(claim('cold-start', [result]).evidence[0]).toMatch(/^holds for hello \(JS\) on future-wasm: /);
  });
});
