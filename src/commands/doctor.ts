// `coldbench doctor`: what each runtime and tool needs, whether it is there, and the exact fix.

import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import { runtimeDescriptors } from '../runtimes/registry.js';
import { findBrowser } from '../sys/browser.js';
import { osRelease } from '../sys/os-release.js';
import { toolVersions } from '../workloads/toolchain.js';
import { wasmCToolchainFix, wasmCToolchainMissing } from '../workloads/wasm-c-toolchain.js';
import { nonRootNotes, rustCheck } from './doctor-user.js';

const run = promisify(execFile);
const SETUP = 'run `bash scripts/setup.sh`';

async function works(command: string, args: string[]): Promise<boolean> {
  return run(command, args).then(
    () => true,
    () => false,
  );
}

export async function doctorCommand(): Promise<number> {
  let missing = 0;
  const line = (ok: boolean, name: string, detail: string, fix: string) => {
    if (!ok) missing++;
    console.log(ok ? `ok       ${name.padEnd(17)} ${detail}` : `missing  ${name.padEnd(17)} ${detail}\n         fix: ${fix}`);
  };
  console.log(`node ${process.version} on ${process.platform}/${process.arch}, ${(await osRelease()).pretty}, as ${userInfo().username}`);
  const tools = await toolVersions();
  console.log(`jco ${tools.jco}, componentize-js ${tools.componentizeJs}, preview2-shim ${tools.preview2Shim}`);
  for (const runtime of runtimeDescriptors()) {
    const availability = await runtime.available();
    if (availability.available) line(true, runtime.name, availability.version ?? '', '');
    else line(false, runtime.name, availability.reason, availability.fix);
    if (!availability.available) continue;
    for (const check of (await runtime.checks?.()) ?? []) line(check.ok, `  ${check.name}`, check.detail, check.fix ?? '');
  }
  const os = await osRelease();
  const apt = (packages: string) => `${SETUP} (or \`sudo apt-get install ${packages}\`)`;
  line(await works('cc', ['--version']), 'C (native)', 'cc builds the static binaries of C workloads', apt('gcc libc6-dev'));
  const wasmC = await wasmCToolchainMissing();
  line(
    wasmC.length === 0,
    'C (wasm32-wasi)',
    wasmC.length ? `missing ${wasmC.map((p) => p.what).join(', ')}` : 'clang + wasm-ld + wasi-libc + wasm32 builtins of one LLVM version',
    wasmCToolchainFix(wasmC),
  );
  line(await works('taskset', ['-V']), 'taskset', 'pins servers and the load client to CPUs (load.cpuIsolation)', '`sudo apt-get install util-linux`');
  const browser = await findBrowser(os);
  line(browser.found, 'browser', browser.found ? `${browser.path} (the report tests open reports in it)` : browser.reason, browser.found ? '' : browser.fix);
  const rust = await rustCheck();
  line(rust.ok, 'rust (cargo)', rust.detail, rust.fix);
  for (const note of await nonRootNotes()) console.log(`note     ${note}`);
  return missing ? 1 : 0;
}
