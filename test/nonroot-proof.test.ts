// coldbench as a user who is not root, on a fresh clone: scripts/prove-nonroot.sh creates an
// unprivileged user in the docker group, runs npm ci, the set-up, the quick scenario and a docker
// density ramp as that user, checks that every runtime was measured and that root's memory was
// recorded as skipped with its reason, and removes the user and the clone. It clones HEAD: commit
// first. It needs root (to create the user): elsewhere it skips, unless COLDBENCH_REQUIRE_RUNTIMES
// requires it ("all" does, as CI sets), then it fails.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { testable } from './availability.js';
import { ROOT } from './helpers.js';

const isRoot = process.getuid?.() === 0;
const available = testable(
  'nonroot-proof',
  isRoot
    ? { available: true }
    : { available: false, reason: 'creating the proof user needs root', fix: 'run the tests as root, or `sudo bash scripts/prove-nonroot.sh`' },
);

function prove(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [join(ROOT, 'scripts', 'prove-nonroot.sh')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.skipIf(!available)(available ? 'coldbench as a user who is not root' : 'coldbench as a user who is not root (skipped: not root)', () => {
  it(
    'sets up, measures every runtime of the quick scenario, and records root-only memory as skipped with its reason',
    async () => {
      const { code, output } = await prove();
      expect(code, output.slice(-4000)).toBe(0);
      const measured = [...output.matchAll(/check-measured: results\/quick\/\S+: (\S+) measured/g)].map((m) => m[1]);
      const quick = (parse(await readFile(join(ROOT, 'scenarios', 'quick.yaml'), 'utf8')) as { runtimes: string[] }).runtimes;
      expect(quick.length).toBeGreaterThan(3);
      expect(measured.sort()).toEqual([...quick].sort());
      expect(output).toMatch(/uid=\d+\(coldbench-ci\) gid=\d+\(coldbench-ci\) groups=.*\(docker\)/);
      expect(output).not.toMatch(/uid=0\(/);
      expect(output).toMatch(/memory method shim-pss skipped \(the memory of process \d+ \(uid 0\) cannot be read as uid \d+/);
      expect(output).toContain('prove-nonroot: proven');
    },
    40 * 60_000,
  );
});
