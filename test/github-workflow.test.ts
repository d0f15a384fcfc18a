// The example GitHub workflow stays valid without running it (no network here): its structure
// against GitHub's workflow syntax (the parts it uses), everything it names in this repository
// (scenarios, scripts, coldbench commands and their options) against what exists, and the facts
// that make it measure what it claims on GitHub's runners: no sudo around coldbench or npm, pinned
// actions, Node and Rust, cached wasmtime builds, permissions, timeouts, uploads on failure, and a
// comparison that runs when a leg fails.

import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runCli } from './helpers.js';

const FILE = join(ROOT, '.github', 'workflows', 'coldbench.yml');
const TEXT = await readFile(FILE, 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
  env?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  'timeout-minutes'?: number;
  needs?: string | string[];
  if?: string;
  strategy?: { 'fail-fast'?: boolean; matrix: { include: Record<string, string>[] } };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, Job>;
}

const workflow = parse(TEXT) as Workflow;
const jobs = Object.entries(workflow.jobs);
const steps = jobs.flatMap(([, job]) => job.steps);
const scripts = steps.flatMap((s) => (s.run ? [s.run] : []));

/** Keys GitHub accepts at each level (https://docs.github.com/actions/reference/workflow-syntax-for-github-actions), of those this workflow may use. */
const TOP = ['name', 'on', 'permissions', 'env', 'concurrency', 'jobs'];
const JOB = ['name', 'runs-on', 'needs', 'if', 'strategy', 'steps', 'env', 'permissions', 'timeout-minutes', 'outputs'];
const STEP = ['name', 'id', 'uses', 'run', 'with', 'if', 'env', 'shell', 'continue-on-error', 'timeout-minutes', 'working-directory'];
const EVENTS = ['workflow_dispatch', 'pull_request', 'push', 'schedule'];

describe('the example GitHub workflow', () => {
  it('has the structure GitHub requires', () => {
    expect(Object.keys(workflow).filter((k) => !TOP.includes(k))).toEqual([]);
    expect(workflow.name).toBeTypeOf('string');
    expect(Object.keys(workflow.on).filter((e) => !EVENTS.includes(e))).toEqual([]);
    expect(jobs.length).toBeGreaterThan(0);
    for (const [id, job] of jobs) {
      expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
      expect(
        Object.keys(job).filter((k) => !JOB.includes(k)),
        id,
      ).toEqual([]);
      expect(job['runs-on'], id).toBeTypeOf('string');
      expect(Array.isArray(job.steps) && job.steps.length > 0, id).toBe(true);
      for (const need of [job.needs ?? []].flat()) expect(Object.keys(workflow.jobs), `${id} needs ${need}`).toContain(need);
      for (const step of job.steps) {
        expect(
          Object.keys(step).filter((k) => !STEP.includes(k)),
          JSON.stringify(step),
        ).toEqual([]);
        expect(Number('uses' in step) + Number('run' in step), JSON.stringify(step)).toBe(1); // exactly one of them
        if (step.uses) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/); // pinned to a commit
        if (step.with) expect(step.uses, 'with: belongs to a uses: step').toBeDefined();
      }
    }
  });

  it('uses only matrix keys that every matrix entry defines', () => {
    for (const [id, job] of jobs) {
      const text = JSON.stringify(job);
      const used = [...text.matchAll(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g)].map((m) => m[1]!);
      if (used.length === 0) continue;
      const include = job.strategy?.matrix.include ?? [];
      expect(include.length, id).toBeGreaterThan(0);
      for (const entry of include) for (const key of used) expect(Object.keys(entry), `${id}: matrix.${key}`).toContain(key);
    }
  });

  it('measures on an x64 and an arm64 runner, and compares what they uploaded', () => {
    const measure = jobs.find(([, job]) => job.strategy)?.[1];
    expect(measure?.strategy?.matrix.include.map((e) => e.arch).sort()).toEqual(['arm64', 'x64']);
    expect(measure?.strategy?.matrix.include.find((e) => e.arch === 'arm64')?.runner).toMatch(/-arm$/);
    const upload = measure!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
    expect(upload.with?.name).toBe('results-${{ matrix.arch }}');
    // The comparing job reads the folders download-artifact makes, one per uploaded name.
    const compare = scripts.find((s) => s.includes('coldbench compare'))!;
    expect(compare).toContain('results-x64/*.json results-arm64/*.json');
  });

  it('names scenarios and scripts that exist', async () => {
    const paths = scripts.flatMap((s) => [...s.matchAll(/\b((?:scenarios|scripts)\/[\w.-]+)/g)].map((m) => m[1]!));
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) await expect(access(join(ROOT, path)), path).resolves.toBeUndefined();
  });

  it('calls coldbench commands with options they have', async () => {
    const calls = scripts.flatMap((s) =>
      [...s.replace(/\\\n\s*/g, ' ').matchAll(/npx coldbench (\w+)([^\n>|]*)/g)].map((m) => ({
        command: m[1]!,
        options: [...m[2]!.matchAll(/(?<=\s)--[\w-]+/g)].map((o) => o[0]),
      })),
    );
    expect(calls.map((c) => c.command)).toEqual(expect.arrayContaining(['run', 'compare']));
    for (const { command, options } of calls) {
      const help = await runCli([command, '--help']);
      expect(help.code, `coldbench ${command} --help`).toBe(0);
      for (const option of options) expect(help.stdout, `coldbench ${command} ${option}`).toContain(option);
    }
  });

  it('pins every action to a full commit SHA, with the version it is in a comment', () => {
    const uses = [...TEXT.matchAll(/^\s*(?:- )?uses: (.*)$/gm)].map((m) => m[1]!);
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line, line).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40} # (v\d+\.\d+\.\d+|master, \d{4}-\d\d-\d\d)$/);
    const wanted = ['actions/checkout', 'actions/setup-node', 'actions/cache', 'actions/upload-artifact', 'actions/download-artifact'];
    for (const action of wanted)
      expect(
        uses.find((u) => u.startsWith(`${action}@`)),
        action,
      ).toMatch(/# v4\./);
  });

  it('never runs coldbench, npm or anything else under sudo (the set-up uses sudo -n itself)', () => {
    for (const script of scripts) expect(script, script).not.toMatch(/\bsudo\b/);
    expect(scripts.some((s) => /^bash scripts\/setup\.sh$/m.test(s))).toBe(true);
  });

  it('has read-only permissions, a concurrency group and a timeout on every job', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.concurrency?.group).toMatch(/github\.ref/);
    for (const [id, job] of jobs) expect(job['timeout-minutes'], id).toBeGreaterThan(0);
    // The measuring legs must fit CI's 90-minute limit with the wasmtime builds missing from the cache.
    for (const [id, job] of jobs) expect(job['timeout-minutes'], id).toBeLessThanOrEqual(60);
  });

  it('pins one exact Node of a supported line in every job, and the Rust that rust-toolchain.toml pins', async () => {
    const nodes = steps.filter((s) => s.uses?.startsWith('actions/setup-node@')).map((s) => String(s.with?.['node-version']));
    expect(nodes.length).toBe(jobs.length);
    expect(new Set(nodes).size).toBe(1);
    expect(nodes[0]).toMatch(/^(22|24)\.\d+\.\d+$/); // an exact version of an LTS line (docs/ci.md)
    const pinned = /^channel = "([\d.]+)"$/m.exec(await readFile(join(ROOT, 'rust-toolchain.toml'), 'utf8'))?.[1];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const rust = steps.filter((s) => s.uses?.startsWith('dtolnay/rust-toolchain@'));
    expect(rust.length).toBeGreaterThan(0);
    for (const step of rust) expect(String(step.with?.toolchain)).toBe(pinned);
  });

  it('caches the wasmtime builds per architecture, keyed on their sources, the build script and rustc, before the set-up', () => {
    const measure = jobs.find(([, job]) => job.strategy)![1];
    const index = (test: (s: Step) => boolean) => measure.steps.findIndex(test);
    const cache = measure.steps.find((s) => s.uses?.startsWith('actions/cache@'))!;
    expect(cache).toBeDefined();
    const paths = String(cache.with?.path).trim().split('\n');
    expect(paths).toEqual(expect.arrayContaining(['~/.cache/coldbench/bin', '~/.cache/coldbench/wasmtime-cli-*']));
    expect(paths.some((p) => p.includes('cargo-target'))).toBe(false); // the built binaries, not a GiB of objects
    const key = String(cache.with?.key);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
    expect(key).toContain('${{ matrix.arch }}');
    expect(key).toMatch(/steps\.rust\.outputs\.cachekey/);
    const rustStep = measure.steps.find((s) => s.uses?.startsWith('dtolnay/rust-toolchain@'));
    expect((rustStep as Step & { id?: string }).id).toBe('rust');
    expect(paths).toContain('~/.cache/coldbench/wac-cli-*'); // the composition tool, a cargo build too
    for (const input of ['hosts/wasmtime/Cargo.lock', 'hosts/wasmtime/src/**', 'scripts/build-wasmtime.sh', 'scripts/build-wac.sh', 'rust-toolchain.toml'])
      expect(key).toContain(`'${input}'`);
    expect(index((s) => s.uses?.startsWith('actions/cache@') ?? false)).toBeLessThan(index((s) => s.run?.includes('scripts/setup.sh') ?? false));
    expect(index((s) => s.uses?.startsWith('dtolnay/rust-toolchain@') ?? false)).toBeLessThan(index((s) => s.uses?.startsWith('actions/cache@') ?? false));
  });

  it('fails a leg that measured less than its scenario names', () => {
    const measure = jobs.find(([, job]) => job.strategy)![1];
    const run = measure.steps.findIndex((s) => s.run?.includes('npx coldbench run') ?? false);
    const check = measure.steps.findIndex((s) => s.run?.startsWith('node scripts/check-measured.mjs results/') ?? false);
    expect(run).toBeGreaterThanOrEqual(0);
    expect(check).toBeGreaterThan(run);
  });

  it('stores the results and judges them against the store only when a database URL secret is set', () => {
    const measure = jobs.find(([, job]) => job.strategy)![1] as Job & { env?: Record<string, string> };
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
    expect(measure.env?.COLDBENCH_DB).toBe('${{ secrets.COLDBENCH_DB }}');
    const store = measure.steps.find((s) => s.run?.includes('npx coldbench store add'))!;
    expect(store.if).toBe("env.COLDBENCH_DB != ''");
    expect(store.run).toContain('--against-store');
    const check = measure.steps.findIndex((s) => s.run?.startsWith('node scripts/check-measured.mjs') ?? false);
    expect(measure.steps.indexOf(store)).toBeGreaterThan(check);
  });

  it('uploads results and reports even when a step failed, replacing an earlier upload of a re-run', () => {
    const uploads = steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(uploads.length).toBe(2);
    for (const upload of uploads) {
      expect(upload.if, JSON.stringify(upload)).toBe('always()');
      expect(upload.with?.overwrite).toBe(true);
    }
  });

  it('compares when a leg failed, and says which leg is missing', () => {
    const [, compare] = jobs.find(([, job]) => job.needs)!;
    expect(compare.if).toBe('always()');
    const legs = compare.steps.find((s) => s.run?.includes('compgen -G'))!;
    expect(legs.run).toMatch(/::warning::no results from the \$arch leg/);
    expect(legs.run).toContain('GITHUB_STEP_SUMMARY');
    const comparing = compare.steps.filter((s) => s.run?.includes('npx coldbench'));
    for (const step of comparing) expect(step.if, step.run).toMatch(/steps\.legs\.outputs\.count/);
  });
});
