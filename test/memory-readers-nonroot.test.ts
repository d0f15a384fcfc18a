// The memory readers run by a user who is not root: root's processes (a container's shim and its
// root workload, pid 1) are unreadable, which the readers say with the reason, never as zero or
// "process is gone"; the container's cgroup is still read. As root, the readers run in a child
// process switched to the unprivileged user nobody (setpriv); elsewhere the test skips, unless
// COLDBENCH_REQUIRE_RUNTIMES requires the non-root proof ("all" does).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dockerClient } from '../src/runtimes/docker-client.js';
import { asNobodyAvailability, skipReason, testable } from './availability.js';
import { artifactsFor, ROOT, runtimeAvailable } from './helpers.js';

const run = promisify(execFile);
const NOBODY = 65534;
const dockerHere = await runtimeAvailable('docker');
const nobody = await asNobodyAvailability();
const asUser = testable('nonroot-proof', nobody);

/** Runs `body` (an ES module's text, with `dist` the compiled sources) as nobody, and returns what it printed as JSON. */
async function asNobody(body: string): Promise<unknown> {
  const dist = join(ROOT, 'dist', 'sys');
  const script = `const dist = ${JSON.stringify(dist)};\n${body}`;
  const { stdout } = await run('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/' },
  });
  return JSON.parse(stdout);
}

describe.skipIf(!asUser)(
  asUser ? 'memory readers as a user who is not root' : `memory readers as a user who is not root (${skipReason('nonroot-proof', nobody)})`,
  () => {
    it("say that root's process memory cannot be read, and why", async () => {
      const result = await asNobody(`
const { processMemory } = await import(dist + '/proc.js');
const out = await processMemory(1).then((m) => ({ read: m }), (e) => ({ name: e.name, message: e.message }));
console.log(JSON.stringify(out));`);
      expect(result).toEqual({
        name: 'UnreadableMemory',
        message: `the memory of process 1 (uid 0) cannot be read as uid ${NOBODY}: /proc/PID/smaps_rollup of another user's process needs root or CAP_SYS_PTRACE`,
      });
    });

    it.skipIf(!dockerHere)("read a root container's cgroup and mark its PSS unreadable, never zero", async () => {
      const artifacts = await artifactsFor('hello-c', ['docker']);
      const container = await (await dockerClient()).createContainer({
        Image: artifacts.image!.tag,
        Env: ['PORT=8080', 'HOST=127.0.0.1'],
        Labels: { 'coldbench.run': `memory-nonroot-test-${process.pid}` },
        HostConfig: { NetworkMode: 'none' },
      });
      try {
        await container.start();
        const pid = (await container.inspect()).State.Pid;
        const memory = (await asNobody(`
const { containerMemory } = await import(dist + '/container-memory.js');
console.log(JSON.stringify(await containerMemory(${pid})));`)) as Record<string, unknown>;
        expect(memory.cgroupBytes).toBeGreaterThan(0);
        // NaN, written by JSON.stringify as null: no figure at all, rather than a zero.
        expect(memory).toMatchObject({ workloadPssBytes: null, shimPssBytes: null, proxyPssBytes: null });
        expect(memory.pssUnreadable).toMatch(new RegExp(`^the memory of process \\d+ \\(uid 0\\) cannot be read as uid ${NOBODY}:`));
      } finally {
        await container.remove({ force: true });
      }
    });
  },
);
