// The pipeline workload's layout: which files are its stages and how each deployment wraps them.
// A pipeline workload (language: pipeline) is a JS front (`handler` in workload.yaml), a C check
// stage and a JS shape stage, with their WIT in wit/ and the per-deployment wrappers in adapters/
// (see docs/composition.md). Every artifact is built from these same sources.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ADAPTERS_DIR } from '../paths.js';
import type { ServerApp } from './artifacts.js';
import { C_SHARED } from './c-toolchain.js';
import type { Workload } from './catalog.js';

/** The stages in the order a request meets them; the front calls each of the others once. */
export const PIPELINE_STAGES = ['front', 'check', 'shape'] as const;
/** Calls from one stage to another per full request: the hops a request makes. */
export const PIPELINE_HOPS = PIPELINE_STAGES.length - 1;

export function pipelineFiles(workload: Workload) {
  const dir = workload.dir;
  const adapters = join(dir, 'adapters');
  return {
    wit: join(dir, 'wit'),
    front: join(dir, workload.handler),
    shape: join(dir, 'shape.js'),
    check: join(dir, 'check.c'),
    checkHeader: join(dir, 'check.h'),
    adapters,
    stagesComponent: join(adapters, 'stages-component.js'),
    stagesHttp: join(adapters, 'stages-http.js'),
    stagesLinked: join(adapters, 'stages-linked.js'),
    shapeComponent: join(adapters, 'shape-component.js'),
    shapeService: join(adapters, 'shape-service.js'),
    checkComponent: join(adapters, 'check-component.c'),
    checkService: join(adapters, 'check-service.c'),
    checkNapi: join(adapters, 'check-napi.c'),
    nodeServer: join(ADAPTERS_DIR, 'node-server.js'),
    wasiHttp: join(ADAPTERS_DIR, 'wasi-http.js'),
    contract: join(ADAPTERS_DIR, 'contract.js'),
  };
}

/** Every source file an artifact of the workload is built from (for cache keys), sorted. */
export async function pipelineInputs(workload: Workload): Promise<string[]> {
  const files = pipelineFiles(workload);
  const own: string[] = [];
  for (const sub of ['', 'adapters', 'wit']) {
    for (const entry of await readdir(join(workload.dir, sub), { withFileTypes: true })) {
      if (entry.isFile() && entry.name !== 'workload.yaml') own.push(join(workload.dir, sub, entry.name));
    }
  }
  const shared = [...new Set([...C_SHARED.native, ...C_SHARED.wasm])];
  return [...own.sort(), files.nodeServer, files.wasiHttp, files.contract, ...shared];
}

/** One stage as a service: `entry` (relative to the app folder) is run by node when `node` is set, else executed. */
export interface PipelineService {
  stage: (typeof PIPELINE_STAGES)[number];
  node: boolean;
  entry: string;
}

export interface PipelineServerApp extends ServerApp {
  services: PipelineService[];
}

export const PIPELINE_SERVICES: PipelineService[] = [
  { stage: 'check', node: false, entry: 'check-server' },
  { stage: 'shape', node: true, entry: 'shape/server.js' },
  { stage: 'front', node: true, entry: 'front/server.js' },
];

/** The services of a pipeline's server app, or undefined for any other workload. */
export function pipelineServices(app: ServerApp | undefined): PipelineService[] | undefined {
  return (app as PipelineServerApp | undefined)?.services;
}

/** For the stage-services runtimes: why they cannot deploy a workload that is not a pipeline. */
export function stageServicesOnly(workload: Workload): string | undefined {
  return workload.language === 'pipeline' ? undefined : `it deploys pipeline workloads only (${workload.name} is ${workload.language}, a single stage)`;
}
