//! Engine configuration and the compiled-component cache (in memory and on disk).

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};
use tokio::sync::OnceCell;
use wasmtime::component::Component;
use wasmtime::{Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

use crate::cli::{InstanceModel, PoolTuning, Switch, TokioRuntime};
use crate::limits::MAX_MEMORY_BYTES;

/// Must equal the `=` pin in Cargo.toml, the one source of the version (checked by a test below).
pub const WASMTIME_VERSION: &str = "48.0.8";

const MEMORY_GUARD_BYTES: u64 = 32 << 20;
/// per-tenant: pool slots beyond --max-tenants, for adds and re-instantiations in flight.
const EXTRA_SLOTS: u32 = 256;
/// per-request: instances live only while a request runs, so the pool is sized for
/// concurrent requests, not tenants (each slot costs memory mappings; see maps.rs).
const PER_REQUEST_SLOTS: u32 = 2048;
// Per-component shape, with headroom. Measured: hello-c instantiates 3 core modules
// (wit-component shim, main, fixup) with 1 memory and 2 tables; the StarlingMonkey hello
// 4 (the same plus the preview1 adapter), 1 memory of 9.5 MB, 2 tables (the larger 7,785 elements,
// under wasmtime's default limit of 20,000). Instance counts are only limits; memories and
// tables reserve virtual address space per slot.
const CORE_INSTANCES_PER_COMPONENT: u32 = 8;
const TABLES_PER_COMPONENT: u32 = 4;

/// Number of component instances the pool holds for this model.
pub fn pool_slots(model: InstanceModel, max_tenants: u32) -> u32 {
    match model {
        InstanceModel::PerTenant => max_tenants.saturating_add(EXTRA_SLOTS),
        InstanceModel::PerRequest => PER_REQUEST_SLOTS,
    }
}

fn enabled(switch: Switch) -> Enabled {
    match switch {
        Switch::Auto => Enabled::Auto,
        Switch::Yes => Enabled::Yes,
        Switch::No => Enabled::No,
    }
}

/// The pool settings in effect, for `/_control/stats` (and through it the results' fingerprint).
pub fn describe(tuning: &PoolTuning, tokio_runtime: TokioRuntime) -> serde_json::Value {
    serde_json::json!({
        "allocator": "pooling",
        "keepResidentBytes": tuning.keep_resident_bytes,
        "pagemapScan": tuning.pagemap_scan.as_str(),
        "decommitBatch": tuning.decommit_batch,
        "memoryInitCow": true,
        "memoryReservationBytes": MAX_MEMORY_BYTES,
        "memoryGuardBytes": MEMORY_GUARD_BYTES,
        "memoriesPerComponent": tuning.memories_per_component,
        "tokioRuntime": tokio_runtime.as_str(),
    })
}

pub fn build_engine(slots: u32, tuning: &PoolTuning) -> wasmtime::Result<Engine> {
    let mut pool = PoolingAllocationConfig::new();
    pool.total_component_instances(slots)
        .total_core_instances(slots.saturating_mul(CORE_INSTANCES_PER_COMPONENT))
        .max_core_instances_per_component(CORE_INSTANCES_PER_COMPONENT * 2)
        // 3 by default (--memories-per-component): a composed pipeline has one memory per stage.
        .total_memories(slots.saturating_mul(tuning.memories_per_component))
        .max_memories_per_component(tuning.memories_per_component)
        .total_tables(slots.saturating_mul(TABLES_PER_COMPONENT))
        .max_tables_per_component(TABLES_PER_COMPONENT * 2)
        // A store keeps its last fiber stack for its next call: one per live store.
        // (Each pooled stack is 2 memory mappings, stack + guard page, from the start.)
        .total_stacks(slots)
        .max_memory_size(MAX_MEMORY_BYTES)
        // What reusing a slot costs: per-request serving pays it once per request.
        .linear_memory_keep_resident(tuning.keep_resident_bytes)
        .table_keep_resident(tuning.keep_resident_bytes)
        .pagemap_scan(enabled(tuning.pagemap_scan))
        .decommit_batch_size(tuning.decommit_batch);
    // Copy-on-write memory images and warm-slot reuse stay at wasmtime's defaults (on).

    let mut config = Config::new();
    config
        .allocation_strategy(InstanceAllocationStrategy::Pooling(pool))
        .epoch_interruption(true)
        .memory_reservation(MAX_MEMORY_BYTES as u64)
        .memory_guard_size(MEMORY_GUARD_BYTES)
        // Nothing to grow into: the reservation is the maximum.
        .memory_reservation_for_growth(0);
    Engine::new(&config)
}

/// Why a component could not be loaded: the caller maps these to 422 and 500.
pub enum LoadError {
    /// Not readable, not a component, corrupt: the client's fault.
    BadArtifact(String),
    /// Our fault (cache directory not writable, a panicked worker...).
    Internal(String),
}

pub struct Loaded {
    pub component: Component,
    /// Set when this call compiled the component.
    pub compile_ms: Option<f64>,
    /// Set when this call deserialized a `.cwasm` from the cache directory.
    pub load_ms: Option<f64>,
    /// The cache key (names the bytes and the engine): also keys the pre-linked component.
    pub key: String,
}

pub struct ComponentCache {
    engine: Engine,
    dir: PathBuf,
    /// Hash of everything besides the bytes that makes a `.cwasm` usable by this engine.
    engine_tag: String,
    /// Components by cache key; the OnceCell makes concurrent adds of one component wait
    /// for a single compile instead of racing.
    by_key: Mutex<HashMap<String, Arc<OnceCell<Component>>>>,
    /// path -> (file identity, key): skips re-hashing a 12 MiB file for every tenant.
    by_path: Mutex<HashMap<PathBuf, (FileId, String)>>,
}

#[derive(Clone, PartialEq, Eq)]
struct FileId {
    len: u64,
    mtime: Option<SystemTime>,
    ino: u64,
    dev: u64,
}

fn file_id(path: &Path) -> std::io::Result<FileId> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path)?;
    Ok(FileId {
        len: m.len(),
        mtime: m.modified().ok(),
        ino: m.ino(),
        dev: m.dev(),
    })
}

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// One readable, bounded line: the first line of the top message, plus the root cause
/// when that says more ("failed to parse WebAssembly module: expected a component...").
pub fn first_line(e: &wasmtime::Error) -> String {
    let line = |s: String| s.lines().next().unwrap_or("").trim().to_string();
    let top = line(e.to_string());
    let root = line(e.root_cause().to_string());
    let text = if root.is_empty() || top.contains(&root) {
        top
    } else {
        format!("{top}: {root}")
    };
    text.chars().take(500).collect()
}

impl ComponentCache {
    pub fn new(engine: &Engine, dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut h);
        let engine_tag = format!("wasmtime-{WASMTIME_VERSION}-{:016x}", h.finish());
        Ok(Self {
            engine: engine.clone(),
            dir: dir.to_path_buf(),
            engine_tag,
            by_key: Mutex::new(HashMap::new()),
            by_path: Mutex::new(HashMap::new()),
        })
    }

    /// Returns the compiled component for `path`, whose bytes must have sha256 `sha256`,
    /// compiling or deserializing only when it is neither in memory nor (for compiling) in
    /// the cache directory.
    pub async fn get(&self, path: &Path, sha256: &str) -> Result<Loaded, LoadError> {
        let key = self.key_for(path, sha256).await?;
        let cell = self.by_key.lock().unwrap().entry(key.clone()).or_default().clone();

        let mut timings = (None, None);
        let result = cell
            .get_or_try_init(|| async {
                let (component, compile_ms, load_ms) = self.compile_or_load(path, &key).await?;
                timings = (compile_ms, load_ms);
                Ok::<_, LoadError>(component)
            })
            .await;
        match result {
            Ok(component) => Ok(Loaded {
                component: component.clone(),
                compile_ms: timings.0,
                load_ms: timings.1,
                key,
            }),
            Err(e) => {
                // Do not keep an empty cell around for a file that failed.
                let mut map = self.by_key.lock().unwrap();
                if map.get(&key).is_some_and(|c| c.get().is_none()) {
                    map.remove(&key);
                }
                Err(e)
            }
        }
    }

    /// sha256(sha256(component bytes) || wasmtime version || engine compatibility hash).
    async fn key_for(&self, path: &Path, sha256: &str) -> Result<String, LoadError> {
        let bad = |e: std::io::Error| LoadError::BadArtifact(format!("cannot read {}: {e}", path.display()));
        // The one stat of an add: a known file (same size, mtime, inode) is not read again.
        let id = file_id(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory => {
                LoadError::BadArtifact(format!("no component {sha256} in the artifact directory"))
            }
            _ => bad(e),
        })?;
        if let Some((known, key)) = self.by_path.lock().unwrap().get(path) {
            if *known == id {
                return Ok(key.clone());
            }
        }
        let owned = path.to_path_buf();
        let bytes_hash = tokio::task::spawn_blocking(move || std::fs::read(&owned).map(|bytes| Sha256::digest(&bytes)))
            .await
            .map_err(|e| LoadError::Internal(e.to_string()))?
            .map_err(bad)?;
        if hex(&bytes_hash) != sha256 {
            return Err(LoadError::BadArtifact(format!("{} does not have sha256 {sha256}", path.display())));
        }
        let mut h = Sha256::new();
        h.update(bytes_hash);
        h.update(self.engine_tag.as_bytes());
        let key = hex(&h.finalize());
        self.by_path
            .lock()
            .unwrap()
            .insert(path.to_path_buf(), (id, key.clone()));
        Ok(key)
    }

    async fn compile_or_load(
        &self,
        path: &Path,
        key: &str,
    ) -> Result<(Component, Option<f64>, Option<f64>), LoadError> {
        let engine = self.engine.clone();
        let src = path.to_path_buf();
        let cwasm = self.dir.join(format!("{key}.cwasm"));
        // Compiling a 12 MiB component takes seconds: keep it off the async workers.
        tokio::task::spawn_blocking(move || {
            if cwasm.exists() {
                let t = Instant::now();
                // SAFETY: the file is one we wrote for this exact engine configuration
                // (the key includes its compatibility hash) into our own cache directory.
                match unsafe { Component::deserialize_file(&engine, &cwasm) } {
                    Ok(c) => return Ok((c, None, Some(ms_since(t)))),
                    // A truncated or foreign file: compile again and replace it.
                    Err(e) => eprintln!(
                        "coldbench-wasmtime-host: ignoring cache file {}: {}",
                        cwasm.display(),
                        first_line(&e)
                    ),
                }
            }
            let bytes = std::fs::read(&src)
                .map_err(|e| LoadError::BadArtifact(format!("cannot read {}: {e}", src.display())))?;
            let t = Instant::now();
            let component = Component::new(&engine, &bytes).map_err(|e| LoadError::BadArtifact(first_line(&e)))?;
            let compile_ms = ms_since(t);
            write_atomically(&cwasm, &component)
                .map_err(|e| LoadError::Internal(format!("cannot write {}: {e}", cwasm.display())))?;
            Ok((component, Some(compile_ms), None))
        })
        .await
        .map_err(|e| LoadError::Internal(format!("compile worker failed: {e}")))?
    }
}

/// temp file + rename, so a concurrent reader (another host process) never maps a
/// half-written `.cwasm`.
fn write_atomically(dest: &Path, component: &Component) -> std::io::Result<()> {
    let bytes = component
        .serialize()
        .map_err(|e| std::io::Error::other(first_line(&e)))?;
    let tmp = dest.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, dest).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_the_one_cargo_toml_pins_and_the_lock_file_holds() {
        let toml = include_str!("../Cargo.toml");
        let lock = include_str!("../Cargo.lock");
        for krate in ["wasmtime", "wasmtime-wasi", "wasmtime-wasi-http"] {
            let pin = toml
                .lines()
                .find(|l| l.starts_with(&format!("{krate} = ")))
                .unwrap_or_else(|| panic!("Cargo.toml does not depend on {krate}"));
            assert!(pin.contains(&format!("\"={WASMTIME_VERSION}\"")), "Cargo.toml: {pin}");
            let locked = format!("name = \"{krate}\"\nversion = \"{WASMTIME_VERSION}\"");
            assert!(lock.contains(&locked), "Cargo.lock does not hold {krate} {WASMTIME_VERSION}");
        }
    }

    #[test]
    fn pool_slots_follow_the_instance_model() {
        assert_eq!(pool_slots(InstanceModel::PerTenant, 10), 10 + EXTRA_SLOTS);
        assert_eq!(pool_slots(InstanceModel::PerRequest, 10), PER_REQUEST_SLOTS);
        assert_eq!(pool_slots(InstanceModel::PerTenant, u32::MAX), u32::MAX);
    }
}
