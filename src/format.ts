// Numbers for people: three significant digits, so 0.004 ms stays 0.004 (never "0.00") and
// 123456 req/s stays 123456; sizes in the unit that suits them.
export function formatNumber(x: number | undefined | null): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return '-';
  if (x === 0) return '0';
  const magnitude = Math.abs(x);
  if (magnitude >= 100) return x.toFixed(0);
  return Number(x.toPrecision(3)).toString();
}

/** "20 KiB", "12.4 MiB", "1.1 GiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatNumber(value)} ${units[unit]}`;
}

/** "1 request", "3 requests". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** A duration in ms as people read it: µs below a millisecond, s above ten seconds. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (Math.abs(ms) < 1 && ms !== 0) return `${formatNumber(ms * 1000)} µs`;
  if (Math.abs(ms) >= 10_000) return `${formatNumber(ms / 1000)} s`;
  return `${formatNumber(ms)} ms`;
}
