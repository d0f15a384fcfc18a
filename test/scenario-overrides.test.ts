// `coldbench run --runtimes/--iterations/--max-tenants`: one table declares each override with the
// setting it owns; the CLI's options and --help come from it, and a bad value is one line.

import { describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { parseScenario } from '../src/scenario/load.js';
import { applyOverrides, OVERRIDES } from '../src/scenario/overrides.js';
import { runCli } from './helpers.js';

const scenario = parseScenario('inline.yaml', 'name: s\nworkloads: [hello]\nruntimes: [process, wasm]\nmeasurements:\n  coldstart: { iterations: 5 }\n');

describe('command-line overrides of a scenario', () => {
  it('set the setting each one owns, on a copy', () => {
    const next = applyOverrides(scenario, { iterations: '7', runtimes: 'wasm' });
    expect(next.measurements.coldstart!.iterations).toBe(7);
    expect(next.runtimes).toEqual(['wasm']);
    expect(scenario.measurements.coldstart!.iterations).toBe(5);
  });

  it('refuse a bad value, or a measurement the scenario lacks, in one line naming the option', () => {
    const message = (values: Record<string, string>) => {
      try {
        applyOverrides(scenario, values);
      } catch (error) {
        expect(error).toBeInstanceOf(UserError);
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(message({ iterations: '0' })).toBe('--iterations: expected a whole number from 1 to 10000, got "0"');
    expect(message({ iterations: '2.5' })).toBe('--iterations: expected a whole number from 1 to 10000, got "2.5"');
    expect(message({ maxTenants: '10' })).toBe('--max-tenants: this scenario has no density measurement');
    expect(message({ runtimes: 'docker' })).toBe('--runtimes: "docker" is not a runtime here, this scenario has: process, wasm');
  });

  it('are the options `coldbench run --help` lists, each with its help', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.code).toBe(0);
    for (const o of OVERRIDES) expect(help.stdout).toContain(`${`--${o.flag} ${o.value}`.padEnd(18)} ${o.help}`);
    const bad = await runCli(['run', 'scenarios/quick.yaml', '--max-tenants', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('coldbench run: --max-tenants: expected a whole number from 1 to 1000000, got "many"');
  });
});
