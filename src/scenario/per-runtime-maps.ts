// Per-runtime maps in a measurement's settings (any field named `…PerRuntime`, e.g. density's
// maxTenantsPerRuntime) may name only runtimes the scenario measures: a typo, or a runtime left
// out, would otherwise be ignored without a word.
import type { z } from 'zod';

export function checkPerRuntimeMaps(scenario: { runtimes: readonly string[]; measurements: Record<string, unknown> }, ctx: z.RefinementCtx): void {
  for (const [kind, options] of Object.entries(scenario.measurements)) {
    if (!options || typeof options !== 'object') continue;
    for (const [field, map] of Object.entries(options)) {
      if (!field.endsWith('PerRuntime') || !map || typeof map !== 'object') continue;
      for (const name of Object.keys(map)) {
        if (scenario.runtimes.includes(name)) continue;
        ctx.addIssue({
          code: 'custom',
          path: ['measurements', kind, field, name],
          message: `expected a runtime this scenario measures (${scenario.runtimes.join(', ')}), got "${name}"`,
        });
      }
    }
  }
}
