import { INTERVAL_MIN_VALUES } from './honest.js';

/**
 * `compare`'s defaults: no verdict below minSamples on either side (no 95% interval exists below
 * six); changes below minEffect (a fraction) are "unsure"; paired verdicts are judged on a 99%
 * interval. Why 99% for pairs: the two-group bootstrap is conservative (1.7% false alarms in an
 * interleaved A/A here at 95%), but pairs cancel the machine's drift and the signed-rank interval
 * is exact, so at 95% its false alarms reach the nominal 5% (4.2% measured); at 99% they stay under
 * the 2% coldbench aims for, and pairing still needs fewer iterations than two groups for the same
 * power (docs/comparisons.md).
 */
export const COMPARE_DEFAULTS = { minSamples: INTERVAL_MIN_VALUES, minEffect: 0.05, pairedLevel: 0.99 } as const;
