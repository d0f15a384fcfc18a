import { INTERVAL_MIN_VALUES } from './honest.js';

/** `compare`'s defaults: no verdict below minSamples on either side (no 95% interval exists below six); changes below minEffect (a fraction) are "unsure". */
export const COMPARE_DEFAULTS = { minSamples: INTERVAL_MIN_VALUES, minEffect: 0.05 } as const;
