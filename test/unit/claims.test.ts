// The Claims section: verdicts from results, with the figures and runs they rest on.
import { describe, expect, it } from 'vitest';
import { evaluateClaims } from '../../src/report/claims.js';
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
      'hello-c on wasmtime (per-request): 10000 tenants, stopped by a cap of the scenario (last-step): a lower bound, not a limit of the machine (run synthetic-run)',
      'hello-c on docker: 1200 tenants, stopped by its first failure (pids limit) (run synthetic-run)',
    ]);
    result.densityRamps[0]!.reachedTenants = 1000;
    expect(claim('density', [result]).verdict).toBe('does not hold');
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
    result.warnings.push({ kind: 'not-verified', workload: 'hello-c', runtime: 'wasm on arm64 (emulated)', message: 'no' });
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
    expect(c.evidence[0]).toMatch(/ms \(2× later; run synthetic-run\)$/);
  });
});
