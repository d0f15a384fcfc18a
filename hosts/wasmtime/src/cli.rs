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

#[derive(Debug)]
pub struct Args {
    pub port: u16,
    pub cache_dir: PathBuf,
    /// Built components by sha256: `<dir>/<sha256>/component.wasm`. The only place tenants come from.
    pub artifacts_dir: PathBuf,
    pub instance_model: InstanceModel,
    pub request_timeout_ms: u64,
    pub max_tenants: u32,
}

pub const USAGE: &str = "usage: coldbench-wasmtime-host --port PORT --cache-dir DIR --artifacts DIR \
--instance-model per-request|per-tenant [--request-timeout-ms N] [--max-tenants N]";

/// Parses `--flag value` and `--flag=value`. Arguments starting with `--coldbench-`
/// are markers the harness appends to find its processes: accepted and ignored.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut port = None;
    let mut cache_dir = None;
    let mut artifacts_dir = None;
    let mut model = None;
    let mut timeout = 10_000u64;
    let mut max_tenants = 12_000u32;

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
    })
}
