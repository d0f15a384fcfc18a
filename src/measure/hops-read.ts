// Hops, as a kind (its settings) and as it reads: what one call between a pipeline's stages costs
// in each deployment. One tenant, requests one at a time on one kept-alive connection, in rounds;
// each round alternates the whole pipeline's request with the front-alone request, and the hop's
// cost is (median pipeline latency − median front-only latency) / hops. The difference also holds
// the called stages' own work, which the linked deployment (plain calls in one process) shows
// alone. Measuring is in hops.ts.
import { z } from 'zod';
import { textTable } from '../text-table.js';
import { FRONT_PHASE, HOP_COST, HOPS_MEASUREMENT, hopFigures, hopText, PIPELINE_PHASE, ROUND_LATENCY } from './hops-figures.js';
import { defineMeasurement } from './types.js';

const HopsOptions = z
  .object({
    rounds: z.number().int().min(1).max(1000).default(15).describe('Rounds per runtime; each gives one hop cost (medians and ranges are over rounds).'),
    requestsPerRound: z.number().int().min(1).max(10000).default(40).describe('Requests of each kind (pipeline, front alone) per round, alternated.'),
    warmup: z.number().int().min(0).max(10000).default(30).describe('Requests of each kind sent first and discarded.'),
    pipelineRequest: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(0)
      .describe("The declared request that goes through every stage (index into the workload's requests)."),
    frontRequest: z.number().int().min(0).max(1000).default(1).describe('The declared request the front answers alone: the one-stage baseline.'),
    timeoutMs: z.number().int().min(100).max(600000).default(15000).describe('Give up on the deploy, or on one request, after this time.'),
  })
  .strict();
export type HopsOptions = z.infer<typeof HopsOptions>;

export const hops = defineMeasurement({
  name: HOPS_MEASUREMENT,
  summary: "the cost of one call between a pipeline's stages: latency of the whole pipeline against the front alone, per hop (pipeline workloads only)",
  options: HopsOptions,
  owns: [HOPS_MEASUREMENT],

  checkWorkloads(options, workloads) {
    const pipelines = workloads.filter((w) => w.language === 'pipeline');
    if (pipelines.length === 0) return ['workloads: expected a pipeline workload among them (hops measures calls between its stages)'];
    const problems: string[] = [];
    for (const w of pipelines) {
      for (const field of ['pipelineRequest', 'frontRequest'] as const) {
        if (!w.requests[options[field]]) problems.push(`measurements.hops.${field}: workload ${w.name} has no request ${options[field]}`);
      }
    }
    return problems;
  },

  read: {
    table(result) {
      const figures = hopFigures(result);
      if (figures.length === 0) return undefined;
      const rows = figures.map((f) => [f.workload, f.label, f.deployment, hopText(f), f.pipelineMs.toFixed(3), f.frontMs.toFixed(3), String(f.rounds)]);
      return `hops: one call between stages (median of rounds, min–max)\n${textTable(['workload', 'runtime', 'stages', 'per hop', 'pipeline ms', 'front alone ms', 'rounds'], rows)}`;
    },

    charts() {
      return [];
    },

    judge(sample) {
      return sample.metric === HOP_COST || sample.metric === ROUND_LATENCY ? 'lower' : undefined;
    },

    summaryRows(result, scope) {
      return result.summaries.filter(
        (s) =>
          s.measurement === HOPS_MEASUREMENT &&
          (s.metric === HOP_COST || (scope === 'all' && s.metric === ROUND_LATENCY && [PIPELINE_PHASE, FRONT_PHASE].includes(s.phase ?? ''))),
      );
    },

    headlines(result) {
      return hopFigures(result).map(
        (f) =>
          `${f.workload} on ${f.label} (${f.deployment}): one call between stages costs ${hopText(f)} per hop (the whole pipeline ${f.pipelineMs.toFixed(3)} ms, the front alone ${f.frontMs.toFixed(3)} ms, ${f.hops} hops, ${f.rounds} rounds).`,
      );
    },
  },
});
