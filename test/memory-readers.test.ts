// The /proc and cgroup readers against processes and containers with a known footprint.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { totalmem } from 'node:os';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeFirstResponse } from '../src/measure/probe.js';
import { dockerClient } from '../src/runtimes/docker-client.js';
import { containerMemory, dockerProxiesByPort } from '../src/sys/container-memory.js';
import { liveHost } from '../src/sys/host.js';
import { processCpuSeconds, processMemory } from '../src/sys/proc.js';
import { NODE_IN_IMAGE } from '../src/workloads/build-image.js';
import { artifactsFor, runtimeAvailable } from './helpers.js';

const MiB = 1024 * 1024;

// A child that, on each line it reads, allocates and touches 64 MiB, or spins for 300 ms of CPU.
const CHILD = `
const held = [];
process.stdin.on('data', (d) => {
  // Spins until it has used 300 ms of CPU, however busy the machine is.
  if (String(d).startsWith('spin')) { const start = process.cpuUsage(); while ((process.cpuUsage(start).user + process.cpuUsage(start).system) < 300000); }
  else held.push(Buffer.alloc(64 * 1024 * 1024, 1));
  process.stdout.write('done\\n');
});
process.stdout.write('ready\\n');
`;

let child: ChildProcess;
async function ask(line: string): Promise<void> {
  child.stdin!.write(`${line}\n`);
  await once(child.stdout!, 'data');
}

beforeAll(async () => {
  child = spawn(process.execPath, ['-e', CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
});
afterAll(() => {
  child.kill();
});

describe('process readers', () => {
  it('see 64 MiB touched by a process in its PSS', async () => {
    const before = await processMemory(child.pid!);
    await ask('alloc');
    const after = await processMemory(child.pid!);
    const grown = (after.pssBytes - before.pssBytes) / MiB;
    expect(grown).toBeGreaterThan(60);
    expect(grown).toBeLessThan(72);
    expect(after.pssBytes).toBeLessThanOrEqual(after.rssBytes);
  });

  it('count a shared node binary once in PSS but in full in RSS', async () => {
    const memory = await processMemory(process.pid);
    expect(memory.pssBytes).toBeLessThan(memory.rssBytes);
  });

  it('see CPU time grow while a process spins', async () => {
    const before = await processCpuSeconds(child.pid!);
    await ask('spin');
    expect((await processCpuSeconds(child.pid!)) - before).toBeGreaterThan(0.2);
    expect(await liveHost.busyCpuSeconds()).toBeGreaterThan(0);
  });

  it('name the pid when a process is gone', async () => {
    await expect(processMemory(999999999)).rejects.toThrow('process 999999999 is gone');
  });

  it("read MemAvailable within the machine's memory", async () => {
    const available = await liveHost.memAvailableBytes();
    expect(available).toBeGreaterThan(0);
    expect(available).toBeLessThan(totalmem());
  });
});

describe.skipIf(!(await runtimeAvailable('docker')))('container reader (needs a Docker engine)', () => {
  it.each(['host', 'bridge'] as const)(
    "reads a running container's cgroup memory and the PSS of its workload, shim and proxy (%s network)",
    async (network) => {
      const artifacts = await artifactsFor('hello-c', ['docker']);
      const port = 20000 + Math.floor(Math.random() * 10000);
      const container = await (await dockerClient()).createContainer({
        Image: artifacts.image!.tag,
        Env: [`PORT=${network === 'host' ? port : 8080}`, 'HOST=0.0.0.0'],
        Labels: { 'coldbench.run': `memory-test-${process.pid}` },
        ExposedPorts: network === 'bridge' ? { '8080/tcp': {} } : undefined,
        HostConfig:
          network === 'host'
            ? { NetworkMode: 'host' }
            : { NetworkMode: 'bridge', PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
      });
      try {
        await container.start();
        await probeFirstResponse(`http://127.0.0.1:${port}`, artifacts.workload.requests[0]!, 10000);
        const proxies = network === 'bridge' ? (await dockerProxiesByPort()).get(port) : undefined;
        const memory = await containerMemory((await container.inspect()).State.Pid, proxies);
        expect(memory.cgroupBytes).toBeGreaterThan(0);
        expect(memory.cgroupBytes).toBeLessThan(200 * MiB);
        // The workload is a static C server: a small process of its own.
        expect(memory.workloadPssBytes).toBeGreaterThan(10 * 1024);
        expect(memory.workloadPssBytes).toBeLessThan(20 * MiB);
        expect(memory.shimPssBytes).toBeGreaterThan(100 * 1024);
        expect(memory.shimPssBytes).toBeLessThan(30 * MiB);
        if (network === 'host') expect(memory.proxyPssBytes).toBe(0);
        else expect(memory.proxyPssBytes).toBeGreaterThan(100 * 1024);
      } finally {
        await container.remove({ force: true });
      }
    },
  );

  it("sees 64 MiB touched inside a container in its cgroup and in its workload's PSS", async () => {
    const image = (await artifactsFor('hello', ['docker'])).image!.tag;
    // Two containers of the same image, one holding 64 MiB more: the readings differ by that much.
    const created: Docker.Container[] = [];
    const holding = async (mib: number) => {
      const script = `globalThis.held = Buffer.alloc(${mib} * 1024 * 1024, 1); console.log('ready'); setInterval(() => {}, 1000);`;
      const container = await (await dockerClient()).createContainer({
        Image: image,
        Cmd: [NODE_IN_IMAGE, '-e', script],
        Labels: { 'coldbench.run': `memory-test-${process.pid}` },
        HostConfig: { NetworkMode: 'none' },
      });
      created.push(container);
      await container.start();
      for (let waited = 0; !(await container.logs({ stdout: true })).toString().includes('ready'); waited += 50) {
        if (waited > 10000) throw new Error('the container never said ready');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return (await container.inspect()).State.Pid;
    };
    try {
      // The cgroup is charged for the page cache of the image's files by whichever container reads
      // them first: a first container takes that charge. Both compared are read once both run,
      // so their shared pages are split among the same sharers in both PSS readings.
      await holding(0);
      const [basePid, grownPid] = await Promise.all([holding(0), holding(64)]);
      const [base, grown] = await Promise.all([containerMemory(basePid), containerMemory(grownPid)]);
      expect((grown.cgroupBytes - base.cgroupBytes) / MiB).toBeGreaterThan(60);
      expect((grown.cgroupBytes - base.cgroupBytes) / MiB).toBeLessThan(72);
      expect((grown.workloadPssBytes - base.workloadPssBytes) / MiB).toBeGreaterThan(60);
      expect((grown.workloadPssBytes - base.workloadPssBytes) / MiB).toBeLessThan(72);
    } finally {
      await Promise.allSettled(created.map((c) => c.remove({ force: true })));
    }
  });
});
