// The example GitHub workflow stays valid without running it (no network here): its structure
// against GitHub's workflow syntax (the parts it uses), and everything it names in this repository
// (scenarios, scripts, coldbench commands and their options) against what exists.

import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runCli } from './helpers.js';

const FILE = join(ROOT, '.github', 'workflows', 'coldbench.yml');

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
  needs?: string | string[];
  if?: string;
  strategy?: { 'fail-fast'?: boolean; matrix: { include: Record<string, string>[] } };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = parse(await readFile(FILE, 'utf8')) as Workflow;
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
        if (step.uses) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@v\d+$/); // pinned to a major version
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
});
