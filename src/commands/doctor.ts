// `coldbench doctor`: what each runtime needs, whether it is there, and the exact fix when not.
import { RUNTIME_NAMES, DEFAULT_RUNTIME_SETTINGS } from '../scenario/schema.js';
import { createDriver } from '../runtimes/index.js';
import { toolVersions } from '../workloads/toolchain.js';

export async function doctorCommand(): Promise<number> {
  let missing = 0;
  console.log(`node ${process.version} on ${process.platform}/${process.arch}`);
  const tools = await toolVersions();
  console.log(`jco ${tools.jco}, componentize-js ${tools.componentizeJs}, preview2-shim ${tools.preview2Shim}`);
  for (const name of RUNTIME_NAMES) {
    const availability = await createDriver(name, { runId: 'doctor' }, DEFAULT_RUNTIME_SETTINGS).available();
    if (availability.available) {
      console.log(`ok       ${name.padEnd(8)} ${availability.version ?? ''}`);
    } else {
      missing++;
      console.log(`missing  ${name.padEnd(8)} ${availability.reason}\n         fix: ${availability.fix}`);
    }
  }
  return missing ? 1 : 0;
}
