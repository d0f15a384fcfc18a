// Measures what the hosts' isolation options cost and give (docs/isolation.md): for each Wasm host
// and V8 isolation option, the time well-behaved tenants wait while another tenant loops until its
// deadline (all of them asked at once every 200 ms, against the same without a loop), and what adding a tenant costs (wall time of
// the add, host PSS per tenant), and how long a tenant growing its memory without end runs before
// its cap stops it.
// Run: npx vite-node test/bench/isolation.ts [tenants=8] [deadlineMs=5000] [loops=3]
// (COLDBENCH_CACHE selects the wasmtime host build, as for the tests.) Prints a table; nothing is saved.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { median } from 'simple-statistics';
import { parse } from 'yaml';
import { httpRequest } from '../../src/http-client.js';
import { WasmHostClient } from '../../src/runtimes/wasm-host-client.js';
import { processMemory } from '../../src/sys/proc.js';
import { buildWorkload } from '../../src/workloads/build.js';
import { WorkloadSchema } from '../../src/workloads/catalog.js';
import { artifactsFor, ROOT } from '../helpers.js';
import { testHosts } from '../wasm-hosts.js';

const [tenants = 8, deadlineMs = 5000, loops = 3] = process.argv.slice(2).map(Number);
const PROBE_EVERY_MS = 200;
const dir = join(ROOT, 'test', 'data', 'workloads', 'fault-c');
const fault = await buildWorkload({ ...WorkloadSchema.parse(parse(await readFile(join(dir, 'workload.yaml'), 'utf8'))), dir }, new Set(['component']));
const hello = await artifactsFor('hello-c', ['wasmtime']);

const fmt = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${sorted[0]!.toFixed(1)} / ${median(sorted).toFixed(1)} / ${sorted.at(-1)!.toFixed(1)}`;
};

console.log(`tenants=${tenants} deadlineMs=${deadlineMs} loops=${loops}; figures min / median / max`);
for (const testHost of testHosts.filter((h) => h.here)) {
  const { host } = await WasmHostClient.start(`bench-${process.pid}`, { argv: testHost.argv(deadlineMs) });
  try {
    const ask = (id: string, path = '/') => httpRequest(new URL(host.tenantUrl(id) + path), { timeoutMs: 120_000 });
    await host.addTenant({ id: 'looper', component: fault.component!.sha256!, firstPath: '/' });
    const pssBefore = (await processMemory(host.pid)).pssBytes;
    const addMs: number[] = [];
    for (let i = 0; i < tenants; i++) {
      const started = performance.now();
      await host.addTenant({ id: `t${i}`, component: hello.component!.sha256!, firstPath: '/' });
      addMs.push(performance.now() - started);
    }
    const pssPerTenant = ((await processMemory(host.pid)).pssBytes - pssBefore) / tenants / 1048576;

    const timeOne = async (id: string) => {
      const started = performance.now();
      const answer = await ask(id);
      if (answer.status !== 200) throw new Error(`${testHost.name}: ${id} answered ${answer.status}`);
      return performance.now() - started;
    };
    // Every PROBE_EVERY_MS, ask every well-behaved tenant at once (each answer's time is how long that
    // tenant waited): for a deadline's time with no loop, then while the looper loops until its
    // deadline. The quiet rounds are the baseline: what concurrency alone costs on this machine.
    const probeWhile = async (running: () => boolean, waits: number[], stalled?: Set<string>) => {
      const probes: Promise<void>[] = [];
      while (running()) {
        for (let i = 0; i < tenants; i++) {
          probes.push(
            timeOne(`t${i}`).then(
              (ms) => {
                waits.push(ms);
                if (ms > deadlineMs / 2) stalled?.add(`t${i}`);
              },
              () => {
                failed++; // a connection reset while thousands wait on a stalled host: counted, not fatal
              },
            ),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
      }
      await Promise.all(probes);
    };
    let failed = 0;
    const quiet: number[] = [];
    const quietUntil = performance.now() + deadlineMs;
    await probeWhile(() => performance.now() < quietUntil, quiet);

    const waits: number[] = [];
    const stalled = new Set<string>();
    for (let round = 0; round < loops; round++) {
      let looping = true;
      const loop = ask('looper', '/loop').finally(() => {
        looping = false;
      });
      await new Promise((resolve) => setTimeout(resolve, 50)); // the loop has started
      await probeWhile(() => looping, waits, stalled);
      if ((await loop).status !== 500) throw new Error(`${testHost.name}: the loop was not stopped`);
      await timeOne('looper'); // re-instantiated (worker restarted) before the next round
    }
    // A runaway tenant: grows its memory a page at a time until the cap (default 128 MiB) stops it.
    const runaway: number[] = [];
    let stoppedByDeadline = 0;
    for (let round = 0; round < loops; round++) {
      const started = performance.now();
      const answer = await ask('looper', '/grow');
      runaway.push(performance.now() - started);
      if (answer.status !== 500) throw new Error(`${testHost.name}: /grow answered ${answer.status} ${answer.body}`);
      // On a loaded machine the deadline may come first: say which stopped it.
      if (!answer.body.includes('memory cap exceeded')) stoppedByDeadline++;
    }
    const rssMiB = (await processMemory(host.pid)).rssBytes / 1048576;
    console.log(
      `${testHost.name.padEnd(30)} add ms ${fmt(addMs)} | PSS/tenant ${pssPerTenant.toFixed(2)} MiB | no loop ms ${fmt(quiet)} | while looping ms ${fmt(waits)} (n=${waits.length}, failed ${failed}), tenants that waited > deadline/2: ${stalled.size} of ${tenants} | runaway stopped in ms ${fmt(runaway)} (${stoppedByDeadline} of ${loops} by the deadline, the rest at the cap), host RSS after ${rssMiB.toFixed(0)} MiB`,
    );
  } finally {
    await host.stop();
  }
}
process.exit(0);
