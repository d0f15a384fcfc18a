// `coldbench claims RESULTS...`: the headline claims about Wasm and containers, with a verdict
// from these results: holds, does not hold, or not measured (and what would measure it).
import { UserError } from '../errors.js';
import { claimsText, evaluateClaims } from '../report/claims.js';
import { readResults } from '../results/read.js';

export async function claimsCommand(files: string[]): Promise<number> {
  if (files.length === 0) throw new UserError('give at least one results file (coldbench claims results/*.json)');
  console.log(claimsText(evaluateClaims(await Promise.all(files.map(readResults)))));
  return 0;
}
