// A scenario's platforms: validation, how samples of an emulated architecture are told apart, and
// (where scripts/setup-arm64.sh has set up emulation) hello-c really built for and served on arm64.

import { spawnSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyRuntime } from '../src/measure/verify.js';
import { runtimeLabel } from '../src/results/identity.js';
import { driverContext, runtimeIdentity } from '../src/results/sample.js';
import { type Sample, sampleKey } from '../src/results/types.js';
import { hostPlatform, preparePlatform } from '../src/runtimes/platform.js';
import { availableDrivers } from '../src/runtimes/select.js';
import type { Availability } from '../src/runtimes/types.js';
import { parseScenario } from '../src/scenario/load.js';
import { buildWorkload } from '../src/workloads/build.js';
import { loadWorkload } from '../src/workloads/catalog.js';
import { skipReason, testable } from './availability.js';
import { ROOT, runtimeAvailable, scenarioError } from './helpers.js';

const SCENARIO = (extra: string) => `name: t\nworkloads: [hello-c]\nruntimes: [process]\n${extra}measurements: { coldstart: {} }\n`;

describe('platforms in a scenario', () => {
  it('accepts the known platforms once each and names the field otherwise', () => {
    expect(parseScenario('s.yaml', SCENARIO('platforms: [linux/amd64, linux/arm64]\n')).platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(scenarioError(SCENARIO('platforms: [linux/s390x]\n'))).toBe('s.yaml:4: platforms[0]: expected one of: linux/amd64, linux/arm64');
    expect(scenarioError(SCENARIO('platforms: [linux/arm64, linux/arm64]\n'))).toMatch(/platforms: each platform at most once/);
  });

  it('refuses a registry base image beside a foreign platform (its images are built FROM scratch)', () => {
    const foreign = hostPlatform().arch === 'arm64' ? 'linux/amd64' : 'linux/arm64';
    expect(scenarioError(SCENARIO(`platforms: [${foreign}]\ndocker: { baseImage: node:20 }\n`))).toBe(
      `s.yaml: docker.baseImage: cannot be used with platforms (${foreign} is built FROM scratch, offline); remove one of them`,
    );
  });
});

describe('samples of an emulated architecture', () => {
  const sample = (arch: string, emulated: boolean): Sample => ({
    scenario: 's',
    measurement: 'coldstart',
    workload: 'hello',
    runtime: 'docker',
    arch,
    emulated,
    tenants: 1,
    iteration: 0,
    phase: 'total',
    metric: 'duration',
    unit: 'ms',
    value: 1,
  });

  it("are other quantities than the host's, while two machines' native samples stay comparable", () => {
    expect(sampleKey(sample('arm64', true))).not.toBe(sampleKey(sample('amd64', false)));
    // x64 and arm64 runners: the same quantity, so `compare` pairs them.
    expect(sampleKey(sample('arm64', false))).toBe(sampleKey(sample('amd64', false)));
    // Files written before samples carried an architecture compare with new ones.
    const { arch: _a, emulated: _e, ...old } = sample('amd64', false);
    expect(sampleKey(old)).toBe(sampleKey(sample('amd64', false)));
  });

  it('say so in every label', () => {
    expect(runtimeLabel(sample('arm64', true))).toBe('docker on arm64 (emulated)');
    expect(runtimeLabel(sample('amd64', false))).toBe('docker');
  });
});

describe('one runtime identity', () => {
  it('is carried alike by samples, density ramps and latency histograms, so they match', () => {
    const arm64 = { name: 'linux/arm64' as const, arch: 'arm64', emulated: true, node: '/x/node' };
    const driver = { name: 'wasm', variant: 'shared', arm: 'b', platform: arm64 };
    const identity = runtimeIdentity(driver);
    expect(identity).toEqual({ runtime: 'wasm', variant: 'shared', arm: 'b', arch: 'arm64', emulated: true });
    expect(runtimeLabel(identity)).toBe(runtimeLabel(driverContext('s', 'hello', driver)));
    expect(runtimeLabel(identity)).toBe('wasm (shared) [arm b] on arm64 (emulated)');
    // Fields that do not apply are left out, as in results files.
    expect(Object.keys(runtimeIdentity({ name: 'process' }))).toEqual(['runtime', 'arch', 'emulated']);
  });
});

describe('drivers per platform', () => {
  it('one per platform, carrying it; a runtime that cannot run emulated is skipped there with a reason', async () => {
    process.env.COLDBENCH_TEST_RUNTIMES = '1';
    const host = hostPlatform();
    const foreign = { ...host, name: 'linux/arm64' as const, arch: 'arm64', emulated: true };
    const lines: string[] = [];
    const { drivers } = await availableDrivers(['process', 'fake'], { runId: 'platforms-test' }, {}, (l) => lines.push(l), undefined, [host, foreign]);
    expect(drivers.map((d) => `${d.name}:${d.platform?.arch}`)).toEqual([`process:${host.arch}`, 'process:arm64', `fake:${host.arch}`]);
    expect(lines).toEqual(['skipping fake on linux/arm64: it does not run on an emulated platform']);
    await Promise.all(drivers.map((d) => d.dispose()));
  });
});

/** The ELF header's e_machine: 0xb7 is AArch64, 0x3e x86-64. */
async function elfMachine(file: string): Promise<number> {
  const handle = await open(file);
  try {
    const { buffer } = await handle.read(Buffer.alloc(20), 0, 20, 0);
    return buffer.readUInt16LE(18);
  } finally {
    await handle.close();
  }
}

// Set up by `bash scripts/setup-arm64.sh` (root); the check installs nothing and takes well under a second.
// Not set up by the README's two commands, so CI skips these unless it requires linux/arm64.
const arm64Check = process.arch === 'x64' ? spawnSync('bash', [join(ROOT, 'scripts', 'setup-arm64.sh'), '--check'], { encoding: 'utf8' }) : undefined;
const arm64Availability: Availability =
  arm64Check?.status === 0
    ? { available: true }
    : {
        available: false,
        reason: arm64Check ? arm64Check.stderr.trim() || 'emulation is not set up' : `emulation is tested from x64 only (this is ${process.arch})`,
        fix: 'bash scripts/setup-arm64.sh (as root)',
      };
const arm64Here = testable('linux/arm64', arm64Availability);
const dockerHere = await runtimeAvailable('docker');

describe.skipIf(!arm64Here)(arm64Here ? 'emulated linux/arm64 (qemu-user-static)' : skipReason('linux/arm64', arm64Availability), () => {
  it("hello-c: a cross-compiled arm64 process answers exactly, and the component is the host's file", async () => {
    const platform = await preparePlatform('linux/arm64');
    expect(platform).toMatchObject({ arch: 'arm64', emulated: true });
    const workload = await loadWorkload('hello-c');
    const [native, arm64] = [
      await buildWorkload(workload, new Set(['server-app', 'component'])),
      await buildWorkload(workload, new Set(['server-app', 'component']), { platform }),
    ];
    expect(await elfMachine(native.serverApp!.command[0]!)).toBe(0x3e);
    expect(await elfMachine(arm64.serverApp!.command[0]!)).toBe(0xb7);
    expect(arm64.component!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(arm64.component!.sha256).toBe(native.component!.sha256);
    expect(arm64.component!.servedSha256).toBe(native.component!.servedSha256);

    const { drivers } = await availableDrivers(['process'], { runId: 'platforms-test' }, {}, () => {}, undefined, [platform]);
    try {
      expect(await verifyRuntime(drivers[0]!, arm64, 30_000)).toEqual([]);
    } finally {
      await drivers[0]!.dispose();
    }
  });

  it('infer-c and infer: the same bytes on arm64 as declared (and as on the host), as a process and in the V8 host', async () => {
    const platform = await preparePlatform('linux/arm64');
    const { drivers } = await availableDrivers(['process', 'wasm'], { runId: 'platforms-infer' }, {}, () => {}, undefined, [platform]);
    try {
      for (const name of ['infer-c', 'infer']) {
        const artifacts = await buildWorkload(await loadWorkload(name), new Set(['server-app', 'component']), { platform });
        for (const driver of drivers) {
          await driver.prepare?.(artifacts);
          expect({ name, runtime: driver.name, problems: await verifyRuntime(driver, artifacts, 120_000) }).toEqual({
            name,
            runtime: driver.name,
            problems: [],
          });
        }
      }
    } finally {
      await Promise.all(drivers.map((d) => d.dispose()));
    }
  }, 900_000);

  it.skipIf(!dockerHere)("hello-c: the arm64 image is another image than the host's, and the engine runs it", async () => {
    const platform = await preparePlatform('linux/arm64');
    const workload = await loadWorkload('hello-c');
    const native = await buildWorkload(workload, new Set(['image']));
    const arm64 = await buildWorkload(workload, new Set(['image']), { platform });
    expect(native.image!.arch).toBe('amd64');
    expect(arm64.image!.arch).toBe('arm64');
    expect(arm64.image!.digest).toMatch(/^sha256:/);
    expect(arm64.image!.digest).not.toBe(native.image!.digest);
    const { drivers } = await availableDrivers(['docker'], { runId: 'platforms-test' }, {}, () => {}, undefined, [platform]);
    try {
      expect(await verifyRuntime(drivers[0]!, arm64, 30_000)).toEqual([]);
    } finally {
      await drivers[0]!.dispose();
    }
  });
});
