// The pipeline's stages as Wasm services (runtime wasmtime-services): one wasi:http/proxy
// component per stage, from the same sources as every other deployment. The check stage is
// check.c behind the C HTTP handler (check-service.c) with the C wasi:http bindings, as a C
// workload is built; the shape stage is shape.js behind shape-service.js with the JS wasi:http
// adapter; the front is front.js with stages-wasi-http.js, which calls the other two over wasi:http/outgoing-handler.
// Each is written to `services/<stage>/component.wasm` beside the composed component, so that it
// can be published to the hosts' component store on its own.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { componentEmbed, componentNew, preview1AdapterReactorPath } from '@bytecodealliance/jco';
import { C_ADAPTERS_DIR, compileWasm } from './c-toolchain.js';
import type { Workload } from './catalog.js';
import { type PIPELINE_STAGES, pipelineFiles } from './pipeline-sources.js';

/** Builds a JS component from files copied into `source` (pipeline-component.ts's). */
export type JsComponent = (source: string, world: string, copies: [string, string][]) => Promise<Uint8Array>;

/** Where a built pipeline keeps its service components, by stage (relative to its component's folder). */
export function serviceComponentPath(stage: (typeof PIPELINE_STAGES)[number]): string {
  return join('services', stage, 'component.wasm');
}

/** Builds the three service components under `work/services/`; `wit` holds pipeline.wit and the wasi deps. */
export async function buildServiceComponents(workload: Workload, work: string, wit: string, jsComponent: JsComponent): Promise<void> {
  const files = pipelineFiles(workload);
  const dir = join(work, 'services');
  const write = async (stage: (typeof PIPELINE_STAGES)[number], bytes: Uint8Array) => {
    await mkdir(join(dir, stage), { recursive: true });
    await writeFile(join(work, serviceComponentPath(stage)), bytes);
  };
  await write('check', await checkService(files, dir, wit));
  await write(
    'shape',
    await jsComponent(join(dir, 'shape-src'), 'stage-service', [
      [files.wasiHttp, 'component.js'],
      [files.contract, 'contract.js'],
      [files.shapeService, 'handler.js'],
      [files.shape, 'shape.js'],
    ]),
  );
  await write(
    'front',
    await jsComponent(join(dir, 'front-src'), 'front-service', [
      [files.wasiHttp, 'component.js'],
      [files.contract, 'contract.js'],
      [files.front, 'handler.js'],
      [files.stagesWasiHttp, 'stages.js'],
    ]),
  );
}

async function checkService(files: ReturnType<typeof pipelineFiles>, dir: string, wit: string): Promise<Uint8Array> {
  const core = join(dir, 'check-core.wasm');
  await mkdir(dir, { recursive: true });
  await compileWasm([files.check, files.checkService, join(C_ADAPTERS_DIR, 'wasi-http.c')], [files.dir, C_ADAPTERS_DIR], core);
  const binary = new Uint8Array(await readFile(core));
  const embedded = await componentEmbed({ binary, witPath: wit, world: 'stage-service' });
  // libc's stdio imports WASI preview 1: the reactor adapter maps it to preview 2 (as for C workloads).
  const usesPreview1 = WebAssembly.Module.imports(new WebAssembly.Module(binary)).some((i) => i.module === 'wasi_snapshot_preview1');
  return componentNew(embedded, usesPreview1 ? [['wasi_snapshot_preview1', new Uint8Array(await readFile(preview1AdapterReactorPath()))]] : []);
}
