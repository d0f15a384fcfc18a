//! Command line parsing. Hand-written to keep the dependency list short.

use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceModel {
    /// A fresh Store + instance per request (what `wasmtime serve` does).
    PerRequest,
    /// One long-lived Store + instance per tenant; requests are serialized.
    PerTenant,
}

impl InstanceModel {
    pub fn as_str(self) -> &'static str {
        match self {
            InstanceModel::PerRequest => "per-request",
            InstanceModel::PerTenant => "per-tenant",
        }
    }
}

/// A feature wasmtime can use when the machine has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Switch {
    /// When the machine supports it.
    Auto,
    /// Always; start-up fails where it is unsupported.
    Yes,
    No,
}

impl Switch {
    pub fn as_str(self) -> &'static str {
        match self {
            Switch::Auto => "auto",
            Switch::Yes => "yes",
            Switch::No => "no",
        }
    }

    fn parse(flag: &str, value: &str) -> Result<Self, String> {
        match value {
            "auto" => Ok(Switch::Auto),
            "yes" => Ok(Switch::Yes),
            "no" => Ok(Switch::No),
            _ => Err(format!("bad {flag} {value:?} (auto|yes|no)")),
        }
    }
}

/// How the host's tokio runtime schedules its tasks (`--tokio-runtime`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokioRuntime {
    /// Every task on the main thread: no work stealing, no wake-ups between threads.
    CurrentThread,
    /// A worker per CPU the process may run on (taskset limits it), with work stealing.
    MultiThread,
}

impl TokioRuntime {
    pub fn as_str(self) -> &'static str {
        match self {
            TokioRuntime::CurrentThread => "current-thread",
            TokioRuntime::MultiThread => "multi-thread",
        }
    }
}

/// The pooling allocator's settings that decide what reusing a slot costs (see engine.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolTuning {
    /// Bytes of each linear memory and table reset in place (memset) instead of given back to the
    /// kernel (madvise), so the next instance in the slot takes no page faults on them.
    pub keep_resident_bytes: usize,
    /// Linux 6.7+: reset only the pages that were written (PAGEMAP_SCAN ioctl).
    pub pagemap_scan: Switch,
    /// Slots whose memory is given back to the kernel in one batch.
    pub decommit_batch: usize,
    /// Linear memories one component may have: one per core module with a memory (a composed
    /// component has one per stage). Each reserves address space in every pool slot.
    pub memories_per_component: u32,
}

/// Largest keep-resident size accepted (the largest linear memory, limits::MAX_MEMORY_BYTES).
const MAX_KEEP_RESIDENT: usize = 256 << 20;

impl Default for PoolTuning {
    fn default() -> Self {
        PoolTuning {
            keep_resident_bytes: 1 << 20,
            pagemap_scan: Switch::No,
            decommit_batch: 1,
            memories_per_component: 3,
        }
    }
}

#[derive(Debug)]
pub struct Args {
    pub port: u16,
    pub cache_dir: PathBuf,
    /// Built components by sha256: `<dir>/<sha256>/component.wasm`. The only place tenants come from.
    pub artifacts_dir: PathBuf,
    pub instance_model: InstanceModel,
    pub request_timeout_ms: u64,
    pub max_tenants: u32,
    /// Cap on one tenant's linear memory (all its memories together), in MiB.
    pub max_memory_mib: u32,
    pub pool: PoolTuning,
    pub tokio_runtime: TokioRuntime,
}

/// A tenant's memory cap when none is given, and the largest accepted (the pool's reservation per memory).
pub const DEFAULT_MAX_MEMORY_MIB: u32 = 128;
const LARGEST_MAX_MEMORY_MIB: u32 = (crate::limits::MAX_MEMORY_BYTES >> 20) as u32;

pub const USAGE: &str = "usage: coldbench-wasmtime-host --port PORT --cache-dir DIR --artifacts DIR \
--instance-model per-request|per-tenant [--request-timeout-ms N] [--max-tenants N] [--max-memory-mib N] \
[--pool-keep-resident BYTES] [--pagemap-scan auto|yes|no] [--decommit-batch N] [--memories-per-component N] [--tokio-runtime current-thread|multi-thread]";

/// Parses `--flag value` and `--flag=value`. Arguments starting with `--coldbench-`
/// are markers the harness appends to find its processes: accepted and ignored.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut port = None;
    let mut cache_dir = None;
    let mut artifacts_dir = None;
    let mut model = None;
    let mut timeout = 10_000u64;
    let mut max_tenants = 12_000u32;
    let mut max_memory_mib = DEFAULT_MAX_MEMORY_MIB;
    let mut pool = PoolTuning::default();
    // One thread by default: a cold start then takes no wake-up between threads (measured: about a
    // third off the deploy-to-first-response time); multi-thread uses every allowed CPU for load.
    let mut tokio_runtime = TokioRuntime::CurrentThread;

    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        if arg.starts_with("--coldbench-") {
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        let known = [
            "--port",
            "--cache-dir",
            "--artifacts",
            "--instance-model",
            "--request-timeout-ms",
            "--max-tenants",
            "--max-memory-mib",
            "--pool-keep-resident",
            "--pagemap-scan",
            "--decommit-batch",
            "--memories-per-component",
            "--tokio-runtime",
        ];
        if !known.contains(&flag.as_str()) {
            return Err(format!("unknown argument {arg:?}; {USAGE}"));
        }
        let value = match inline {
            Some(v) => v,
            None => it.next().ok_or_else(|| format!("{flag} needs a value; {USAGE}"))?,
        };
        match flag.as_str() {
            "--port" => port = Some(value.parse::<u16>().map_err(|_| format!("bad --port {value:?}"))?),
            "--cache-dir" if !value.is_empty() => cache_dir = Some(PathBuf::from(value)),
            "--cache-dir" => return Err("--cache-dir must not be empty".into()),
            "--artifacts" if !value.is_empty() => artifacts_dir = Some(PathBuf::from(value)),
            "--artifacts" => return Err("--artifacts must not be empty".into()),
            "--instance-model" => {
                model = Some(match value.as_str() {
                    "per-request" => InstanceModel::PerRequest,
                    "per-tenant" => InstanceModel::PerTenant,
                    _ => return Err(format!("bad --instance-model {value:?} (per-request|per-tenant)")),
                })
            }
            "--request-timeout-ms" => {
                timeout = value
                    .parse::<u64>()
                    .ok()
                    .filter(|v| *v > 0)
                    .ok_or_else(|| format!("bad --request-timeout-ms {value:?}"))?
            }
            "--max-tenants" => {
                max_tenants = value
                    .parse::<u32>()
                    .ok()
                    .filter(|v| (1..=1_000_000).contains(v))
                    .ok_or_else(|| format!("bad --max-tenants {value:?}"))?
            }
            "--max-memory-mib" => {
                max_memory_mib = value
                    .parse::<u32>()
                    .ok()
                    .filter(|v| (1..=LARGEST_MAX_MEMORY_MIB).contains(v))
                    .ok_or_else(|| format!("bad --max-memory-mib {value:?} (1 to {LARGEST_MAX_MEMORY_MIB})"))?
            }
            "--pool-keep-resident" => {
                pool.keep_resident_bytes = value
                    .parse::<usize>()
                    .ok()
                    .filter(|v| *v <= MAX_KEEP_RESIDENT)
                    .ok_or_else(|| format!("bad --pool-keep-resident {value:?} (bytes, 0 to {MAX_KEEP_RESIDENT})"))?
            }
            "--pagemap-scan" => pool.pagemap_scan = Switch::parse(&flag, &value)?,
            "--decommit-batch" => {
                pool.decommit_batch = value
                    .parse::<usize>()
                    .ok()
                    .filter(|v| (1..=4096).contains(v))
                    .ok_or_else(|| format!("bad --decommit-batch {value:?} (1 to 4096)"))?
            }
            "--memories-per-component" => {
                pool.memories_per_component = value
                    .parse::<u32>()
                    .ok()
                    .filter(|v| (1..=16).contains(v))
                    .ok_or_else(|| format!("bad --memories-per-component {value:?} (1 to 16)"))?
            }
            "--tokio-runtime" => {
                tokio_runtime = match value.as_str() {
                    "current-thread" => TokioRuntime::CurrentThread,
                    "multi-thread" => TokioRuntime::MultiThread,
                    _ => return Err(format!("bad --tokio-runtime {value:?} (current-thread|multi-thread)")),
                }
            }
            _ => unreachable!(),
        }
    }
    Ok(Args {
        port: port.ok_or_else(|| format!("--port is required; {USAGE}"))?,
        cache_dir: cache_dir.ok_or_else(|| format!("--cache-dir is required; {USAGE}"))?,
        artifacts_dir: artifacts_dir.ok_or_else(|| format!("--artifacts is required; {USAGE}"))?,
        instance_model: model.ok_or_else(|| format!("--instance-model is required; {USAGE}"))?,
        request_timeout_ms: timeout,
        max_tenants,
        max_memory_mib,
        pool,
        tokio_runtime,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Args, String> {
        parse(list.iter().map(|s| s.to_string()))
    }

    const REQUIRED: [&str; 8] = [
        "--port",
        "0",
        "--cache-dir",
        "/c",
        "--artifacts",
        "/a",
        "--instance-model",
        "per-tenant",
    ];

    #[test]
    fn required_flags_and_defaults() {
        let a = args(&REQUIRED).unwrap();
        assert_eq!(a.port, 0);
        assert_eq!(a.cache_dir, PathBuf::from("/c"));
        assert_eq!(a.artifacts_dir, PathBuf::from("/a"));
        assert_eq!(a.instance_model, InstanceModel::PerTenant);
        assert_eq!((a.request_timeout_ms, a.max_tenants), (10_000, 12_000));
        assert_eq!(a.max_memory_mib, DEFAULT_MAX_MEMORY_MIB);
        assert_eq!(a.pool, PoolTuning::default());
        assert_eq!(a.tokio_runtime, TokioRuntime::CurrentThread);
    }

    #[test]
    fn inline_values_and_markers() {
        let a = args(&[
            "--port=8080",
            "--cache-dir=/c",
            "--coldbench-run=abc",
            "--artifacts",
            "/a",
            "--instance-model=per-request",
            "--request-timeout-ms=5",
            "--max-tenants",
            "3",
            "--max-memory-mib=64",
            "--pool-keep-resident=65536",
            "--pagemap-scan",
            "yes",
            "--decommit-batch=8",
            "--tokio-runtime=multi-thread",
        ])
        .unwrap();
        assert_eq!(a.tokio_runtime, TokioRuntime::MultiThread);
        assert_eq!((a.port, a.instance_model), (8080, InstanceModel::PerRequest));
        assert_eq!((a.request_timeout_ms, a.max_tenants, a.max_memory_mib), (5, 3, 64));
        assert_eq!(
            a.pool,
            PoolTuning {
                keep_resident_bytes: 65536,
                pagemap_scan: Switch::Yes,
                decommit_batch: 8,
                memories_per_component: 3,
            }
        );
    }

    #[test]
    fn each_missing_flag_is_named() {
        for skip in (0..REQUIRED.len()).step_by(2) {
            let rest: Vec<&str> = REQUIRED
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip && *i != skip + 1)
                .map(|(_, s)| *s)
                .collect();
            let err = args(&rest).unwrap_err();
            assert!(err.starts_with(&format!("{} is required", REQUIRED[skip])), "{err}");
        }
    }

    #[test]
    fn bad_values_are_refused_in_one_line() {
        let cases: [(&[&str], &str); 13] = [
            (&["--tokio-runtime", "two"], "bad --tokio-runtime"),
            (&["--port", "70000"], "bad --port"),
            (&["--cache-dir="], "--cache-dir must not be empty"),
            (&["--instance-model", "shared"], "bad --instance-model"),
            (&["--request-timeout-ms", "0"], "bad --request-timeout-ms"),
            (&["--max-tenants", "0"], "bad --max-tenants"),
            (&["--max-memory-mib", "0"], "bad --max-memory-mib"),
            (&["--max-memory-mib", "257"], "bad --max-memory-mib"),
            (&["--pool-keep-resident", "268435457"], "bad --pool-keep-resident"),
            (&["--pagemap-scan", "maybe"], "bad --pagemap-scan"),
            (&["--decommit-batch", "0"], "bad --decommit-batch"),
            (&["--verbose"], "unknown argument"),
            (&["--port"], "--port needs a value"),
        ];
        for (extra, expected) in cases {
            let mut list = REQUIRED.to_vec();
            list.extend_from_slice(extra);
            let err = args(&list).unwrap_err();
            assert!(err.starts_with(expected), "{extra:?}: {err}");
            assert!(!err.contains('\n'));
        }
    }
}
