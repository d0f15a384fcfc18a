// Artifact sizes (image, component, core modules, binaries) per workload: not a measurement kind,
// but part of every report that has builds.

import type { ChartSpec } from '../measure/types.js';
import type { RunResult } from '../results/types.js';
import { severalSources, sourceLabel } from './labels.js';

export function artifactChart(results: RunResult[]): ChartSpec | undefined {
  const values = results.flatMap((r) =>
    r.artifacts.flatMap((a) =>
      a.builds.flatMap((b) =>
        Object.entries(b.sizes).map(([part, bytes]) => ({
          source: sourceLabel(r, results),
          workload: a.workload,
          part: `${b.kind}: ${part}`,
          mib: bytes / 1048576,
        })),
      ),
    ),
  );
  if (values.length === 0) return undefined;
  const layer = {
    width: 480,
    height: { step: 24 },
    // Points, not bars: sizes span four orders of magnitude, and a bar has no base on a log scale.
    mark: { type: 'point', filled: true, size: 80 },
    encoding: {
      y: { field: 'workload', type: 'nominal', title: null },
      x: { field: 'mib', type: 'quantitative', scale: { type: 'log' }, title: 'MiB (log scale)' },
      shape: { field: 'part', type: 'nominal', title: 'artifact' },
      color: { field: 'part', type: 'nominal', title: 'artifact' },
      tooltip: [{ field: 'workload' }, { field: 'part' }, { field: 'mib', format: '.3~g' }],
    },
  } as const;
  return {
    id: 'artifacts',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Artifact sizes',
      data: { values },
      ...(severalSources(results) ? { facet: { column: { field: 'source', type: 'nominal', title: null } }, spec: layer } : layer),
    } as ChartSpec['spec'],
  };
}
