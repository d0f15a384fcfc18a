// Tenant ports: two coldbench processes allocating at the same time never get the same port, and
// a port whose owner died is handed out again. Their locks live in a directory private to the user.

import { execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensurePrivateDir, privateStateRoot } from '../src/runtimes/private-dir.js';
import { ROOT, tempDir } from './helpers.js';

const run = promisify(execFile);

describe('tenant ports', () => {
  it("are never handed to two processes at once, and a dead owner's ports come back", async () => {
    const dir = await tempDir();
    const locks = join(dir, 'locks');
    const script = join(dir, 'allocate.mjs');
    // Each process holds its ports until its input closes, so both hold theirs at the same time.
    await writeFile(
      script,
      `import { allocatePort } from ${JSON.stringify(join(ROOT, 'dist', 'runtimes', 'ports.js'))};
const ports = [];
for (let i = 0; i < 500; i++) ports.push(await allocatePort());
console.log(JSON.stringify(ports));
process.stdin.resume().on('end', () => process.exit(0));
`,
    );
    const env = { ...process.env, COLDBENCH_PORT_LOCKS: locks };
    const holders = [0, 1].map(() => spawn(process.execPath, [script], { env, stdio: ['pipe', 'pipe', 'inherit'] }));
    const [first, second] = await Promise.all(
      holders.map(
        (child) =>
          new Promise<number[]>((resolve) => {
            let out = '';
            child.stdout!.on('data', (chunk: Buffer) => {
              out += chunk.toString();
              if (out.endsWith('\n')) resolve(JSON.parse(out) as number[]);
            });
          }),
      ),
    );
    await Promise.all(
      holders.map(
        (child) =>
          new Promise((resolve) => {
            child.once('exit', resolve);
            child.stdin!.end();
          }),
      ),
    );
    expect(new Set(first).size).toBe(500);
    expect(first!.filter((port) => second!.includes(port))).toEqual([]);
    // Both owners have exited: their 1,000 locks are stale, so all 12,000 ports can be had again.
    const again = await run(
      process.execPath,
      [
        '-e',
        `import(${JSON.stringify(join(ROOT, 'dist', 'runtimes', 'ports.js'))}).then(async ({ allocatePort }) => { const got = new Set(); for (let i = 0; i < 11500; i++) got.add(await allocatePort()); console.log(got.size); })`,
      ],
      { env },
    );
    expect(Number(again.stdout)).toBe(11500);
  }, 120_000);

  it('keeps their locks in a directory of mode 0700, created for this user', async () => {
    const locks = join(await tempDir(), 'deep', 'locks');
    const { stdout } = await run(
      process.execPath,
      ['-e', `import(${JSON.stringify(join(ROOT, 'dist', 'runtimes', 'ports.js'))}).then(async ({ allocatePort }) => console.log(await allocatePort()))`],
      { env: { ...process.env, COLDBENCH_PORT_LOCKS: locks } },
    );
    expect(Number(stdout)).toBeGreaterThanOrEqual(20000);
    const made = await stat(locks);
    expect(made.mode & 0o777).toBe(0o700);
    expect(made.uid).toBe(process.getuid!());
  });

  it('tightens a lock directory of its own that others could write, and refuses a symlink', async () => {
    const dir = join(await tempDir(), 'loose');
    await mkdir(dir, { mode: 0o777 });
    await chmod(dir, 0o777);
    ensurePrivateDir(dir);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const link = join(await tempDir(), 'link');
    await run('ln', ['-s', dir, link]);
    expect(() => ensurePrivateDir(link)).toThrow(/link: expected a directory of this user's own, found a symlink/);
  });

  // Only root can hand a directory to another user, which is how another user's pre-created one looks.
  it.skipIf(process.getuid?.() !== 0)('refuses a lock directory another user owns, naming it, and allocates no port there', async () => {
    const locks = join(await tempDir(), 'theirs');
    await mkdir(locks, { mode: 0o700 });
    await chown(locks, 65534, 65534);
    expect(() => ensurePrivateDir(locks)).toThrow(`${locks}: expected a directory owned by this user (uid 0), found one owned by uid 65534`);
    const failed = await run(
      process.execPath,
      ['-e', `import(${JSON.stringify(join(ROOT, 'dist', 'runtimes', 'ports.js'))}).then(({ allocatePort }) => allocatePort())`],
      { env: { ...process.env, COLDBENCH_PORT_LOCKS: locks } },
    ).catch((error: { stderr: string }) => error);
    expect((failed as { stderr: string }).stderr).toContain(`${locks}: expected a directory owned by this user`);
  });

  it('live under $XDG_RUNTIME_DIR when the session has one, else under ~/.cache/coldbench', () => {
    expect(privateStateRoot({ XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/coldbench');
    expect(privateStateRoot({ COLDBENCH_CACHE: '/c' })).toBe('/c');
    expect(privateStateRoot({})).toMatch(/\/\.cache\/coldbench$/);
  });
});
