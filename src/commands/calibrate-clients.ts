// The interleaved client comparison `calibrate` makes against every target: autocannon (through
// the load worker) and wrk take turns against one URL, round after round, so that the machine's
// noise falls on both alike. Prints each client's median (min–max) req/s and returns the medians.
import { median } from 'simple-statistics';
import { formatNumber } from '../format.js';
import { runLoadPass } from '../measure/load-client.js';
import { runWrkPass } from '../measure/wrk.js';

export interface ClientComparison {
  durationSec: number;
  connections: number;
  rounds: number;
  wrk: boolean;
  clientCpus?: string;
  runId: string;
}

export async function compareClients(target: string, url: string, settings: ClientComparison): Promise<Record<string, number>> {
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
  return Object.fromEntries(Object.entries(rates).map(([client, values]) => [client, median(values)]));
}

/** One sentence: whether autocannon reaches wrk's req/s against a target. */
export function ceilingVerdict(target: string, medians: Record<string, number>): string | undefined {
  if (medians.wrk === undefined || medians.autocannon === undefined) return undefined;
  const share = medians.autocannon / medians.wrk;
  return `${target}: autocannon reaches ${formatNumber(share * 100)}% of wrk's req/s: ${
    share < 0.7
      ? `autocannon is the ceiling (about ${formatNumber(medians.autocannon)} req/s here); a load test near it measured the client`
      : 'the client is not far below wrk; a load test well under this figure measured the server'
  }.`;
}
