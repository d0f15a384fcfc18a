// argv -> one command. Commands return an exit code; user mistakes are one line on stderr and
// exit 2; anything else is a failure (exit 1) with its message, not a stack trace.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { AGAINST_STORE_OPTIONS, againstStoreValues, HISTORY_COMMAND, STORE_COMMAND } from './commands/store-cli.js';
import { UserError } from './errors.js';
import { OVERRIDES } from './scenario/overrides.js';

// Commands are imported when they run: `coldbench --help` loads this table only.
export interface Command {
  summary: string;
  /** A function when the text needs the registries (loaded only for that command's --help). */
  usage: string | (() => Promise<string>);
  options: NonNullable<ParseArgsConfig['options']>;
  run(positionals: string[], values: Record<string, string | boolean | string[] | undefined>): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  run: {
    summary: 'run a scenario and write one results JSON',
    usage: async () => `coldbench run <scenario.yaml> [--out DIR] ${OVERRIDES.map((o) => `[--${o.flag} ${o.value}]`).join(' ')} [--report FILE]

  --out DIR          folder for the results file (default: results/)
${OVERRIDES.map((o) => `  ${`--${o.flag} ${o.value}`.padEnd(18)} ${o.help}`).join('\n')}
  --report FILE      also render the results as an HTML report (see coldbench report)
${await runtimeList()}`,
    options: {
      out: { type: 'string', default: 'results' },
      ...Object.fromEntries(OVERRIDES.map((o) => [o.flag, { type: 'string' } as const])),
      report: { type: 'string' },
    },
    async run([file, ...extra], values) {
      if (!file) throw new UserError('missing the scenario file (coldbench run <scenario.yaml>)');
      if (extra.length) throw new UserError(`unexpected argument "${extra[0]}"`);
      const { runCommand } = await import('./commands/run.js');
      return runCommand({
        scenarioFile: file,
        outDir: values.out as string,
        ...Object.fromEntries(OVERRIDES.map((o) => [o.key, values[o.flag] as string | undefined])),
        report: values.report as string | undefined,
      });
    },
  },
  report: {
    summary: 'render results files as one self-contained HTML report',
    usage: `coldbench report <results.json...> [--out FILE] [--baseline RUNTIME[:VARIANT][@ARM]]

  --out FILE          the HTML file to write (default: reports/report.html); it works offline
  --baseline RUNTIME  the runtime others are compared with in words (default: the slowest cold start);
                      one runtime: where it has several variants, name one (wasmtime:per-tenant)
  Several files (machines, architectures): charts per machine and a comparison table.`,
    options: { out: { type: 'string' }, baseline: { type: 'string' } },
    run: async (files, values) =>
      (await import('./commands/report.js')).reportCommand(files, { out: values.out as string | undefined, baseline: values.baseline as string | undefined }),
  },
  claims: {
    summary: 'the headline claims (cold start, density, portability, isolation) with verdicts from results',
    usage: `coldbench claims <results.json...>

  States each claim as a testable sentence and gives its verdict from these results: holds, does
  not hold, or not measured (with what would measure it), naming the runtimes, workloads, figures
  and runs it rests on. The same section opens every report.`,
    options: {},
    run: async (files) => (await import('./commands/claims.js')).claimsCommand(files),
  },
  compare: {
    summary: 'compare two results files: faster, slower or unsure per metric',
    usage: `coldbench compare <a.json> <b.json> [--runtime RUNTIME[:VARIANT][@ARM]]... [--markdown] [--fail-on-regression PCT] [--min-samples N] [--min-effect PCT] [--include-setup]

  Ratio b/a of medians with a bootstrap 95% CI per workload, runtime, phase and metric (\`aa\`
  judges the two arms of one run pair by pair instead: the signed-rank CI of per-pair ratios).
  Each row says the smallest change it could have seen (MDE, at 80% power) at its n and spread.
  Verdicts: faster / slower (time), less / more memory, better / worse (throughput), unsure
  (the interval includes 1, or the change is below --min-effect), too few samples.
  --runtime SELECTOR         only these runtimes (repeatable): wasmtime is each of its variants,
                             wasmtime:per-tenant one of them, process@b one arm
  --markdown                 a GitHub-flavoured Markdown table (for a CI job summary)
  --fail-on-regression PCT   exit 1 when b is worse than a, with confidence, by more than PCT%
  --min-samples N            no verdict when a side has fewer samples (default and least: 6)
  --min-effect PCT           changes smaller than this are "unsure" (default 5)
  --include-setup            also judge once-per-run set-up phases and the prober's floor`,
    options: {
      runtime: { type: 'string', multiple: true },
      markdown: { type: 'boolean' },
      'fail-on-regression': { type: 'string' },
      'min-samples': { type: 'string' },
      'min-effect': { type: 'string' },
      'include-setup': { type: 'boolean' },
    },
    run: async (files, values) =>
      (await import('./commands/compare.js')).compareCommand(files, {
        runtime: values.runtime as string[] | undefined,
        markdown: values.markdown as boolean | undefined,
        failOnRegression: values['fail-on-regression'] as string | undefined,
        minSamples: values['min-samples'] as string | undefined,
        minEffect: values['min-effect'] as string | undefined,
        includeSetup: values['include-setup'] as boolean | undefined,
      }),
  },
  aa: {
    summary: 'A/A self-test: how often compare calls a difference between identical runs (and the power to see one)',
    usage: `coldbench aa <scenario.yaml> [--pairs N] [--inject-slowdown PCT] [--design interleaved|separate|store] [--iterations N] [--out FILE] [--keep-runs DIR]

  N pairs: each deploys every runtime as arm A and arm B and compares the arms' cold starts as
  \`compare\` does. With identical arms, every verdict but "unsure" is a false alarm.
  --design interleaved    (default) both arms in one run, alternating in shuffled order, so the
                          machine's drift between runs touches both alike
  --design separate       each arm in a run of its own, one after the other: what comparing two
                          CI runs with \`compare\` sees
  --design store          N runs of arm A go into a store (the machine's history), then N runs of
                          arm B are each judged against it as \`assert --against-store\` does
  --inject-slowdown 10%   arm B's process deploys wait 10% of the process median cold start (from
                          a pilot run) more: how often that is detected (power)
  --iterations N          cold starts per runtime and arm in each run, instead of the scenario's
  --out FILE              also write the figures as JSON
  --keep-runs DIR         keep each pair's results files in DIR (by default they are deleted)
  Interleaved arms are judged pair by pair (as compare does within one run) and, for contrast, as
  two groups; both at 15, 25, 40, … iterations up to N (each run's first n): false alarms and power
  against iterations from one series.`,
    options: {
      'keep-runs': { type: 'string' },
      pairs: { type: 'string' },
      'inject-slowdown': { type: 'string' },
      design: { type: 'string' },
      iterations: { type: 'string' },
      out: { type: 'string' },
    },
    run: async ([file, ...extra], values) => {
      if (!file || extra.length) throw new UserError('expected one scenario file (coldbench aa scenarios/quick.yaml --pairs 20)');
      return (await import('./commands/aa.js')).aaCommand(file, {
        pairs: values.pairs as string | undefined,
        injectSlowdown: values['inject-slowdown'] as string | undefined,
        design: values.design as string | undefined,
        iterations: values.iterations as string | undefined,
        out: values.out as string | undefined,
        keepRuns: values['keep-runs'] as string | undefined,
      });
    },
  },
  plan: {
    summary: 'how many cold-start iterations a scenario needs to detect a change of a given size',
    usage: `coldbench plan <scenario.yaml> --detect PCT [--power PCT] [--pilot N | --from results.json] [--run] [--out DIR]

  From a pilot run (the scenario at --pilot N iterations, 15 by default) or an earlier results file,
  the iterations each runtime needs for compare (between two runs, at its defaults) to call a
  --detect change of its cold start with --power (90% by default), and how long that run takes here.
  --run      then run the scenario at that count (results in --out, default results/)`,
    options: {
      detect: { type: 'string' },
      power: { type: 'string' },
      pilot: { type: 'string' },
      from: { type: 'string' },
      run: { type: 'boolean' },
      out: { type: 'string' },
    },
    run: async ([file, ...extra], values) => {
      if (!file || extra.length) throw new UserError('expected one scenario file (coldbench plan scenarios/quick.yaml --detect 10%)');
      return (await import('./commands/plan.js')).planCommand(file, {
        detect: values.detect as string | undefined,
        power: values.power as string | undefined,
        pilot: values.pilot as string | undefined,
        from: values.from as string | undefined,
        run: values.run as boolean | undefined,
        out: values.out as string | undefined,
      });
    },
  },
  assert: {
    summary: 'check budgets against results files (exit 1 when one fails): a CI gate',
    usage: `coldbench assert <results.json...> --budget LINE [--budget LINE...] [--budgets FILE] [--markdown]

  A budget: [warn] WORKLOAD/RUNTIME[:VARIANT][@ARM]/WHAT AGG OP LIMIT
    RUNTIME without :VARIANT judges each of its variants (one row each); after "Nx" it must name one
    WHAT   a cold-start phase (total, instantiate, …), a memory method (density, largest step) or a load metric (throughput, latency-p99)
    AGG    median, mean, p95, min or max;  OP  <=, <, >= or >
    LIMIT  a number with a unit (us, ms, s, KiB, MiB, GiB, req/s, cores) or "Nx WORKLOAD/RUNTIME/WHAT"
  e.g. "hello/wasm/total median <= 100ms", "hello/docker/total p95 <= 2x hello/process/total",
       "warn hello-c/wasmtime:per-tenant/instantiate median < 10us"
  --budgets FILE   one budget per line (# comments)
  --markdown       a Markdown table (for a CI job summary)
  --against-store  also judge each run against the last N runs of its machine and scenario in the
                   store (--db DB or COLDBENCH_DB; default results/store): FAIL when worse than their
                   median by more than --fail-on-regression PCT (default 10) and 3 robust standard
                   deviations of their medians; --last N (default 10). See docs/history.md.
  Exit 1 when an error-level budget fails (a missing quantity fails too); warn budgets only report.`,
    options: {
      budget: { type: 'string', multiple: true },
      budgets: { type: 'string' },
      markdown: { type: 'boolean' },
      ...AGAINST_STORE_OPTIONS,
    },
    run: async (files, values) =>
      (await import('./commands/assert.js')).assertCommand(files, {
        budget: values.budget as string[] | undefined,
        budgets: values.budgets as string | undefined,
        markdown: values.markdown as boolean | undefined,
        ...againstStoreValues(values),
      }),
  },
  store: STORE_COMMAND,
  history: HISTORY_COMMAND,
  build: {
    summary: 'build workload artifacts (image, component, app) that changed',
    usage: `coldbench build [workload...] [--runtimes a,b]

  Builds every workload (or the named ones) for every available runtime; cached by content hash.`,
    options: { runtimes: { type: 'string' } },
    run: async (names, values) => (await import('./commands/build.js')).buildCommand(names, values.runtimes as string | undefined),
  },
  verify: {
    summary: 'check that every runtime answers each workload exactly as declared',
    usage: `coldbench verify [workload...]

  Builds each workload (default: all), sends every request its workload.yaml declares to every
  available runtime, and exits 1 with the difference when an answer is not exactly as declared.`,
    options: {},
    run: async (names) => (await import('./commands/verify.js')).verifyCommand(names),
  },
  calibrate: {
    summary: "measure the prober's floor, detection error and CPU, and the load client's own ceiling on this machine",
    usage: `coldbench calibrate [--only prober|load] [--probes N] [--duration S] [--connections N] [--rounds N]

  The prober: its floor (an already-listening server), and for each way it waits for a refused
  port (listen, backoff, spin) its detection error and its CPU while waiting, against a target
  that listens 200 ms after it starts (N probes each; default 20).
  The load client's ceiling here: autocannon and wrk (when installed), interleaved, against the
  Node null server, against a server faster than both (the C HTTP front of hello-c) and against
  hello-c as a Wasm tenant on the wasmtime host (each instance model) and on \`wasmtime serve\`
  (skipped with the fix when not built); server on CPU 0, clients on CPU 1 when there are two.
  Says, per target, whether autocannon is the ceiling.
  Defaults: 5 s, 10 connections, 3 rounds.`,
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      only: { type: 'string' },
      probes: { type: 'string' },
    },
    run: async (_p, values) =>
      (await import('./commands/calibrate.js')).calibrateCommand({
        only: values.only as string | undefined,
        probes: values.probes as string | undefined,
        duration: values.duration as string | undefined,
        connections: values.connections as string | undefined,
        rounds: values.rounds as string | undefined,
      }),
  },
  doctor: {
    summary: 'say which runtimes are available and how to fix the missing ones',
    usage: 'coldbench doctor\n\n  Exits 1 when a runtime is missing.',
    options: {},
    run: async () => (await import('./commands/doctor.js')).doctorCommand(),
  },
  clean: {
    summary: 'remove what coldbench runs left behind, and tidy the results files of killed runs',
    usage: `coldbench clean [--all] [--results DIR]

  Removes containers labelled coldbench.run and processes carrying the run marker whose run is
  over (the harness process that started them is gone). Live runs are left alone.
  Tidies the results files in DIR (default: results/) of runs that were killed: each one's journal
  (<run>.journal.ndjson) is merged into it and removed, and the file is marked interrupted.
  --all           remove them all, live runs' included
  --results DIR   the folder of results files to tidy`,
    options: { all: { type: 'boolean' }, results: { type: 'string', default: 'results' } },
    run: async (_p, values) =>
      (await import('./commands/clean.js')).cleanCommand({ all: values.all as boolean | undefined, results: values.results as string }),
  },
  schema: {
    summary: 'write the scenario JSON Schema for editors',
    usage: 'coldbench schema [--out FILE]\n\n  Writes the scenario JSON Schema (default: scenarios/scenario.schema.json) and workloads/workload.schema.json.',
    options: { out: { type: 'string' } },
    run: async (_p, values) => (await import('./commands/schema.js')).schemaCommand(values.out as string | undefined),
  },
};

/** parseArgs' message, cleaned up, with the nearest known option when one was mistyped. */
function describeArgsError(error: Error, known: string[]): string {
  const unknown = /Unknown option '(-{1,2}[^']*)'/.exec(error.message)?.[1];
  if (!unknown) return error.message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '');
  const typed = unknown.replace(/^-+/, '');
  const nearest = known.map((option) => ({ option, distance: editDistance(typed, option) })).sort((a, b) => a.distance - b.distance)[0];
  const hint = nearest && nearest.distance <= Math.max(2, Math.floor(nearest.option.length / 3)) ? `; did you mean --${nearest.option}?` : '';
  return `unknown option ${unknown}${hint}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

async function runtimeList(): Promise<string> {
  const { runtimeDescriptors } = await import('./runtimes/registry.js');
  const width = Math.max(...runtimeDescriptors().map((r) => r.name.length));
  return `  runtimes (for --runtimes):\n${runtimeDescriptors()
    .map((r) => `    ${r.name.padEnd(width)}  ${r.summary}`)
    .join('\n')}`;
}

function mainHelp(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `coldbench: cold start of the same workload as a container, a Wasm component and a process

usage: coldbench <command> [options]   (coldbench <command> --help for details)

${lines.join('\n')}`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(mainHelp());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`coldbench: unknown command "${name}", expected one of: ${Object.keys(COMMANDS).join(', ')}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      console.log(typeof command.usage === 'string' ? command.usage : await command.usage());
      return 0;
    }
    return await command.run(positionals, values);
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`coldbench ${name}: ${error.message}`);
      return error.exitCode;
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`coldbench ${name}: ${describeArgsError(error as Error, Object.keys(command.options))} (see coldbench ${name} --help)`);
      return 2;
    }
    console.error(`coldbench ${name}: ${(error as Error).message}`);
    return 1;
  }
}
