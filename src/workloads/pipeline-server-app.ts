// The pipeline's server app: one folder holding every way the stages run outside Wasm.
// - At its top level the LINKED floor: one Node process running the front and shape stages as
//   modules and the check stage's C compiled natively into a Node addon (N-API): plain calls, no
//   isolation, no hop. The process runtime (and a plain container) runs this, as for any workload.
// - front/, shape/ and check-server: each stage as its own HTTP service (the front calls the other
//   two over HTTP at the addresses in PIPELINE_CHECK_URL and PIPELINE_SHAPE_URL), run by the
//   stage-services runtimes.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ARTIFACTS_DIR } from '../paths.js';
import { hostPlatform, type Platform } from '../runtimes/platform.js';
import { buildAtomically, readMarker, serverAppRecord } from './artifacts.js';
import { C_ADAPTERS_DIR, compile, compilerVersion, compileStatic } from './c-toolchain.js';
import type { Workload } from './catalog.js';
import { hashInputs } from './hash.js';
import { PIPELINE_SERVICES, type PipelineServerApp, pipelineFiles, pipelineInputs } from './pipeline-sources.js';

/** Node's own headers (node_api.h), shipped beside the node binary. */
const nodeHeaders = (): string => join(dirname(dirname(process.execPath)), 'include', 'node');

export async function buildServerApp(workload: Workload, platform: Platform = hostPlatform()): Promise<PipelineServerApp> {
  if (platform.emulated) throw new Error(`${workload.name}: a pipeline is built for this machine's architecture only, not ${platform.name}`);
  const files = pipelineFiles(workload);
  const hash = await hashInputs(await pipelineInputs(workload), { kind: 'server-app', compiler: await compilerVersion('cc'), node: process.version });
  const dir = join(ARTIFACTS_DIR, workload.name, `server-app-${hash}`);
  const cached = await readMarker<PipelineServerApp>(dir);
  if (cached) return cached;

  const started = performance.now();
  return buildAtomically(dir, async (work) => {
    const place: [string, string][] = [
      // the linked floor
      [files.nodeServer, 'server.js'],
      [files.contract, 'contract.js'],
      [files.front, 'handler.js'],
      [files.stagesLinked, 'stages.js'],
      [files.shape, 'shape.js'],
      // the front and shape services
      [files.nodeServer, 'front/server.js'],
      [files.contract, 'front/contract.js'],
      [files.front, 'front/handler.js'],
      [files.stagesHttp, 'front/stages.js'],
      [files.nodeServer, 'shape/server.js'],
      [files.contract, 'shape/contract.js'],
      [files.shapeService, 'shape/handler.js'],
      [files.shape, 'shape/shape.js'],
    ];
    for (const [from, to] of place) {
      await mkdir(dirname(join(work, to)), { recursive: true });
      await copyFile(from, join(work, to));
    }
    const packages = ['package.json', 'front/package.json', 'shape/package.json'];
    for (const file of packages) await writeFile(join(work, file), '{ "type": "module" }\n');
    await compile('cc', [
      '-O2',
      '-shared',
      '-fPIC',
      '-Wall',
      '-I',
      nodeHeaders(),
      '-I',
      workload.dir,
      '-I',
      C_ADAPTERS_DIR,
      '-o',
      join(work, 'check.node'),
      files.checkNapi,
      files.check,
    ]);
    await compileStatic([files.checkService, files.check, join(C_ADAPTERS_DIR, 'http-server.c')], [workload.dir, C_ADAPTERS_DIR], join(work, 'check-server'));
    const all = [...place.map(([, to]) => to), ...packages, 'check.node', 'check-server'];
    const command = [platform.node, join(dir, 'server.js')];
    return serverAppRecord({ language: workload.language, hash, dir, files: all, command, work, started, sizeKey: 'app' }, { services: PIPELINE_SERVICES });
  });
}
