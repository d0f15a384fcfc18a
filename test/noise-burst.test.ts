// The busy flag sees a process that started and ended between a unit's two snapshots: the
// per-process view cannot (it is in neither snapshot), the machine's CPU counters can. The burst
// runs outside the run (its parent exits at once, so it is nobody's child here).
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { measurementPids, noiseBetween, noiseSnapshot } from '../src/sys/noise.js';
import { tempDir } from './helpers.js';

const BURST_MS = 1500;

describe('the busy flag', () => {
  it('marks a unit busy when a process outside the run was born and died within it', async () => {
    const out = join(await tempDir(), 'burst.json');
    const before = await noiseSnapshot();
    const script = `const end = Date.now() + ${BURST_MS}; while (Date.now() < end); const u = process.cpuUsage(); require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ pid: process.pid, cpuSec: (u.user + u.system) / 1e6 }));`;
    const shell = spawn('sh', ['-c', `"${process.execPath}" -e "$0" &`, script], { stdio: 'ignore' });
    await new Promise((resolve) => shell.once('exit', resolve));
    let burst: { pid: number; cpuSec: number } | undefined;
    while (!burst) {
      await sleep(100);
      burst = await readFile(out, 'utf8').then(JSON.parse, () => undefined);
    }
    while (await readFile(`/proc/${burst.pid}/stat`, 'utf8').catch(() => undefined)) await sleep(50);
    const after = await noiseSnapshot();

    expect(before.processes.has(burst.pid) || after.processes.has(burst.pid)).toBe(false);
    const noise = noiseBetween(before, after, measurementPids(after), { workload: 'w', measurement: 'burst' });
    // Its CPU is on the machine's counters (ticks are sampled: allow a tick's worth and a little).
    expect(noise.machineOtherCores! * noise.seconds).toBeGreaterThanOrEqual(burst.cpuSec * 0.8 - 0.02);
    if (burst.cpuSec / noise.seconds >= 0.3) expect(noise.busy).toBe(true);
  }, 30_000);
});
