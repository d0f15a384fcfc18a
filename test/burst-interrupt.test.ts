// A burst cut short leaves nothing behind: Ctrl-C mid-burst tears down every tenant the burst
// started (deploys in flight included) before the run exits 130; kill -9 mid-burst leaves the
// run's reaper to remove them. Containers where docker is here, processes always.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults } from '../src/results/read.js';
import { containersOfRun, processesOfRun, runCli, runtimeAvailable, tempDir, writeScenario } from './helpers.js';

const dockerHere = await runtimeAvailable('docker');

const scenario = (name: string) => `name: ${name}
workloads: [hello]
runtimes: [${dockerHere ? 'docker, ' : ''}process]
docker:
  network: host
measurements:
  burst: { sizes: [12], repetitions: 50, settleMs: 0 }
`;

/** Runs the scenario and sends `signal` a moment into the second burst, when its tenants are starting. */
async function cutShort(signal: NodeJS.Signals) {
  const dir = await tempDir();
  const file = await writeScenario(dir, `${signal}.yaml`, scenario(`burst-${signal.toLowerCase()}`));
  let runId = '';
  let sent = false;
  const result = await runCli(['run', file, '--out', join(dir, 'results')], (stdout, child) => {
    runId ||= /run (\S+):/.exec(stdout)?.[1] ?? '';
    if (!sent && /burst of 12 \(2\/50\)…/.test(stdout)) {
      sent = true;
      setTimeout(() => child.kill(signal), 150);
    }
  });
  expect(sent).toBe(true);
  expect(runId).not.toBe('');
  const files = (await readdir(join(dir, 'results'))).filter((f) => f.endsWith('.json'));
  return { result, runId, saved: await readResults(join(dir, 'results', files[0]!)) };
}

async function leftAfter(runId: string, waitMs: number): Promise<number> {
  let left = (await containersOfRun(runId)) + (await processesOfRun(runId));
  for (let waited = 0; waited < waitMs && left > 0; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    left = (await containersOfRun(runId)) + (await processesOfRun(runId));
  }
  return left;
}

describe('a burst cut short', () => {
  it('on Ctrl-C tears down every tenant it started and keeps the bursts it measured', async () => {
    const { result, runId, saved } = await cutShort('SIGINT');
    expect(result.code).toBe(130);
    expect(saved.status).toBe('interrupted');
    expect(saved.samples.some((s) => s.measurement === 'burst' && s.phase === 'first-response' && s.tenants === 12)).toBe(true);
    // The run removed them itself, before it exited: nothing to wait for.
    expect(await leftAfter(runId, 0)).toBe(0);
  });

  it('on kill -9 leaves its tenants to the run’s reaper, which removes them', async () => {
    const { result, runId, saved } = await cutShort('SIGKILL');
    expect(result.code).toBe(null); // killed: no cleanup of its own ran
    expect(saved.status).toBe('interrupted');
    expect(await leftAfter(runId, 30_000)).toBe(0);
    expect(result.stderr).toMatch(/coldbench: removed \d+ container\(s\) and \d+ process\(es\) of run .*, whose harness ended without cleaning up/);
  });
});
