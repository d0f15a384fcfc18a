// Runs `task` for indices 0..count-1 with at most `concurrency` at a time; stops handing out new
// indices after the first failure or when `shouldStop` says so, and reports what happened.
export interface PoolOutcome {
  done: number;
  error?: Error;
}

export async function runPool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<PoolOutcome> {
  let next = 0;
  let done = 0;
  let error: Error | undefined;
  const worker = async () => {
    while (!error && next < count && !shouldStop()) {
      const index = next++;
      try {
        await task(index);
        done++;
      } catch (failure) {
        error ??= failure as Error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { done, error };
}
