// `coldbench calibrate`'s prober part: the native prober's floor (an already-listening server),
// and, for each way it can wait for a refused port, its detection error and its CPU while waiting
// (a target that listens 200 ms after it starts, by its own clock): what the prober adds to a
// cold start, and what it takes from the tenant that is starting.
import { randomBytes } from 'node:crypto';
import { median } from 'simple-statistics';
import { formatNumber } from '../format.js';
import { PROBER_WAITS } from '../measure/native-prober.js';
import { measureProbeDetection } from '../measure/probe-detection.js';
import { measureProbeFloor } from '../measure/probe-floor.js';

const LISTEN_DELAY_MS = 200;

const spread = (values: number[], unit: string) =>
  `median ${formatNumber(median(values))} ${unit} (min ${formatNumber(Math.min(...values))}, max ${formatNumber(Math.max(...values))}, n=${values.length})`;

export async function calibrateProber(probes: number): Promise<void> {
  const runId = `calibrate-${randomBytes(2).toString('hex')}`;
  const floor = await measureProbeFloor(runId, probes, 'native');
  console.log(`native prober floor (already-listening null server): ${spread(floor, 'ms')}`);
  console.log(
    `detection: a target listens ${LISTEN_DELAY_MS} ms after it starts; error = start of the answered connect() − end of the target's listen(), by CLOCK_MONOTONIC (the connect itself is in the floor)`,
  );
  for (const wait of PROBER_WAITS) {
    const { samples, waiting } = await measureProbeDetection(runId, probes, 'native', wait, LISTEN_DELAY_MS);
    const how = waiting && waiting.wait !== wait ? `${wait} (fell back to ${waiting.wait}: ${waiting.note})` : wait;
    console.log(
      `  wait ${how}: detection error ${spread(
        samples.map((s) => s.errorMs * 1000),
        'µs',
      )}`,
    );
    console.log(
      `  wait ${how}: prober CPU while waiting ${spread(
        samples.map((s) => s.cpuPercent ?? 0),
        '% of a core',
      )}`,
    );
  }
}
