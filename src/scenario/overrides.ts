// The scenario settings `coldbench run` can override on the command line, each declared once with
// the part of the scenario it owns: the CLI takes its options and `--help` lines from this table.
import { parseRuntimeList } from '../commands/runtime-list.js';
import { UserError } from '../errors.js';
import type { Scenario } from './schema.js';

export interface Override {
  /** The option, without its dashes. */
  flag: string;
  /** Its key in RunOptions. */
  key: 'runtimes' | 'iterations' | 'maxTenants' | 'duration';
  /** What it takes, as `--help` shows it. */
  value: string;
  help: string;
  /** The scenario with this value applied (a copy), or a UserError naming the option. */
  apply(scenario: Scenario, text: string): Scenario;
}

export const OVERRIDES: readonly Override[] = [
  {
    flag: 'runtimes',
    key: 'runtimes',
    value: 'a,b',
    help: 'measure only these runtimes of the scenario',
    apply: (scenario, text) => ({ ...scenario, runtimes: parseRuntimeList(text, scenario.runtimes, 'this scenario has') }),
  },
  measurementSetting('iterations', 'iterations', 'coldstart', 'iterations', 10_000, "measured cold starts per runtime, instead of the scenario's"),
  measurementSetting('duration', 'duration', 'soak', 'durationSec', 7 * 24 * 3600, "soak: run the load for N seconds, instead of the scenario's"),
  measurementSetting('max-tenants', 'maxTenants', 'density', 'maxTenants', 1_000_000, "density: stop every ramp at N tenants, instead of the scenario's"),
];

export type OverrideValues = Partial<Record<Override['key'], string>>;

export function applyOverrides(scenario: Scenario, values: OverrideValues): Scenario {
  return OVERRIDES.reduce((next, override) => {
    const text = values[override.key];
    return text === undefined ? next : override.apply(next, text);
  }, scenario);
}

/** A whole-number setting of one measurement kind (`measurements.<kind>.<field>`). */
function measurementSetting(flag: string, key: Override['key'], kind: string, field: string, max: number, help: string): Override {
  return {
    flag,
    key,
    value: 'N',
    help,
    apply(scenario, text) {
      const n = Number(text);
      if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
        throw new UserError(`--${flag}: expected a whole number from 1 to ${max}, got "${text}"`);
      }
      const settings = scenario.measurements[kind as keyof Scenario['measurements']];
      if (!settings) throw new UserError(`--${flag}: this scenario has no ${kind} measurement`);
      return { ...scenario, measurements: { ...scenario.measurements, [kind]: { ...settings, [field]: n } } };
    },
  };
}
