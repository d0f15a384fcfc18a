// README.md stays true: its command list is the CLI's (every command, no other, with options the
// command has), its quick start is the two commands CI runs, every link it or docs/ holds resolves,
// and docs/ lists every scenario and workload shipped.
import { access, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli.js';
import { ROOT } from '../basics.js';

const README = await readFile(join(ROOT, 'README.md'), 'utf8');

/** The first ```sh block after a `## heading` of the README. */
function shBlock(heading: string): string[] {
  const section = README.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  const block = section && /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`README.md has no sh block under "## ${heading}"`);
  return block.trim().split('\n');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

async function anchors(file: string): Promise<string[]> {
  const text = (await readFile(file, 'utf8')).replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!));
}

/** Relative links of a Markdown file that do not resolve: a missing file, or a missing heading anchor. */
async function brokenLinks(file: string): Promise<string[]> {
  const text = (await readFile(file, 'utf8')).replace(/```[\s\S]*?```/g, '');
  const broken: string[] = [];
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target!)) continue; // https:, mailto:
    const [path, anchor] = target!.split('#') as [string, string | undefined];
    const resolved = path ? join(dirname(file), path) : file;
    const exists = await access(resolved).then(
      () => true,
      () => false,
    );
    if (!exists) broken.push(`${target}: no such file`);
    else if (anchor && resolved.endsWith('.md') && !(await anchors(resolved)).includes(anchor)) broken.push(`${target}: no such heading`);
  }
  return broken;
}

describe('README.md', () => {
  it('lists every command of the CLI once, and no other, with options the command has', () => {
    const lines = shBlock('Commands');
    const listed = lines.map((line) => /^npx coldbench (\S+)/.exec(line)?.[1] ?? `not a command line: ${line}`);
    expect([...listed].sort()).toEqual(Object.keys(COMMANDS).sort());
    for (const line of lines) {
      const name = /^npx coldbench (\S+)/.exec(line)![1]!;
      const options = [...line.replace(/#.*$/, '').matchAll(/(?<=[\s[])--([\w-]+)/g)].map((m) => m[1]!);
      const known = Object.keys(COMMANDS[name]!.options);
      expect(
        options.filter((o) => !known.includes(o)),
        `coldbench ${name}`,
      ).toEqual([]);
    }
  });

  it('has a two-command quick start, which is what CI runs', async () => {
    const commands = shBlock('Quick start').map((line) => line.replace(/\s*#.*$/, ''));
    expect(commands).toEqual(['npm ci && npm start', 'npm test']);
    const ci = await readFile(join(ROOT, '.ci', 'run'), 'utf8');
    for (const command of commands) expect(ci).toContain(command);
  });

  it('links to docs/ files and headings that exist, and so do the docs', async () => {
    expect(README).toMatch(/\]\(docs\/[\w-]+\.md\)/);
    const docs = (await readdir(join(ROOT, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', f));
    const broken: string[] = [];
    for (const file of [join(ROOT, 'README.md'), join(ROOT, 'hosts', 'wasmtime', 'README.md'), ...docs]) {
      for (const link of await brokenLinks(file)) broken.push(`${file.slice(ROOT.length)}: ${link}`);
    }
    expect(broken).toEqual([]);
  });

  it('links every file of docs/', async () => {
    const docs = (await readdir(join(ROOT, 'docs'))).filter((f) => f.endsWith('.md'));
    expect(docs.filter((f) => !README.includes(`](docs/${f})`))).toEqual([]);
  });

  it('is backed by docs that list every scenario and workload shipped', async () => {
    const scenarios = (await readdir(join(ROOT, 'scenarios'))).filter((f) => f.endsWith('.yaml'));
    const workloads = (await readdir(join(ROOT, 'workloads'), { withFileTypes: true }))
      .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
      .map((d) => d.name);
    const scenarioTable = await readFile(join(ROOT, 'docs', 'scenarios.md'), 'utf8');
    const workloadTable = await readFile(join(ROOT, 'docs', 'workloads.md'), 'utf8');
    expect(scenarios.filter((f) => !scenarioTable.includes(`| \`${f}\` |`))).toEqual([]);
    expect(workloads.filter((w) => !workloadTable.includes(`| \`${w}\` |`))).toEqual([]);
  });

  it('stays a front door: at most 250 lines', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(250);
  });
});
