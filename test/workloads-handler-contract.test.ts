// The handler contract holds on every runtime, through every adapter: C and Python handlers get
// the real method, path, query and body (Wasm too); JS handlers may be sync or async; a handler failure is
// the same 500 everywhere and the tenant keeps serving; a body over the limit is the same 413
// everywhere; a JS component that cannot be built says why in one line.
// The fixtures are workloads under test/data/workloads/ (the catalog only lists workloads/, so
// they are built here directly, and `verify` runs on them in a throwaway copy of the project).

import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { componentEmbed, print } from '@bytecodealliance/jco';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { httpRequest } from '../src/http-client.js';
import { probeFirstResponse } from '../src/measure/probe.js';
import { verifyRuntime } from '../src/measure/verify.js';
import { runtimeLabel } from '../src/results/identity.js';
import { artifactKinds } from '../src/runtimes/select.js';
import type { Deployment, RuntimeDriver } from '../src/runtimes/types.js';
import type { WorkloadArtifacts } from '../src/workloads/artifacts.js';
import { buildWorkload } from '../src/workloads/build.js';
import { buildComponent, componentizeFailure } from '../src/workloads/build-component.js';
import { type Workload, WorkloadSchema } from '../src/workloads/catalog.js';
import { componentizePyTestable } from './availability.js';
import { availableRuntimeNames, driversFor, ROOT, tempDir } from './helpers.js';

const FIXTURES = join(ROOT, 'test', 'data', 'workloads');
const BODY_LIMIT = 1024 * 1024; // CB_REQUEST_BODY_MAX in handler.h, BODY_LIMIT in the JS adapters
const TOO_LARGE = { status: 413, body: 'request body too large\n' };
const BUILD_MS = 600_000;

/** A workload from a folder, validated by the catalog's schema (what loadWorkload does for workloads/). */
async function workloadAt(dir: string, name?: string): Promise<Workload> {
  const workload = WorkloadSchema.parse(parse(await readFile(join(dir, 'workload.yaml'), 'utf8')));
  return { ...workload, name: name ?? workload.name, dir };
}

/** FNV-1a, 32 bits, as lower-case hex: computed here, independently of the C handler. */
function fnv1a(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** A string of `length` ASCII characters (so also `length` bytes) that is not all one letter. */
function pattern(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-_';
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[(i * 7 + (i >> 10)) % alphabet.length];
  return text;
}

let runtimes: string[];
let drivers: RuntimeDriver[];

beforeAll(async () => {
  runtimes = await availableRuntimeNames();
  drivers = await driversFor(runtimes, `contract-${process.pid}`);
}, 120_000);

afterAll(async () => {
  await Promise.all((drivers ?? []).map((driver) => driver.dispose()));
});

async function build(workload: Workload): Promise<WorkloadArtifacts> {
  return buildWorkload(workload, artifactKinds(runtimes));
}

/** Every declared request on every runtime: what `coldbench verify` checks. Returns "runtime: problem" lines. */
async function verifyEverywhere(artifacts: WorkloadArtifacts): Promise<string[]> {
  const problems: string[] = [];
  for (const driver of drivers) {
    await driver.prepare?.(artifacts);
    const label = runtimeLabel({ runtime: driver.name, variant: driver.variant });
    for (const problem of await verifyRuntime(driver, artifacts, 15_000)) problems.push(`${label}: ${problem}`);
  }
  return problems;
}

/** Deploys one tenant per runtime, runs `check` on it, and tears it down. */
async function onEveryRuntime(artifacts: WorkloadArtifacts, check: (deployment: Deployment, label: string) => Promise<void>): Promise<void> {
  for (const driver of drivers) {
    await driver.prepare?.(artifacts);
    const label = runtimeLabel({ runtime: driver.name, variant: driver.variant });
    const deployment = await driver.deploy(artifacts, `${artifacts.workload.name}-${driver.name}-contract`);
    try {
      await probeFirstResponse(deployment.baseUrl, artifacts.workload.requests[0]!, 15_000);
      await check(deployment, label);
    } finally {
      await driver.teardown(deployment);
    }
  }
}

async function ask(deployment: Deployment, label: string, path: string, method = 'GET', body?: string) {
  const answer = await httpRequest(new URL(deployment.baseUrl + path), { method, body, timeoutMs: 15_000 }).catch((error: Error) => ({
    status: 0,
    body: `no answer: ${error.message}`,
  }));
  return { runtime: label, ...answer };
}

/**
 * The digest fixtures (digest-c, digest-py) on every runtime: an unusual method reaches the handler,
 * a body at the limit is digested, one byte more answers 413, and the next request is served.
 */
async function digestsAtTheLimit(artifacts: WorkloadArtifacts): Promise<void> {
  const atLimit = pattern(BODY_LIMIT);
  const answers: unknown[] = [];
  await onEveryRuntime(artifacts, async (deployment, label) => {
    answers.push(await ask(deployment, label, '/purge/me?now', 'PURGE'));
    answers.push(await ask(deployment, label, '/big', 'POST', atLimit));
    answers.push(await ask(deployment, label, '/too-big', 'POST', `${atLimit}x`));
    answers.push(await ask(deployment, label, '/after?x', 'GET'));
  });
  expect(answers).toEqual(
    drivers.flatMap((driver) => {
      const runtime = runtimeLabel({ runtime: driver.name, variant: driver.variant });
      return [
        { runtime, status: 200, body: 'PURGE /purge/me now 0 bytes\n' },
        { runtime, status: 200, body: `fnv1a ${fnv1a(Buffer.from(atLimit))} ${BODY_LIMIT} bytes\n` },
        { runtime, ...TOO_LARGE },
        { runtime, status: 200, body: 'GET /after x 0 bytes\n' },
      ];
    }),
  );
}

describe('C handlers get the real request on every runtime', () => {
  let artifacts: WorkloadArtifacts;
  beforeAll(async () => {
    artifacts = await build(await workloadAt(join(FIXTURES, 'digest-c')));
  }, BUILD_MS);

  it('imports only what `jco embed --dummy` generates for the world, with the same core signatures', async () => {
    const dir = dirname(artifacts.component!.wasm);
    const core = new Uint8Array(await readFile(join(dir, 'core.wasm')));
    const dummy = await componentEmbed({ dummy: true, witPath: join(dir, 'wit'), world: 'workload' });
    const ours = importSignatures(await print(core));
    const generated = importSignatures(await print(dummy));
    const wasi = [...ours].filter(([name]) => name.startsWith('wasi:'));
    expect(wasi.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'wasi:http/types [method]incoming-request.method',
        'wasi:http/types [method]incoming-request.consume',
        'wasi:http/types [method]incoming-body.stream',
        'wasi:io/streams [method]input-stream.blocking-read',
      ]),
    );
    for (const [name, signature] of wasi) expect({ name, signature }).toEqual({ name, signature: generated.get(name) });
  });

  it(
    'answers every declared request exactly (`verify`), with the method, path, query and body it was sent',
    async () => {
      expect(await verifyEverywhere(artifacts)).toEqual([]);
    },
    BUILD_MS,
  );

  it('sees an unusual method, digests a body at the limit, and answers 413 for one byte more, then serves again', () => digestsAtTheLimit(artifacts), BUILD_MS);
});

const python = await componentizePyTestable();

describe.skipIf(!python.testable)(python.why || 'Python handlers get the real request on every runtime; a failure is the same 500 everywhere', () => {
  let artifacts: WorkloadArtifacts;
  beforeAll(async () => {
    artifacts = await build(await workloadAt(join(FIXTURES, 'digest-py')));
  }, BUILD_MS);

  it(
    "answers every declared request exactly (`verify`), the handler's exceptions as 500, and serves on",
    async () => {
      expect(await verifyEverywhere(artifacts)).toEqual([]);
    },
    BUILD_MS,
  );

  it('sees an unusual method, digests a body at the limit, and answers 413 for one byte more, then serves again', () => digestsAtTheLimit(artifacts), BUILD_MS);
});

describe('JS handlers may be sync or async; a failure is the same 500 everywhere', () => {
  it(
    'an async handler answers, and after a throw or a rejection the next request is served (`verify`)',
    async () => {
      const artifacts = await build(await workloadAt(join(FIXTURES, 'async-js')));
      expect(await verifyEverywhere(artifacts)).toEqual([]);
    },
    BUILD_MS,
  );

  it(
    'a sync handler that throws or returns a non-response answers 500, and a returned Promise is awaited (`verify`)',
    async () => {
      const artifacts = await build(await workloadAt(join(FIXTURES, 'throws-js')));
      expect(await verifyEverywhere(artifacts)).toEqual([]);
    },
    BUILD_MS,
  );

  it(
    'a body at the limit reaches the handler, one byte more answers 413, and the next request is served',
    async () => {
      const artifacts = await build(await workloadAt(join(FIXTURES, 'throws-js')));
      const atLimit = pattern(BODY_LIMIT);
      const answers: unknown[] = [];
      await onEveryRuntime(artifacts, async (deployment, label) => {
        answers.push(await ask(deployment, label, '/big', 'POST', atLimit));
        answers.push(await ask(deployment, label, '/too-big', 'POST', `${atLimit}x`));
        answers.push(await ask(deployment, label, '/after', 'PURGE'));
      });
      expect(answers).toEqual(
        drivers.flatMap((driver) => {
          const runtime = runtimeLabel({ runtime: driver.name, variant: driver.variant });
          return [
            { runtime, status: 200, body: `POST /big  ${BODY_LIMIT} chars\n` },
            { runtime, ...TOO_LARGE },
            { runtime, status: 200, body: 'PURGE /after  0 chars\n' },
          ];
        }),
      );
    },
    BUILD_MS,
  );
});

describe('JS inside Wasm (StarlingMonkey)', () => {
  it(
    'a component that cannot be built fails with one line naming the workload and the cause',
    async () => {
      const workload = await workloadAt(join(FIXTURES, 'regex-js'));
      const error = await buildComponent(workload).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error!.message).not.toContain('\n');
      expect(error!.message).toMatch(
        /^regex-js: componentize-js could not build the component: handler\.js:3:\d+ SyntaxError: invalid property name in regular expression \(StarlingMonkey's regular expressions have no Unicode property escapes such as \\p\{L\}/,
      );
    },
    BUILD_MS,
  );

  it("an unknown build failure is its first meaningful line, in terms of the workload's files", () => {
    const wizer =
      'Failed to initialize component (wizer (/x/node_modules/@bytecodealliance/wizer-linux-x64/wizer)):\nException while evaluating top-level script\n';
    const source = '/root/.coldbench/artifacts/w/component-0123/source';
    expect(
      componentizeFailure(
        new Error(`${wizer}${source}/handler.js:1:7 Error: nope at init\nAdditionally, some promises were rejected\nStack:\n  @${source}/handler.js:1:7`),
        'main.js',
      ),
    ).toBe('main.js:1:7 Error: nope at init');
    expect(
      componentizeFailure(
        new Error(
          `${wizer}.coldbench/x/source/component.js:15:10 SyntaxError: The requested module '.coldbench/x/source/handler.js' doesn't provide an export named: 'handle'`,
        ),
        'handler.js',
      ),
    ).toBe("wasi-http.js:15:10 SyntaxError: The requested module 'handler.js' doesn't provide an export named: 'handle'");
    expect(
      componentizeFailure(
        new Error(`${wizer}ReferenceError: Error loading module "node:crypto" (resolved path "${source}/node:crypto"): No such file or directory`),
        'handler.js',
      ),
    ).toMatch(/^the handler imports "node:crypto", which does not exist inside the component/);
    expect(componentizeFailure(new Error('something unexpected\nand more'), 'handler.js')).toBe('something unexpected');
  });

  it(
    'still lacks Intl, digit grouping, normalize and property escapes (the README lists these)',
    async () => {
      const artifacts = await buildWorkload(await workloadAt(join(FIXTURES, 'starlingmonkey-js')), artifactKinds(['process', 'wasm']));
      const answers: Record<string, string> = {};
      for (const driver of drivers.filter((d) => d.name === 'process' || d.name === 'wasm')) {
        const deployment = await driver.deploy(artifacts, `starlingmonkey-${driver.name}`);
        try {
          await probeFirstResponse(deployment.baseUrl, artifacts.workload.requests[0]!, 15_000);
          answers[driver.name] = (await httpRequest(new URL(`${deployment.baseUrl}/probe`))).body;
        } finally {
          await driver.teardown(deployment);
        }
      }
      expect(answers).toEqual({
        process: 'Intl: "object"\ntoLocaleString: "1,234,567.5"\nnormalize: 1\nlocaleCompare: -1\nproperty escape: true\n',
        wasm: 'Intl: "undefined"\ntoLocaleString: "1234567.5"\nnormalize: threw TypeError\nlocaleCompare: 31\nproperty escape: threw SyntaxError\n',
      });
    },
    BUILD_MS,
  );
});

describe('workloads/_template', () => {
  it(
    'is a workload that answers as it declares on every runtime',
    async () => {
      const template = join(ROOT, 'workloads', '_template');
      const artifacts = await build(await workloadAt(template, 'template-check'));
      expect(artifacts.workload.language).toBe('js');
      expect(await verifyEverywhere(artifacts)).toEqual([]);
    },
    BUILD_MS,
  );
});

describe('`coldbench verify` on the fixtures', () => {
  let copy: string;
  afterAll(async () => {
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  it(
    'prints ok for every fixture on every available runtime (a throwaway copy of the project whose workloads/ holds them)',
    async () => {
      // The CLI finds workloads next to its dist/ (PROJECT_ROOT in src/paths.ts), so a copy of dist/
      // with its own workloads/ sees only the fixtures; artifacts are built into the copy's .coldbench/.
      copy = await tempDir('coldbench-contract-');
      for (const part of ['dist', 'bin', 'package.json']) await cp(join(ROOT, part), join(copy, part), { recursive: true });
      // What the CLI reads from the project besides dist/ and workloads/ (dependencies, the wasmtime
      // host's sources, whose stamp says whether a built host is current, and the set-up scripts,
      // which pin componentize-py's version).
      for (const shared of ['node_modules', 'hosts', 'scripts']) await symlink(join(ROOT, shared), join(copy, shared));
      await mkdir(join(copy, 'workloads'));
      await cp(join(ROOT, 'workloads', '_adapters'), join(copy, 'workloads', '_adapters'), { recursive: true });
      const names = ['digest-c', 'async-js', 'throws-js'];
      for (const name of names) await cp(join(FIXTURES, name), join(copy, 'workloads', name), { recursive: true });

      const result = await runNode([join(copy, 'bin', 'coldbench.js'), 'verify', ...names], copy);
      expect(result.stdout).not.toMatch(/FAIL/);
      expect(result.code).toBe(0);
      for (const name of names) {
        for (const driver of drivers) {
          const label = runtimeLabel({ runtime: driver.name, variant: driver.variant });
          const escaped = `${name} on ${label}`.replace(/[()]/g, '\\$&');
          expect(result.stdout).toMatch(new RegExp(`^ok +${escaped}: \\d+ requests answered exactly$`, 'm'));
        }
      }
    },
    BUILD_MS,
  );
});

/** `module name` -> core signature of every function import, in a WAT text; module names are
 * unversioned and resource drops are spelled `[resource-drop]x` in both name manglings. */
function importSignatures(wat: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const match of wat.matchAll(/\(type \(;(\d+);\) \(func([^\n]*)\)\)\n/g)) types.set(match[1]!, match[2]!.trim());
  const imports = new Map<string, string>();
  for (const match of wat.matchAll(/\(import "([^"]+)" "([^"]+)" \(func [^\n]*?\(type (\d+)\)\)\)/g)) {
    const module = match[1]!.replace(/^cm32p2\|/, '').replace(/@.*$/, '');
    const name = match[2]!.replace(/^(.*)_drop$/, '[resource-drop]$1');
    imports.set(`${module} ${name}`, types.get(match[3]!) ?? `type ${match[3]}`);
  }
  return imports;
}

function runNode(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
