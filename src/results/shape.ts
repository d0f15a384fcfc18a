// The shape a results file must have before report, compare or claims use it: every field those
// read, with its type. Objects are loose (fields added by later versions pass); what they read is checked,
// so a malformed file gets one line naming the field instead of a TypeError deep in a chart.
import { z } from 'zod';

const text = z.string().max(100_000);
const count = z.number().nonnegative();
const optionalText = text.optional();

const SampleShape = z.looseObject({
  measurement: text,
  workload: text,
  runtime: text.nullable(),
  variant: optionalText,
  arm: optionalText,
  tenants: count,
  iteration: count,
  phase: optionalText,
  method: optionalText,
  model: z.enum(['closed', 'open']).optional(),
  metric: text,
  unit: text,
  value: z.number(),
  category: optionalText,
});

const BuildShape = z.looseObject({
  kind: z.enum(['server-app', 'image', 'component']),
  hash: text,
  cached: z.boolean(),
  buildMs: count,
  sizes: z.record(z.string(), count),
  sha256: optionalText,
});

const StopShape = z.looseObject({
  kind: z.enum(['last-step', 'tenant-cap', 'memory-budget', 'time-limit', 'failure', 'interrupted', 'unknown']),
  tenants: count,
});

const RampShape = z.looseObject({
  workload: text,
  runtime: text,
  variant: optionalText,
  arm: optionalText,
  reachedTenants: count,
  stop: StopShape,
  teardownMs: count.optional(),
  teardownLeft: z.looseObject({ tenants: count, error: text }).optional(),
});

const HistogramShape = z.looseObject({
  workload: text,
  runtime: text,
  variant: optionalText,
  tenants: count,
  model: z.enum(['closed', 'open']),
  iteration: count,
  encoded: z.string(),
});

const NoiseShape = z.looseObject({
  workload: text,
  measurement: text,
  seconds: count,
  cores: count,
  loadAverage: z.looseObject({ start: count, end: count }),
  stealPercent: z.number(),
  busiestOthers: z.array(z.looseObject({ command: text, cores: count })),
  busy: z.boolean(),
  reasons: z.array(text),
});

export const ResultShape = z.looseObject({
  runId: text,
  status: z.enum(['running', 'complete', 'failed', 'interrupted']),
  startedAt: text,
  finishedAt: optionalText,
  fingerprint: z.looseObject({ hostname: text, arch: text, cpuModel: text, cores: count, memoryBytes: count }),
  scenario: z.looseObject({ name: text }),
  runtimes: z.array(z.looseObject({ runtime: text, family: optionalText, available: z.boolean(), version: optionalText, reason: optionalText })).optional(),
  artifacts: z.array(z.looseObject({ workload: text, builds: z.array(BuildShape) })).optional(),
  samples: z.array(SampleShape),
  densityRamps: z.array(RampShape).optional(),
  latencyHistograms: z.array(HistogramShape).optional(),
  noise: z.array(NoiseShape).optional(),
  warnings: z.array(z.looseObject({ kind: text, message: text })).optional(),
});

/** The first thing wrong with a parsed results file, as "field: what was expected", or undefined. */
export function resultShapeProblem(value: unknown): string | undefined {
  const shape = ResultShape.safeParse(value);
  if (shape.success) return undefined;
  const issue = shape.error.issues[0]!;
  return `${issue.path.join('.') || '(top level)'}: ${issue.message}`;
}
