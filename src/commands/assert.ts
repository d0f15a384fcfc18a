// `coldbench assert RESULTS... --budget LINE [--budget LINE] [--budgets FILE] [--markdown]`:
// checks budgets against results files; exits 1 when an error-level budget fails, 0 otherwise.
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { judge } from '../measure/registry.js';
import { readResults } from '../results/read.js';
import { AmbiguousQuantity, type Budget, evaluateBudget, outcomeRuntime, parseBudget } from '../stats/budgets.js';
import { textTable } from '../text-table.js';

export interface AgainstStoreOptions {
  againstStore?: boolean;
  db?: string;
  last?: string;
  failOnRegression?: string;
}

export async function assertCommand(
  files: string[],
  options: { budget?: string[]; budgets?: string; markdown?: boolean } & AgainstStoreOptions,
): Promise<number> {
  if (files.length === 0) throw new UserError('give at least one results file (coldbench assert results/x.json --budget "hello/wasm/total median <= 100ms")');
  const lines: { line: string; where: string }[] = (options.budget ?? []).map((line) => ({ line, where: '--budget' }));
  if (options.budgets) {
    const text = await readFile(options.budgets, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UserError(`${options.budgets}: cannot read budgets (${error.code ?? error.message})`);
    });
    text.split('\n').forEach((line, index) => {
      if (line.trim() && !line.trim().startsWith('#')) lines.push({ line, where: `${options.budgets}:${index + 1}` });
    });
  }
  if (lines.length === 0 && !options.againstStore) throw new UserError('no budget given (--budget LINE, --budgets FILE or --against-store)');
  const budgets: Budget[] = lines.map(({ line, where }) => {
    try {
      return parseBudget(line);
    } catch (error) {
      throw new UserError(`${where}: ${(error as Error).message}`);
    }
  });
  const results = await Promise.all(files.map(readResults));
  const outcomes = results.flatMap((result) =>
    budgets.flatMap((budget, index) => {
      try {
        return evaluateBudget(budget, result);
      } catch (error) {
        if (error instanceof AmbiguousQuantity) throw new UserError(`${lines[index]!.where}: "${budget.text}": ${error.message}`);
        throw error;
      }
    }),
  );
  // A budget whose runtime has several variants is judged once per variant: the runtime column says which.
  const rows = outcomes.map((o) => [o.passed ? 'pass' : o.budget.level === 'warn' ? 'WARN' : 'FAIL', o.budget.text, outcomeRuntime(o), o.runId, o.detail]);
  // --against-store: each run against the earlier runs of its machine in the store (src/store/gate.ts).
  const history = options.againstStore ? await (await import('../store/gate.js')).againstStoreRows(results, judge, options) : { rows: [], failed: 0 };
  rows.push(...history.rows);
  const header = ['result', 'budget', 'runtime', 'run', 'measured'];
  if (options.markdown) {
    const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
    console.log(
      [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(escapeCell).join(' | ')} |`)].join('\n'),
    );
  } else {
    console.log(textTable(header, rows));
  }
  const failed = outcomes.filter((o) => !o.passed && o.budget.level === 'error').length + history.failed;
  if (failed) console.error(`${failed} budget(s) failed`);
  return failed ? 1 : 0;
}
