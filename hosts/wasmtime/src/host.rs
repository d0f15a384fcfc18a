//! What each Store carries: a locked-down WASI context, wasi:http state, a memory
//! tracker and the current request deadline.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use wasmtime::component::{Linker, ResourceTable};
use wasmtime::{Engine, ResourceLimiter, Store, UpdateDeadline};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks, WasiHttpView};

use crate::engine::MAX_MEMORY_BYTES;

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

pub struct Host {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
    hooks: DenyOutgoing,
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

/// Tenants may not make outgoing HTTP requests: they get `HTTP-request-denied`.
struct DenyOutgoing;

impl WasiHttpHooks for DenyOutgoing {
    fn send_request(
        &mut self,
        _request: http::Request<wasmtime_wasi_http::WasiBody>,
        _options: Option<wasmtime_wasi_http::RequestOptions>,
        _fut: Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
    ) -> Box<
        dyn Future<
                Output = wasmtime_wasi_http::Result<(
                    http::Response<wasmtime_wasi_http::WasiBody>,
                    Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
                )>,
            > + Send,
    > {
        Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) })
    }
}

/// Keeps this store's share of `Stats::linear_memory_bytes` up to date; the share is
/// given back when the store (and with it this tracker) is dropped.
pub struct MemoryTracker {
    stats: Arc<Stats>,
    bytes: u64,
}

impl MemoryTracker {
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl ResourceLimiter for MemoryTracker {
    // Called with current = 0 when a memory is created, then on every memory.grow.
    fn memory_growing(&mut self, current: usize, desired: usize, _max: Option<usize>) -> wasmtime::Result<bool> {
        if desired > MAX_MEMORY_BYTES {
            return Ok(false);
        }
        let delta = desired.saturating_sub(current) as u64;
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

/// A fresh store: no env, no args, no preopens, no network, stdio discarded.
pub fn new_store(engine: &Engine, stats: &Arc<Stats>, deadline: Instant) -> Store<Host> {
    let wasi = WasiCtx::builder()
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false)
        .build();
    let host = Host {
        wasi,
        http: WasiHttpCtx::new(),
        table: ResourceTable::new(),
        hooks: DenyOutgoing,
        memory: MemoryTracker {
            stats: stats.clone(),
            bytes: 0,
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
    store.set_epoch_deadline(1);
}
