// Capabilities, as a kind (its settings) and as it reads: per runtime, what its tenant reached of
// the host, as outcomes (categories), never medians. Measuring is in capabilities.ts.
import { z } from 'zod';
import { textTable } from '../text-table.js';
import { CAPABILITIES_MEASUREMENT, PROBE_WORKLOAD, PROBES, reachability, reachabilityTable, reachabilityWords } from './capability-outcomes.js';
import { defineMeasurement } from './types.js';

const CapabilitiesOptions = z
  .object({
    timeoutMs: z.number().int().min(100).max(600000).default(15000).describe('Give up on one probe (deploy and answer) after this time.'),
  })
  .strict();
export type CapabilitiesOptions = z.infer<typeof CapabilitiesOptions>;

export const capabilities = defineMeasurement({
  name: CAPABILITIES_MEASUREMENT,
  summary: `what a tenant can reach (environment, host files, writes, a TCP connection to the harness), asked of the ${PROBE_WORKLOAD} workload`,
  options: CapabilitiesOptions,
  owns: [CAPABILITIES_MEASUREMENT],

  checkWorkloads(_options, workloads) {
    return workloads.some((w) => w.name === PROBE_WORKLOAD)
      ? []
      : [`workloads: expected ${PROBE_WORKLOAD} among them (the capabilities measurement asks it what it can reach)`];
  },

  read: {
    table(result) {
      const table = reachabilityTable([result]);
      if (!table) return undefined;
      const legend = 'capabilities: what each tenant reached (reached / refused / not-available: no such call in that runtime; env-vars: variables seen)';
      return `${legend}\n${textTable(table.header, table.rows)}`;
    },

    charts() {
      return [];
    },

    judge() {
      return undefined; // outcomes, not quantities: nothing for `compare` to call faster or slower
    },

    summaryRows() {
      return []; // one observation per probe: the reachability table shows them, not medians
    },

    headlines(result) {
      return reachability(result).map((row) => `${row.workload}: ${reachabilityWords(row)}.`);
    },

    reportTable(results) {
      const table = reachabilityTable(results);
      return (
        table && {
          title: 'What a tenant can reach',
          description: `The ${PROBE_WORKLOAD} workload, deployed on each runtime, tried each of these: ${PROBES.map((p) => `${p.id}: ${p.what}`).join('; ')}. "not-available": the runtime offers no such call.`,
          ...table,
        }
      );
    },
  },
});
