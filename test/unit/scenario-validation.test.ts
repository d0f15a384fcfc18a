import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeNames } from '../../src/runtimes/registry.js';
import { loadScenario, parseScenario } from '../../src/scenario/load.js';
import { scenarioJsonSchema } from '../../src/scenario/schema.js';
import { listWorkloads } from '../../src/workloads/catalog.js';
import { GOOD_SCENARIO, ROOT, scenarioError, tempDir, writeScenario } from '../basics.js';

describe('scenario validation', () => {
  it('fills defaults into a valid scenario', () => {
    const scenario = parseScenario('s.yaml', GOOD_SCENARIO);
    expect(scenario.docker).toEqual({ hardening: 'default', ociRuntimes: ['runc'], startModel: ['create'] });
    expect(scenario.measurements.coldstart).toEqual({
      iterations: 3,
      warmup: 2,
      timeoutMs: 15000,
      probeFloorSamples: 50,
      prober: 'native',
      proberWait: 'listen',
      probeDetectionSamples: 10,
      probeDetectionDelayMs: 20,
    });
  });

  it('names the line of a YAML syntax error', () => {
    expect(scenarioError('name: t\nworkloads: [hello\nruntimes: [wasm]\n')).toMatch(/^s\.yaml:\d+: YAML syntax error/);
  });

  it('names the field, line and choices of an unknown runtime', () => {
    expect(scenarioError(GOOD_SCENARIO.replace('wasm', 'firecracker'))).toBe(`s.yaml:3: runtimes[1]: expected one of: ${runtimeNames().join(', ')}`);
  });

  it('refuses a runtime named twice', () => {
    expect(scenarioError(GOOD_SCENARIO.replace('[docker, wasm, process]', '[docker, wasm, docker]'))).toBe('s.yaml:3: runtimes: each runtime at most once');
  });

  it('names a missing field', () => {
    expect(scenarioError(GOOD_SCENARIO.replace('name: t\n', ''))).toMatch(/^s\.yaml(:\d+)?: name: expected string/);
  });

  it('names a field of the wrong type with its line', () => {
    expect(scenarioError(GOOD_SCENARIO.replace('iterations: 3', 'iterations: three'))).toBe('s.yaml:6: measurements.coldstart.iterations: expected number');
  });

  it('rejects an unknown field instead of ignoring it', () => {
    expect(scenarioError(`${GOOD_SCENARIO}iteratoins: 4\n`)).toBe('s.yaml:7: iteratoins: unknown field');
  });

  it('rejects an unknown workload with the known ones', async () => {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'bad.yaml', GOOD_SCENARIO.replace('[hello]', '[hello, nope]'));
    await expect(loadScenario(file)).rejects.toThrow(`${file}: workloads[1]: unknown workload "nope", expected one of: ${(await listWorkloads()).join(', ')}`);
  });

  it('keeps the committed JSON Schema in step with the code', async () => {
    const committed = JSON.parse(await readFile(join(ROOT, 'scenarios', 'scenario.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });

  it('accepts every scenario shipped in scenarios/', async () => {
    for (const file of (await readdir(join(ROOT, 'scenarios'))).filter((f) => f.endsWith('.yaml'))) {
      await expect(loadScenario(join(ROOT, 'scenarios', file))).resolves.toBeTruthy();
    }
  });

  it('refuses a per-runtime map naming a runtime the scenario does not measure, naming the field', () => {
    const text = 'name: t\nworkloads: [hello]\nruntimes: [process, wasm]\nmeasurements:\n  density:\n    maxTenantsPerRuntime: { procss: 200 }\n';
    expect(scenarioError(text)).toBe(
      's.yaml:6: measurements.density.maxTenantsPerRuntime.procss: expected a runtime this scenario measures (process, wasm), got "procss"',
    );
    expect(() => parseScenario('s.yaml', text.replace('procss', 'process'))).not.toThrow();
  });

  it("checks a runtime's options when the scenario does not run it", () => {
    const text = 'name: t\nworkloads: [hello]\nruntimes: [process]\ndocker: { baseImage: "$(id)" }\nmeasurements: { coldstart: {} }\n';
    expect(scenarioError(text)).toMatch(/^s\.yaml:4: docker\.baseImage: an image reference such as node:20-slim/);
    expect(() => parseScenario('s.yaml', text.replace('$(id)', 'node:20-slim'))).not.toThrow();
  });
});
