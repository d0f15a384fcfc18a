// Fisher-Yates shuffle: each iteration visits runtimes in a new random order, so that slow drift
// on a shared machine does not favour whichever runtime always goes first.
export function shuffled<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
