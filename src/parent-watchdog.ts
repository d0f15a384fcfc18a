// For coldbench's own helper processes (Wasm host, load and micro workers, builds, the null
// server): never outlive the harness that started them. A dead parent shows as a new ppid.
export function exitWithParent(code: number, everyMs = 1000): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(code);
  }, everyMs).unref();
}
