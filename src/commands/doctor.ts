// `coldbench doctor`: what each runtime and tool needs, whether it is there, and the exact fix.

import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';
import { runtimeDescriptors } from '../runtimes/registry.js';
import { toolVersions } from '../workloads/toolchain.js';

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
  console.log(`node ${process.version} on ${process.platform}/${process.arch}`);
  const tools = await toolVersions();
  console.log(`jco ${tools.jco}, componentize-js ${tools.componentizeJs}, preview2-shim ${tools.preview2Shim}`);
  for (const runtime of runtimeDescriptors()) {
    const availability = await runtime.available();
    if (availability.available) line(true, runtime.name, availability.version ?? '', '');
    else line(false, runtime.name, availability.reason, availability.fix);
    if (!availability.available) continue;
    for (const check of (await runtime.checks?.()) ?? []) line(check.ok, `  ${check.name}`, check.detail, check.fix ?? '');
  }
  line(await works('cc', ['--version']), 'C (native)', 'cc builds the static binaries of C workloads', `${SETUP} (or apt-get install gcc libc6-dev)`);
  const wasiLibc = await access('/usr/lib/wasm32-wasi/libc.a').then(
    () => true,
    () => false,
  );
  line(
    (await works('clang', ['--version'])) && wasiLibc,
    'C (wasm32-wasi)',
    'clang + wasi-libc build the components of C workloads',
    `${SETUP} (or apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32)`,
  );
  line(await works('taskset', ['-V']), 'taskset', 'pins servers and the load client to CPUs (load.cpuIsolation)', 'apt-get install util-linux');
  line(
    await access('/usr/bin/chromium').then(
      () => true,
      () => false,
    ),
    'chromium',
    'the report tests open reports in it',
    `${SETUP} (or apt-get install chromium)`,
  );
  return missing ? 1 : 0;
}
