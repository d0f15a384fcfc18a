// The ways one container runtime is measured side by side: every combination of the scenario's
// lists (OCI runtime × start model × hardening), each a variant named like "crun/pre-created".
// A list that holds only its default names nothing, so a scenario that uses the defaults records
// samples without a variant, as before variants existed.

export interface Dimension {
  values: readonly string[];
  default: string;
}

export interface Combination {
  /** "crun/pre-created"; undefined when every dimension is at its default alone. */
  label?: string;
  /** One value per dimension, in the dimensions' order. */
  values: string[];
}

const atDefaultAlone = (d: Dimension) => d.values.length === 1 && d.values[0] === d.default;

export function combinations(dimensions: readonly Dimension[]): Combination[] {
  let all: string[][] = [[]];
  for (const d of dimensions) all = all.flatMap((prefix) => d.values.map((v) => [...prefix, v]));
  const named = dimensions.map((d) => !atDefaultAlone(d));
  return all.map((values) => {
    const parts = values.filter((_, i) => named[i]);
    return parts.length ? { label: parts.join('/'), values } : { values };
  });
}

/** The combination a variant label names (undefined label: the one without a label). */
export function combinationOf(dimensions: readonly Dimension[], label: string | undefined): Combination {
  const found = combinations(dimensions).find((c) => c.label === label);
  if (!found) throw new Error(`unknown variant "${label}", expected one of: ${combinations(dimensions).map((c) => c.label ?? '(none)')}`);
  return found;
}
