// The interleaved client comparison `calibrate` makes against every target: autocannon (through
// the load worker) and wrk take turns against one URL, round after round, so that the machine's
// noise falls on both alike. Prints each client's median (min–max) req/s and how busy the machine
// was, and returns the medians; a ceiling measured on a busy machine is the machine's, not the client's.
import { median } from 'simple-statistics';
import { formatNumber } from '../format.js';
import { runLoadPass } from '../measure/load-client.js';
import { runWrkPass } from '../measure/wrk.js';
import { measurementPids, noiseBetween, noiseSnapshot } from '../sys/noise.js';

export interface ClientComparison {
  durationSec: number;
  connections: number;
  rounds: number;
  wrk: boolean;
  clientCpus?: string;
  runId: string;
}

export interface ClientMedians {
  medians: Record<string, number>;
  /** Why the machine was busy meanwhile (load average above the core count, other processes, steal); empty when it was not. */
  busy: string[];
}

export async function compareClients(target: string, url: string, settings: ClientComparison): Promise<ClientMedians> {
  const before = await noiseSnapshot();
  const rates: Record<string, number[]> = { autocannon: [], ...(settings.wrk ? { wrk: [] } : {}) };
  const pass = { urls: [url], method: 'GET', connections: settings.connections, durationSec: settings.durationSec, timeoutMs: 10000 };
  for (let round = 0; round < settings.rounds; round++) {
    rates.autocannon!.push((await runLoadPass({ ...pass, pipelining: 1 }, { cpus: settings.clientCpus, runId: settings.runId })).requestsPerSec);
    if (settings.wrk) rates.wrk!.push((await runWrkPass({ ...pass, cpus: settings.clientCpus, runId: settings.runId })).requestsPerSec);
  }
  for (const [client, values] of Object.entries(rates)) {
    console.log(
      `${target}, ${client}: ${formatNumber(median(values))} req/s median (${formatNumber(Math.min(...values))}–${formatNumber(Math.max(...values))})`,
    );
  }
  const after = await noiseSnapshot();
  const noise = noiseBetween(before, after, measurementPids(after), { workload: target, measurement: 'calibrate' });
  const load = Math.max(noise.loadAverage.start, noise.loadAverage.end);
  const busy = [...(load > noise.cores ? [`load average ${formatNumber(load)} on ${noise.cores} cores`] : []), ...noise.reasons];
  console.log(
    `${target}: load average ${formatNumber(noise.loadAverage.start)} → ${formatNumber(noise.loadAverage.end)}${busy.length ? ` (busy: ${busy.join('; ')})` : ''}`,
  );
  return { medians: Object.fromEntries(Object.entries(rates).map(([client, values]) => [client, median(values)])), busy };
}

/** One sentence: whether autocannon reaches wrk's req/s against a target. */
export function ceilingVerdict(target: string, { medians, busy }: ClientMedians): string | undefined {
  if (medians.wrk === undefined || medians.autocannon === undefined) return undefined;
  if (busy.length) {
    return `${target}: autocannon reached ${formatNumber((medians.autocannon / medians.wrk) * 100)}% of wrk's req/s on a busy machine (${busy.join('; ')}): no ceiling can be read from it; run calibrate again on an idle machine.`;
  }
  const share = medians.autocannon / medians.wrk;
  return `${target}: autocannon reaches ${formatNumber(share * 100)}% of wrk's req/s: ${
    share < 0.7
      ? `autocannon is the ceiling (about ${formatNumber(medians.autocannon)} req/s here); a load test near it measured the client`
      : 'the client is not far below wrk; a load test well under this figure measured the server'
  }.`;
}
