// Density, as a kind (its settings) and as it reads: tenants reached and why the ramp stopped,
// memory per tenant by method against tenant count. Measuring is in density.ts.
import { z } from 'zod';
import { formatNumber } from '../format.js';
import { severalSources, sourceLabel } from '../report/labels.js';
import { identityKey, runtimeLabel, sameRuntime } from '../results/identity.js';
import type { HostLimits, StopReason, Summary } from '../results/types.js';
import { describeLimit } from './density-limits.js';
import { defineMeasurement } from './types.js';

const DensityOptions = z
  .object({
    steps: z
      .array(z.number().int().min(1).max(1_000_000))
      .min(1)
      .max(100)
      .default([1, 10, 50, 100])
      .describe('Tenant counts at which memory, start time and a sweep are measured; the ramp ends at the last one.'),
    maxTenants: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe(
        'Stop a ramp at this many tenants (CLI: --max-tenants). Unset: no cap; the ramp ends at the last step, the memory budget, the first failure or the time limit.',
      ),
    maxTenantsPerRuntime: z
      .record(z.string(), z.number().int().min(1).max(1_000_000))
      .optional()
      .describe('A lower cap for some runtimes, e.g. { process: 200 }.'),
    memoryBudgetMiB: z
      .number()
      .min(16)
      .max(16 * 1024 * 1024)
      .optional()
      .describe('Stop a ramp once host MemAvailable has dropped by this much since it began. Unset: 80% of MemTotal.'),
    timeLimitSec: z
      .number()
      .min(1)
      .max(7 * 24 * 3600)
      .default(300)
      .describe('Stop a ramp after this long.'),
    timeLimitSecPerRuntime: z
      .record(
        z.string(),
        z
          .number()
          .min(1)
          .max(7 * 24 * 3600),
      )
      .optional()
      .describe('Another time limit for some runtimes, e.g. { docker: 420 } so that containers, which start slowly, reach a limit of the machine.'),
    concurrency: z.number().int().min(1).max(256).default(8).describe('Tenants deployed at the same time.'),
    settleMs: z.number().int().min(0).max(60000).default(1000).describe('Wait before reading memory at a step.'),
  })
  .strict();
export type DensityOptions = z.infer<typeof DensityOptions>;

export function describeStop(stop: StopReason, limits?: HostLimits): string {
  switch (stop.kind) {
    case 'last-step':
      return `reached the last step (${stop.tenants} tenants)`;
    case 'tenant-cap':
      return `reached the tenant cap (${stop.tenants})`;
    case 'memory-budget':
      return `memory budget (${stop.budgetMiB} MiB of MemAvailable) used at ${stop.tenants} tenants`;
    case 'time-limit':
      return `time limit (${stop.limitSec} s) at ${stop.tenants} tenants`;
    case 'failure':
      return `first failure at ${stop.tenants + 1} tenants (${stop.during}): ${stop.error}${stop.limit ? `; the limit hit: ${describeLimit(stop.limit, limits)}` : ''}`;
    case 'interrupted':
      return `interrupted at ${stop.tenants} tenants`;
    case 'unknown':
      return stop.text;
  }
}

export const density = defineMeasurement({
  name: 'density',
  summary: 'memory per tenant, tenants reached, start and sweep times as tenants are added',
  options: DensityOptions,
  owns: ['density'],

  read: {
    table(result) {
      if (result.densityRamps.length === 0) return undefined;
      const lines = result.densityRamps.map((ramp) => {
        const atEnd = result.summaries.filter(
          (s) => s.measurement === 'density' && s.workload === ramp.workload && sameRuntime(s, ramp) && s.tenants === ramp.reachedTenants,
        );
        const methods = atEnd
          .filter((s) => s.metric === 'memory-per-tenant')
          .map((s) => `${s.method} ${formatNumber(s.median)}`)
          .join(', ');
        return `${ramp.workload} on ${runtimeLabel(ramp)}: ${ramp.reachedTenants} tenants (${describeStop(ramp.stop, ramp.limits)})\n    MiB per tenant at ${ramp.reachedTenants}: ${methods || '-'}`;
      });
      return ['density', '-------', ...lines].join('\n');
    },

    charts(results) {
      const several = severalSources(results);
      const values = results.flatMap((r) =>
        r.summaries
          .filter((s) => s.measurement === 'density' && s.metric === 'memory-per-tenant')
          .map((s) => ({
            panel: several ? `${s.workload} · ${sourceLabel(r, results)}` : s.workload,
            runtime: runtimeLabel(s),
            method: s.method ?? '-',
            tenants: s.tenants,
            mib: s.median,
          })),
      );
      if (values.length === 0) return [];
      return [
        {
          id: 'memory',
          spec: {
            $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
            title: 'Memory per tenant against tenant count (a panel per runtime, a line per method)',
            data: { values },
            facet: { row: { field: 'panel', type: 'nominal', title: null }, column: { field: 'runtime', type: 'nominal', title: null } },
            resolve: { scale: { y: 'independent' } },
            spec: {
              width: 200,
              height: 200,
              mark: { type: 'line', point: true },
              encoding: {
                x: { field: 'tenants', type: 'quantitative', scale: { type: 'log' }, title: 'tenants (log scale)' },
                y: { field: 'mib', type: 'quantitative', title: 'MiB per tenant' },
                color: { field: 'method', type: 'nominal', title: 'method', legend: { columns: 2 } },
                tooltip: [{ field: 'runtime' }, { field: 'method' }, { field: 'tenants' }, { field: 'mib', format: '.3~g' }],
              },
            },
          },
        },
      ];
    },

    judge(sample) {
      return sample.measurement === 'density' && sample.metric === 'memory-per-tenant' ? 'lower' : undefined;
    },

    summaryRows(result, scope) {
      const largest = new Map<string, number>();
      const key = (s: Summary) => `${s.workload}\0${identityKey(s)}`;
      for (const s of result.summaries.filter((x) => x.measurement === 'density')) largest.set(key(s), Math.max(largest.get(key(s)) ?? 0, s.tenants));
      return result.summaries.filter(
        (s) => s.measurement === 'density' && s.tenants === largest.get(key(s)) && (scope === 'all' || s.metric === 'memory-per-tenant'),
      );
    },

    headlines(result) {
      return result.densityRamps.map(
        (ramp) => `${ramp.workload} on ${runtimeLabel(ramp)}: ${ramp.reachedTenants} tenants (${describeStop(ramp.stop, ramp.limits)}).`,
      );
    },
  },
});
