// Tenant ports: two coldbench processes allocating at the same time never get the same port, and
// a port whose owner died is handed out again.

import { execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
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
});
