// The composed pipeline: each stage built into its own component from the same sources the other
// deployments use (the JS front and shape stages by componentize-js, the C check stage by clang +
// jco embed/new), then linked by `wac plug` into ONE component whose only export is the front's
// wasi:http/incoming-handler: the world every single-stage workload exports, so every Wasm host
// runs it unchanged. Inside it, the front's calls to check and shape are typed component calls.
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { componentize } from '@bytecodealliance/componentize-js';
import { componentEmbed, componentNew } from '@bytecodealliance/jco';
import { C_ADAPTERS_DIR, compileWasm } from './c-toolchain.js';
import type { Workload } from './catalog.js';
import { buildServiceComponents } from './pipeline-service-components.js';
import { pipelineFiles } from './pipeline-sources.js';
import { requireWac, wacPlug } from './wac-tool.js';
import { writeWasiDeps } from './wasi-deps.js';

/** Says why componentize-js failed, in one line (build-component.ts's, passed in: that file loads this one). */
type ExplainFailure = (error: unknown, handlerFile: string) => string;

/** Builds the three stage components in `work/stages/` (and as services in `work/services/`) and returns the composed component's bytes. */
export async function composePipeline(workload: Workload, work: string, explain: ExplainFailure): Promise<Uint8Array> {
  await requireWac(); // before minutes of componentize: say at once what is missing
  const files = pipelineFiles(workload);
  const wit = join(work, 'wit');
  await writeWasiDeps(wit);
  await copyFile(join(files.wit, 'pipeline.wit'), join(wit, 'pipeline.wit'));
  const stages = join(work, 'stages');
  await mkdir(stages, { recursive: true });

  const check = join(stages, 'check.wasm');
  await writeFile(check, await checkComponent(workload, stages, wit));
  const shape = join(stages, 'shape.wasm');
  await writeFile(
    shape,
    await jsComponent(workload, explain, join(stages, 'shape-src'), wit, 'shape-stage', [
      [files.shapeComponent, 'component.js'],
      [files.shape, 'shape.js'],
    ]),
  );
  const front = join(stages, 'front.wasm');
  await writeFile(
    front,
    await jsComponent(workload, explain, join(stages, 'front-src'), wit, 'front', [
      [files.wasiHttp, 'component.js'],
      [files.contract, 'contract.js'],
      [files.front, 'handler.js'],
      [files.stagesComponent, 'stages.js'],
    ]),
  );
  // The same stages as Wasm services, one component each (pipeline-service-components.ts).
  await buildServiceComponents(workload, work, wit, (source, world, copies) => jsComponent(workload, explain, source, wit, world, copies));
  const composed = join(stages, 'composed.wasm');
  await wacPlug(front, [check, shape], composed);
  const bytes = new Uint8Array(await readFile(composed));
  await rm(composed); // the caller keeps it as component.wasm
  return bytes;
}

async function jsComponent(
  workload: Workload,
  explain: ExplainFailure,
  source: string,
  wit: string,
  world: string,
  copies: [string, string][],
): Promise<Uint8Array> {
  await mkdir(source, { recursive: true });
  for (const [from, to] of copies) await copyFile(from, join(source, to));
  try {
    const { component } = await componentize({ sourcePath: join(source, 'component.js'), witPath: wit, worldName: world });
    return component;
  } catch (error) {
    throw new Error(`${workload.name}: componentize-js could not build the ${world} stage: ${explain(error, workload.handler)}`);
  }
}

async function checkComponent(workload: Workload, stages: string, wit: string): Promise<Uint8Array> {
  const files = pipelineFiles(workload);
  const core = join(stages, 'check-core.wasm');
  await compileWasm([files.check, files.checkComponent], [workload.dir, C_ADAPTERS_DIR], core);
  const embedded = await componentEmbed({ binary: new Uint8Array(await readFile(core)), witPath: wit, world: 'check-stage' });
  return componentNew(embedded, []);
}
