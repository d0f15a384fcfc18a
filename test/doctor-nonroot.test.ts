// `coldbench doctor` for a user who is not root and not in the docker group, with an empty cache
// and no Rust: every missing piece comes with the exact command that fixes it (the docker group,
// not "start dockerd"; the build script; rustup for this user). As root, doctor runs as nobody
// (setpriv); elsewhere the test skips, unless COLDBENCH_REQUIRE_RUNTIMES requires the non-root proof.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { asNobodyAvailability, skipReason, testable } from './availability.js';
import { ROOT, tempDir } from './helpers.js';

const run = promisify(execFile);
const nobody = await asNobodyAvailability();
const asUser = testable('nonroot-proof', nobody);

describe.skipIf(!asUser)(asUser ? 'doctor for a user who is not root' : `doctor for a user who is not root (${skipReason('nonroot-proof', nobody)})`, () => {
  it('names the fix of every missing piece: the docker group, the wasmtime builds, Rust for this user', async () => {
    const home = await tempDir();
    await run('chmod', ['755', home]);
    const doctor = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(ROOT, 'bin', 'coldbench.js'), 'doctor'], {
      env: { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', HOME: home, COLDBENCH_CACHE: join(home, 'empty-cache') },
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(doctor.code).toBe(1);
    const lines = doctor.stdout.split('\n');
    expect(lines[0]).toMatch(/^node v\d+\.\d+\.\d+ on linux\/\w+, .+, as nobody$/);
    const missing = lines.flatMap((line, i) => (line.startsWith('missing') ? [{ line, fix: lines[i + 1] ?? '' }] : []));
    expect(missing.length).toBeGreaterThan(0);
    for (const { line, fix } of missing) expect(fix, line).toMatch(/^\s+fix: .*`[^`]+`/); // a command to run, in backticks
    const fixOf = (name: string) => missing.find((m) => new RegExp(`^missing\\s+${name}\\s`).test(m.line))?.fix ?? '';
    expect(fixOf('docker')).toContain('`sudo usermod -aG docker nobody`, then `newgrp docker`');
    expect(fixOf('wasmtime')).toContain('`bash scripts/build-wasmtime.sh host`');
    expect(fixOf('wasmtime-serve')).toContain('`bash scripts/build-wasmtime.sh cli`');
    expect(fixOf('rust \\(cargo\\)')).toMatch(/sh\.rustup\.rs .*--default-toolchain 1\.95\.0/);
    expect(doctor.stdout).toContain('note     not root: the PSS of root-owned processes');
  });
});
