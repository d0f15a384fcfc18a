// A seeded generator of malformed scenarios, by category: each case is text that the loader must
// refuse with one short line (exit 2), quickly, in bounded memory, before anything starts.
import { seededRandom } from '../src/stats/verdicts.js';

const VALID = {
  name: 'fuzz',
  workloads: ['hello'],
  runtimes: ['process'],
  measurements: { coldstart: { iterations: 3, warmup: 0 } },
};

const HOSTILE = [
  'a\nb',
  '\u001b[31mred\u001b[0m',
  'nul\u0000byte',
  'x'.repeat(5000),
  '../../../../tmp/x',
  '<script>',
  '"quoted"',
  '',
  ' ',
  '\t',
  'é€😀',
  '$(touch /tmp/pwned)',
];
// Each is out of range or of the wrong type for every field below.
const NUMBERS = ['1e308', '-1', '0', '.nan', '.inf', '-.inf', '9007199254740993', '1e-300', '-0', '0x7fffffff', '0.05', '"12"', 'true', 'null', '[]', '{}'];
const NUMERIC_FIELDS = [
  ['measurements', 'coldstart', 'iterations'],
  ['measurements', 'coldstart', 'timeoutMs'],
  ['measurements', 'coldstart', 'probeFloorSamples'],
  ['measurements', 'load', 'ratePerSec'],
  ['measurements', 'load', 'durationSec'],
  ['measurements', 'load', 'connections'],
  ['measurements', 'density', 'timeLimitSec'],
  ['measurements', 'density', 'memoryBudgetMiB'],
  ['measurements', 'density', 'maxTenants'],
  ['measurements', 'density', 'concurrency'],
  ['wasmtime', 'requestTimeoutMs'],
];

const yamlString = (s: string) => JSON.stringify(s); // JSON strings are YAML strings

function withField(path: string[], rawValue: string): string {
  // A valid scenario as YAML flow mappings, with one field set to raw YAML text.
  const lines = ['name: fuzz', 'workloads: [hello]', 'runtimes: [process]'];
  if (path[0] === 'measurements') {
    const [, kind, field] = path;
    const base = kind === 'coldstart' ? 'iterations: 3, warmup: 0, ' : '';
    lines.push(`measurements: { ${kind}: { ${base}${field}: ${rawValue} } }`);
  } else {
    lines.push(`${path[0]}: { ${path[1]}: ${rawValue} }`, 'measurements: { coldstart: { iterations: 3, warmup: 0 } }');
  }
  return `${lines.join('\n')}\n`;
}

export interface FuzzCase {
  category: string;
  text: string;
}

type Generator = (pick: <T>(items: readonly T[]) => T, rand: () => number) => string;

const GENERATORS: Record<string, Generator> = {
  'random bytes': (_pick, rand) => Array.from({ length: 1 + Math.floor(rand() * 300) }, () => String.fromCharCode(Math.floor(rand() * 256))).join(''),
  truncated: (_pick, rand) => {
    const text = JSON.stringify(VALID, null, 2);
    return text.slice(0, 1 + Math.floor(rand() * (text.length - 2)));
  },
  'not a mapping': (pick) => pick(['', '---\n', '42\n', '- a\n- b\n', 'null\n', '"just a string"\n', '[]\n', '---\nname: a\n---\nname: b\n']),
  'unknown key': (pick) => `${yamlString(pick(HOSTILE) || 'extra')}: 1\n${JSON.stringify(VALID)}`.replace(/^(.*)\n\{/, '{$1, '),
  'unknown nested key': (pick) => JSON.stringify({ ...VALID, measurements: { coldstart: { iterations: 3, [pick(HOSTILE) || 'x']: 1 } } }),
  'unknown runtime key': (pick) => JSON.stringify({ ...VALID, [pick(['docker', 'wasmtime', 'process'])]: { [pick(HOSTILE) || 'x']: true } }),
  'wrong type': (pick) =>
    JSON.stringify({
      ...VALID,
      [pick(['name', 'workloads', 'runtimes', 'measurements', 'description'])]: pick([42, true, null, [], {}, [[1]], 'x'.repeat(2000)]),
    }),
  'number out of range': (pick) => withField(pick(NUMERIC_FIELDS), pick(NUMBERS)),
  'hostile name': (pick) => JSON.stringify({ ...VALID, name: pick(HOSTILE) }),
  'hostile workload': (pick) => JSON.stringify({ ...VALID, workloads: [pick(HOSTILE)] }),
  'unknown workload': (pick) => JSON.stringify({ ...VALID, workloads: [pick(['nope', 'hello-x', '_adapters', '.', '..'])] }),
  'unknown runtime': (pick) => JSON.stringify({ ...VALID, runtimes: [pick(HOSTILE) || 'kvm'] }),
  duplicates: (pick) =>
    pick([
      JSON.stringify({ ...VALID, runtimes: ['process', 'process'] }),
      JSON.stringify({ ...VALID, workloads: ['hello', 'hello'] }),
      'name: a\nname: b\nworkloads: [hello]\nruntimes: [process]\nmeasurements: { coldstart: {} }\n',
    ]),
  'huge list': (pick) => JSON.stringify({ ...VALID, [pick(['workloads', 'runtimes'])]: Array.from({ length: 20000 }, (_, i) => `w${i}`) }),
  'many keys': () => `{${Array.from({ length: 30000 }, (_, i) => `k${i}: 1`).join(', ')}}\n`,
  aliases: (pick) =>
    pick([
      'name: *missing\n',
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n',
      'name: &n fuzz\nworkloads: [*n]\nruntimes: [process]\nmeasurements: { coldstart: {} }\n',
      'x: &x { y: *x }\n',
    ]),
  'custom tag': (pick) =>
    `name: ${pick(['!!js/function "function(){}"', '!foo bar', '!!binary aGVsbG8=', '!<tag:yaml.org,2002:python/object> x', '!!set { a, b }', '!!timestamp 2001-12-14'])}\nworkloads: [hello]\nruntimes: [process]\nmeasurements: { coldstart: {} }\n`,
  'no measurement': () => JSON.stringify({ ...VALID, measurements: {} }),
  // Options are checked whether or not their runtime runs (here only process does).
  'option of a runtime not measured': (pick) => JSON.stringify({ ...VALID, [pick(['docker', 'podman'])]: { baseImage: pick(HOSTILE) } }),
  // Per-runtime maps name only runtimes the scenario measures: a typo, another runtime, a hostile key.
  'per-runtime map naming another runtime': (pick) =>
    JSON.stringify({
      ...VALID,
      measurements: {
        [pick(['density', 'soak'])]: {
          [pick(['maxTenantsPerRuntime', 'timeLimitSecPerRuntime', 'tenantsPerRuntime'])]: { [pick(['procss', 'docker', 'wasm', 'kvm', ...HOSTILE])]: 5 },
        },
      },
    }),
  'deep nesting': (_pick, rand) => `${'['.repeat(200 + Math.floor(rand() * 800))}\n`,
};

export const CATEGORIES = Object.keys(GENERATORS);

/** `count` cases, every category in turn, the same for the same seed. */
export function malformedScenarios(seed: number, count: number): FuzzCase[] {
  const rand = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const category = CATEGORIES[i % CATEGORIES.length]!;
    return { category, text: GENERATORS[category]!(pick, rand) };
  });
}
