// podman as a second engine, beyond the conformance suite: what a dead run left on it is swept
// (the reaper's guarantee), its checkpoint calls reach podman's own API, and its service stopping
// mid-run is one clear line, like a stopped dockerd. Against a real podman service.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PODMAN_ENGINE } from '../src/runtimes/container-engines.js';
import { engineClient, engineError, OWNER_LABEL, RUN_LABEL } from '../src/runtimes/docker-client.js';
import { imageInto } from '../src/runtimes/engine-images.js';
import { PODMAN_CHECKPOINTS } from '../src/runtimes/podman-checkpoints.js';
import { sweepRun } from '../src/runtimes/sweep.js';
import { artifactsFor, processesOfRun, runCli, runtimeAvailable, tempDir, writeScenario } from './helpers.js';

const available = await runtimeAvailable('podman');

describe('podman engine errors', () => {
  it('names the podman service and how to start it when its socket does not answer', () => {
    const message = engineError(Object.assign(new Error('connect ENOENT /run/podman/podman.sock'), { code: 'ENOENT' }), PODMAN_ENGINE).message;
    expect(message).toMatch(/^the podman service stopped answering \(ENOENT\); `bash scripts\/setup.sh` starts it \(podman system service/);
    expect(message.split('\n')).toHaveLength(1);
  });
});

describe.skipIf(!available)('podman engine', () => {
  it('removes the containers of a run whose harness is gone, as the reaper does', async () => {
    const image = (await artifactsFor('hello-c', ['podman'])).image!.tag;
    const podman = await engineClient(PODMAN_ENGINE);
    const runId = `podman-sweep-${process.pid}`;
    await imageInto(podman, image);
    const container = await podman.createContainer({
      Image: image,
      Labels: { [RUN_LABEL]: runId, [OWNER_LABEL]: '999999999' },
      Env: ['PORT=1', 'HOST=127.0.0.1'],
      HostConfig: { NetworkMode: 'host', ...PODMAN_ENGINE.hostConfig },
    });
    await container.start();
    const report = await sweepRun(runId);
    expect(report.containers).toBe(1);
    expect(await podman.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${runId}`] } })).toEqual([]);
  }, 120_000);

  it("checkpoints through podman's libpod API: it checkpoints, or podman itself says why not", async () => {
    const image = (await artifactsFor('hello-c', ['podman'])).image!.tag;
    const podman = await engineClient(PODMAN_ENGINE);
    await imageInto(podman, image);
    const runId = `podman-checkpoint-${process.pid}`;
    const container = await podman.createContainer({
      Image: image,
      Labels: { [RUN_LABEL]: runId, [OWNER_LABEL]: String(process.pid) },
      Env: ['PORT=1', 'HOST=127.0.0.1'],
      HostConfig: { NetworkMode: 'host', ...PODMAN_ENGINE.hostConfig },
    });
    try {
      await container.start();
      const outcome = await PODMAN_CHECKPOINTS.checkpoint(container).then(
        () => 'checkpointed' as const,
        (error: { statusCode?: number; json?: { message?: string } }) => ({ status: error.statusCode, message: error.json?.message }),
      );
      if (outcome === 'checkpointed') {
        await PODMAN_CHECKPOINTS.restore(container);
        expect((await container.inspect()).State.Running).toBe(true);
      } else {
        // Here: crun built without CRIU ("configured runtime does not support checkpoint/restore"),
        // or CRIU failing on the kernel. Never the compat API's 404 for an endpoint it lacks.
        expect(outcome.status).toBe(500);
        expect(outcome.message).toMatch(/checkpoint|criu/i);
      }
    } finally {
      await sweepRun(runId);
    }
  }, 120_000);

  it('a podman service that stops mid-run ends the run with one clear line and leaves no process', async () => {
    // A service of its own on a socket of its own (the same storage), so that stopping it disturbs no other run.
    const dir = await tempDir();
    const socket = join(dir, 'podman.sock');
    let service: ChildProcess | undefined = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && !(await runCli(['doctor'], undefined, { COLDBENCH_PODMAN_SOCKET: socket }).then((r) => /ok\s+podman\s/.test(r.stdout))); i++)
        await sleep(500);
      const scenario = await writeScenario(
        dir,
        'podman.yaml',
        `name: podman-stop
workloads: [hello-c]
runtimes: [podman]
measurements:
  coldstart: { iterations: 500, warmup: 0, probeFloorSamples: 5 }
`,
      );
      let runId = '';
      const result = await runCli(
        ['run', scenario, '--out', join(dir, 'results')],
        (stdout) => {
          runId ||= /run (\S+):/.exec(stdout)?.[1] ?? '';
          if (service && /iteration 3\//.test(stdout)) {
            service.kill('SIGKILL');
            service = undefined;
          }
        },
        { COLDBENCH_PODMAN_SOCKET: socket },
      );
      expect(service).toBeUndefined();
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines.length).toBeLessThanOrEqual(3); // the failure, tenants it could not remove, where the results are
      expect(lines).toContainEqual(expect.stringMatching(/^coldbench run: the podman service (stopped answering|failed)/));
      expect(await processesOfRun(runId)).toBe(0);
      // What the stopped service kept is removed through the one that answers.
      await sweepRun(runId);
    } finally {
      service?.kill('SIGKILL');
    }
  }, 300_000);
});
