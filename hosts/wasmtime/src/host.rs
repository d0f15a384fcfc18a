//! What each Store carries: a locked-down WASI context, wasi:http state with the tenant's outgoing
//! grants, a memory tracker that caps the tenant's linear memory, and the current request deadline.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use wasmtime::component::{Linker, ResourceTable};
use wasmtime::{Engine, ResourceLimiter, Store, UpdateDeadline};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

use crate::access::Access;
use crate::grants::OutgoingHooks;

use crate::guest_output::{GuestOutput, GuestOutputLimit};

/// Process-wide counters reported by `/_control/stats`.
#[derive(Default)]
pub struct Stats {
    /// Sum of the current linear memory sizes of all live stores.
    pub linear_memory_bytes: AtomicU64,
    /// Requests that trapped or hit the deadline.
    pub faults: AtomicU64,
}

/// Marker error returned from the epoch callback once a request's deadline has passed.
#[derive(Debug)]
pub struct DeadlineExceeded;

impl std::fmt::Display for DeadlineExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("request deadline exceeded")
    }
}
impl std::error::Error for DeadlineExceeded {}

/// Marker error returned from the limiter when a store's linear memory would pass its cap: the
/// `memory.grow` (or the instantiation) traps, so the request is a fault and the instance is replaced.
#[derive(Debug)]
pub struct MemoryCapExceeded {
    pub cap_bytes: usize,
}

impl std::fmt::Display for MemoryCapExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "linear memory over its cap of {} MiB", self.cap_bytes >> 20)
    }
}
impl std::error::Error for MemoryCapExceeded {}

pub struct Host {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
    hooks: OutgoingHooks,
    pub memory: MemoryTracker,
    /// Checked on every epoch tick while the guest runs.
    pub deadline: Instant,
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for Host {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// Keeps this store's share of `Stats::linear_memory_bytes` up to date and its memories (all
/// together) under `cap_bytes`; the share is given back when the store (and with it this tracker)
/// is dropped.
pub struct MemoryTracker {
    stats: Arc<Stats>,
    bytes: u64,
    cap_bytes: usize,
}

impl MemoryTracker {
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl ResourceLimiter for MemoryTracker {
    // Called with current = 0 when a memory is created, then on every memory.grow.
    fn memory_growing(&mut self, current: usize, desired: usize, _max: Option<usize>) -> wasmtime::Result<bool> {
        let delta = desired.saturating_sub(current) as u64;
        // An Err (not Ok(false), which memory.grow would report as -1 to a guest that may ignore
        // it) traps: a tenant that reaches its cap is stopped and counted as a fault.
        if self.bytes + delta > self.cap_bytes as u64 {
            return Err(MemoryCapExceeded {
                cap_bytes: self.cap_bytes,
            }
            .into());
        }
        self.bytes += delta;
        self.stats.linear_memory_bytes.fetch_add(delta, Ordering::Relaxed);
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, _desired: usize, _max: Option<usize>) -> wasmtime::Result<bool> {
        Ok(true)
    }
}

impl Drop for MemoryTracker {
    fn drop(&mut self) {
        self.stats.linear_memory_bytes.fetch_sub(self.bytes, Ordering::Relaxed);
    }
}

pub fn build_linker(engine: &Engine) -> wasmtime::Result<Linker<Host>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
    Ok(linker)
}

/// What a store is limited to: its tenant's memory cap and guest output limit.
pub struct StoreLimits {
    pub cap_bytes: usize,
    /// None: stdout and stderr are discarded (the reference's stores, which belong to no tenant).
    pub output: Option<Arc<GuestOutputLimit>>,
    /// Its outgoing grants and environment (the default: none).
    pub access: Access,
}

/// A fresh store: no args, no preopens, no sockets, only the tenant's own environment and
/// outgoing grants; stdout and stderr go to the host's stderr through the tenant's output limit.
pub fn new_store(engine: &Engine, stats: &Arc<Stats>, deadline: Instant, limits: &StoreLimits) -> Store<Host> {
    let mut builder = WasiCtx::builder();
    builder.allow_tcp(false).allow_udp(false).allow_ip_name_lookup(false);
    builder.envs(&limits.access.env);
    if let Some(output) = &limits.output {
        builder.stdout(GuestOutput(output.clone())).stderr(GuestOutput(output.clone()));
    }
    let wasi = builder.build();
    let host = Host {
        wasi,
        http: WasiHttpCtx::new(),
        table: ResourceTable::new(),
        hooks: OutgoingHooks {
            grants: limits.access.grants.clone(),
            deadline,
        },
        memory: MemoryTracker {
            stats: stats.clone(),
            bytes: 0,
            cap_bytes: limits.cap_bytes,
        },
        deadline,
    };
    let mut store = Store::new(engine, host);
    store.limiter(|h| &mut h.memory);
    // Wake up on every epoch tick (10 ms): yield so a busy guest never pins a tokio
    // worker, and trap once the request's deadline has passed.
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(|ctx| {
        if Instant::now() >= ctx.data().deadline {
            Err(DeadlineExceeded.into())
        } else {
            // tokio's yield_now goes to the back of the run queue; a plain self-wake
            // would take the LIFO slot and starve the other tasks on this worker.
            Ok(UpdateDeadline::YieldCustom(1, Box::pin(tokio::task::yield_now())))
        }
    });
    store
}

/// Arms the deadline for the next guest call on a (possibly reused) store.
pub fn arm_deadline(store: &mut Store<Host>, deadline: Instant) {
    store.data_mut().deadline = deadline;
    store.data_mut().hooks.deadline = deadline;
    store.set_epoch_deadline(1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenants::{CallError, classify};
    use wasmtime::{Instance, Module};

    const GROWER: &str = r#"(module (memory 1) (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))"#;

    fn store_with_cap(cap_bytes: usize) -> (Store<MemoryTracker>, Arc<Stats>) {
        let engine = Engine::default();
        let stats = Arc::new(Stats::default());
        let tracker = MemoryTracker {
            stats: stats.clone(),
            bytes: 0,
            cap_bytes,
        };
        let mut store = Store::new(&engine, tracker);
        store.limiter(|t| t);
        (store, stats)
    }

    #[test]
    fn growing_past_the_cap_traps_as_a_memory_cap_fault_and_counts_what_was_granted() {
        let (mut store, stats) = store_with_cap(3 << 16);
        let module = Module::new(store.engine(), GROWER).unwrap();
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let grow = instance.get_typed_func::<i32, i32>(&mut store, "grow").unwrap();
        assert_eq!(grow.call(&mut store, 2).unwrap(), 1, "up to the cap: granted");
        assert_eq!(stats.linear_memory_bytes.load(Ordering::Relaxed), 3 << 16);
        let err = grow.call(&mut store, 1).unwrap_err();
        assert!(matches!(classify(err), CallError::MemoryCap(0)));
        assert_eq!(store.data().bytes(), 3 << 16);
    }

    #[test]
    fn an_initial_memory_over_the_cap_fails_instantiation() {
        let (mut store, _) = store_with_cap(1 << 15);
        let module = Module::new(store.engine(), GROWER).unwrap();
        let err = Instance::new(&mut store, &module, &[]).unwrap_err();
        assert!(matches!(classify(err), CallError::MemoryCap(_)));
    }
}
