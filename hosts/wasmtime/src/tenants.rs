//! Tenants: adding one (with phase timings), serving its requests in either instance
//! model, and turning traps and deadlines into faults instead of host failures.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use http_body_util::{BodyExt, Full};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, oneshot};
use wasmtime::component::Linker;
use wasmtime::{Engine, Store};
use wasmtime_wasi_http::WasiHttpView;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::{Proxy, ProxyPre};

use crate::access::Access;
use crate::cli::{InstanceModel, PoolTuning, TokioRuntime};
use crate::engine::{ComponentCache, LoadError, first_line};
use crate::guest_output::GuestOutputLimit;
use crate::host::{DeadlineExceeded, Host, MemoryCapExceeded, Stats, StoreLimits, arm_deadline, new_store};
use crate::maps::MapGuard;
use crate::pre_cache::PreCache;

/// Largest response body a guest may produce; beyond it the request fails with a 500.
pub const MAX_BODY_BYTES: usize = 64 << 20;
/// Extra time the host-side timeout allows beyond the guest deadline, so that a guest
/// stuck in wasm is reported by the epoch trap and one stuck waiting on the host by this.
const HOST_GRACE: Duration = Duration::from_millis(500);

pub struct Tenant {
    pub id: String,
    pre: ProxyPre<Host>,
    /// per-tenant model only: the persistent instance; `None` while a call has it out,
    /// or after a fault (then the next request instantiates a new one).
    live: tokio::sync::Mutex<Option<Live>>,
    /// This tenant's requests that trapped, hit the deadline or the memory cap.
    pub faults: AtomicU64,
    /// Its stdout and stderr, limited apart from every other tenant's.
    pub output: Arc<GuestOutputLimit>,
    /// Its outgoing grants and environment.
    pub access: Access,
}

struct Live {
    store: Store<Host>,
    proxy: Proxy,
}

pub struct GuestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

#[derive(Debug)]
pub enum CallError {
    /// The guest trapped (a fault).
    Trap(String),
    /// The guest ran past the request deadline (a fault).
    Deadline,
    /// The guest's linear memory would have passed its cap (a fault), in MiB.
    MemoryCap(usize),
    /// Anything else: no response set, an error code, a body over the cap...
    Failed(String),
}

impl CallError {
    fn is_fault(&self) -> bool {
        matches!(self, CallError::Trap(_) | CallError::Deadline | CallError::MemoryCap(_))
    }

    /// Text body for the 500 the client gets.
    pub fn describe(&self, tenant: &str) -> String {
        match self {
            CallError::Trap(m) => format!("tenant {tenant}: trap: {m}\n"),
            CallError::Deadline => format!("tenant {tenant}: deadline exceeded\n"),
            CallError::MemoryCap(mib) => format!("tenant {tenant}: memory cap exceeded ({mib} MiB)\n"),
            CallError::Failed(m) => format!("tenant {tenant}: error: {m}\n"),
        }
    }
}

pub(crate) fn classify(e: wasmtime::Error) -> CallError {
    if e.chain().any(|c| c.is::<DeadlineExceeded>()) {
        return CallError::Deadline;
    }
    if let Some(cap) = e.chain().find_map(|c| c.downcast_ref::<MemoryCapExceeded>()) {
        return CallError::MemoryCap(cap.cap_bytes >> 20);
    }
    // A full pool is our limit, not the guest's fault.
    if e.chain().any(|c| c.is::<wasmtime::PoolConcurrencyLimitError>()) {
        return CallError::Failed(first_line(&e));
    }
    // Anything else from a guest call (a trap, or a host call the guest misused) ends it.
    match e.downcast_ref::<wasmtime::Trap>() {
        Some(wasmtime::Trap::Interrupt) => CallError::Deadline,
        Some(trap) => CallError::Trap(trap.to_string()),
        None => CallError::Trap(first_line(&e)),
    }
}

pub struct Phase {
    pub phase: &'static str,
    pub ms: f64,
}

pub struct AddReport {
    pub compile_cached: bool,
    pub phases: Vec<Phase>,
    pub first_status: u16,
    pub linear_memory_bytes: u64,
}

pub struct AddError {
    pub status: StatusCode,
    pub message: String,
}

fn add_error(status: StatusCode, message: impl Into<String>) -> AddError {
    AddError {
        status,
        message: message.into(),
    }
}

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

pub struct Registry {
    engine: Engine,
    linker: Linker<Host>,
    cache: ComponentCache,
    maps: MapGuard,
    pub stats: Arc<Stats>,
    pub model: InstanceModel,
    /// The pool settings the engine was built with (reported by /_control/stats).
    pub pool: PoolTuning,
    /// The tokio runtime's flavour (reported by /_control/stats).
    pub tokio_runtime: TokioRuntime,
    pub timeout: Duration,
    /// Cap on each tenant's linear memory (--max-memory-mib).
    pub max_memory_bytes: usize,
    /// Built components by sha256 (--artifacts).
    artifacts_dir: PathBuf,
    tenants: RwLock<HashMap<String, Arc<Tenant>>>,
    /// Components linked against the host's imports, shared by their tenants.
    pres: PreCache,
    /// Ids being added right now: a second add of the same id gets 409, not a race.
    pending: Mutex<HashSet<String>>,
    /// Told whenever an add ends, so requests for a tenant being added can wait for it.
    add_ended: Notify,
}

/// Removes an id from `pending` however `add` ends, and wakes the requests waiting for it.
struct PendingGuard<'a>(&'a Registry, String);

impl Drop for PendingGuard<'_> {
    fn drop(&mut self) {
        self.0.pending.lock().unwrap().remove(&self.1);
        self.0.add_ended.notify_waiters();
    }
}

impl Registry {
    pub fn new(
        engine: Engine,
        linker: Linker<Host>,
        cache: ComponentCache,
        maps: MapGuard,
        model: InstanceModel,
        pool: PoolTuning,
        timeout: Duration,
        max_memory_bytes: usize,
        artifacts_dir: PathBuf,
        tokio_runtime: TokioRuntime,
    ) -> Self {
        Self {
            engine,
            linker,
            cache,
            maps,
            stats: Arc::new(Stats::default()),
            model,
            pool,
            tokio_runtime,
            timeout,
            max_memory_bytes,
            artifacts_dir,
            tenants: RwLock::new(HashMap::new()),
            pres: PreCache::default(),
            pending: Mutex::new(HashSet::new()),
            add_ended: Notify::new(),
        }
    }

    pub fn count(&self) -> usize {
        self.tenants.read().unwrap().len()
    }

    pub fn get(&self, id: &str) -> Option<Arc<Tenant>> {
        self.tenants.read().unwrap().get(id).cloned()
    }

    /// Tenant `id`, waiting for its add to end when it is being added: a request that arrives
    /// with its tenant's deploy is served once the tenant is there, as a platform scaling from
    /// zero holds it, instead of a 404. (The add's own deadline bounds the wait.)
    pub async fn get_when_added(&self, id: &str) -> Option<Arc<Tenant>> {
        loop {
            // Registered before the checks, so an add that ends in between still wakes it.
            let ended = self.add_ended.notified();
            if let Some(tenant) = self.get(id) {
                return Some(tenant);
            }
            if !self.pending.lock().unwrap().contains(id) {
                return None;
            }
            ended.await;
        }
    }

    pub fn remove(&self, id: &str) -> bool {
        // In-flight requests keep their Arc; the instance goes when the last one ends.
        self.tenants.write().unwrap().remove(id).is_some()
    }

    /// Counts a fault for the host and, once it exists, for the tenant.
    fn fault(&self, e: &CallError, tenant: Option<&Tenant>) {
        if e.is_fault() {
            self.stats.faults.fetch_add(1, Ordering::Relaxed);
            if let Some(t) = tenant {
                t.faults.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Tenants with a fault, dropped guest output or denied outgoing requests:
    /// (id, faults, dropped output bytes, outgoing requests denied).
    pub fn troubled(&self) -> Vec<(String, u64, u64, u64)> {
        let tenants = self.tenants.read().unwrap();
        tenants
            .values()
            .map(|t| {
                let faults = t.faults.load(Ordering::Relaxed);
                let denied = t.access.grants.denied.load(Ordering::Relaxed);
                (t.id.clone(), faults, t.output.dropped_bytes.load(Ordering::Relaxed), denied)
            })
            .filter(|(_, faults, dropped, denied)| *faults > 0 || *dropped > 0 || *denied > 0)
            .collect()
    }

    /// Adds tenant `id` running the component whose component.wasm has sha256 `component`
    /// (64 lowercase hex digits, checked by the caller).
    pub async fn add(&self, id: &str, component: &str, first_path: &str, access: Access) -> Result<AddReport, AddError> {
        {
            let tenants = self.tenants.read().unwrap();
            let mut pending = self.pending.lock().unwrap();
            if tenants.contains_key(id) || !pending.insert(id.to_string()) {
                return Err(add_error(StatusCode::CONFLICT, format!("tenant {id} exists")));
            }
        }
        let _guard = PendingGuard(self, id.to_string());
        self.maps
            .check()
            .map_err(|m| add_error(StatusCode::INTERNAL_SERVER_ERROR, m))?;
        let (pre, compile_cached, mut phases) = self.proxy_pre(component).await?;

        let output = GuestOutputLimit::new(id);
        let deadline = Instant::now() + self.timeout;
        let t = Instant::now();
        let (mut store, proxy) = self.instantiate(&pre, deadline, Some(&output), &access).await.map_err(|e| {
            self.fault(&e, None);
            add_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("instantiate: {}", e.describe(id).trim_end()),
            )
        })?;
        phases.push(Phase {
            phase: "instantiate",
            ms: ms_since(t),
        });

        let t = Instant::now();
        let request = http::Request::get(first_path)
            .header(http::header::HOST, "localhost")
            .body(Full::new(Bytes::new()))
            .map_err(|e| add_error(StatusCode::BAD_REQUEST, format!("bad firstPath: {e}")))?;
        let response = call(&mut store, &proxy, request, deadline).await.map_err(|e| {
            self.fault(&e, None);
            add_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("first call: {}", e.describe(id).trim_end()),
            )
        })?;
        phases.push(Phase {
            phase: "first-call",
            ms: ms_since(t),
        });
        let linear_memory_bytes = store.data().memory.bytes();

        // per-request: the store used for the first call ends here, like any request's.
        let live = match self.model {
            InstanceModel::PerTenant => Some(Live { store, proxy }),
            InstanceModel::PerRequest => {
                drop_after_reply(store);
                None
            }
        };
        let tenant = Arc::new(Tenant {
            id: id.to_string(),
            pre,
            live: tokio::sync::Mutex::new(live),
            faults: AtomicU64::new(0),
            output,
            access,
        });
        self.tenants.write().unwrap().insert(id.to_string(), tenant);

        Ok(AddReport {
            compile_cached,
            phases,
            first_status: response.status.as_u16(),
            linear_memory_bytes,
        })
    }

    /// The pre-linked component (compiled or loaded first when needed), whether no compile was
    /// needed, and the phases so far: compile or load (when they happened) and instantiate-pre.
    pub async fn proxy_pre(&self, component: &str) -> Result<(ProxyPre<Host>, bool, Vec<Phase>), AddError> {
        // No stat here: the cache stats the file once (a missing one is a 422 from there).
        let artifact = self.artifacts_dir.join(component).join("component.wasm");
        let mut phases = Vec::with_capacity(5);
        let loaded = self.cache.get(&artifact, component).await.map_err(|e| match e {
            LoadError::BadArtifact(m) => add_error(StatusCode::UNPROCESSABLE_ENTITY, m),
            LoadError::Internal(m) => add_error(StatusCode::INTERNAL_SERVER_ERROR, m),
        })?;
        if let Some(ms) = loaded.compile_ms {
            phases.push(Phase { phase: "compile", ms });
        }
        if let Some(ms) = loaded.load_ms {
            phases.push(Phase { phase: "load", ms });
        }

        let t = Instant::now();
        let (pre, cached) = self
            .pres
            .get_or_link(&loaded.key, &self.linker, &loaded.component)
            .map_err(|e| add_error(StatusCode::UNPROCESSABLE_ENTITY, first_line(&e)))?;
        // Like compile and load: a phase only when this call did it.
        if !cached {
            phases.push(Phase {
                phase: "instantiate-pre",
                ms: ms_since(t),
            });
        }
        Ok((pre, loaded.compile_ms.is_none(), phases))
    }

    /// A store with everything a tenant's store carries (WASI and HTTP contexts, limiter, deadline);
    /// `output`: the tenant's output limit (None: output discarded).
    pub fn new_store(&self, deadline: Instant, output: Option<&Arc<GuestOutputLimit>>, access: &Access) -> Store<Host> {
        let limits = StoreLimits {
            cap_bytes: self.max_memory_bytes,
            output: output.cloned(),
            access: access.clone(),
        };
        new_store(&self.engine, &self.stats, deadline, &limits)
    }

    /// A tenant's instantiation, as `add` and per-request serving do it: a new store, then the instance.
    pub async fn instantiate(
        &self,
        pre: &ProxyPre<Host>,
        deadline: Instant,
        output: Option<&Arc<GuestOutputLimit>>,
        access: &Access,
    ) -> Result<(Store<Host>, Proxy), CallError> {
        let mut store = self.new_store(deadline, output, access);
        let proxy = tokio::time::timeout_at((deadline + HOST_GRACE).into(), pre.instantiate_async(&mut store))
            .await
            .map_err(|_| CallError::Deadline)?
            .map_err(classify)?;
        Ok((store, proxy))
    }

    /// One request to a tenant, in the configured instance model.
    pub async fn serve(
        &self,
        tenant: &Tenant,
        request: http::Request<Full<Bytes>>,
    ) -> Result<GuestResponse, CallError> {
        let deadline = Instant::now() + self.timeout;
        let result = match self.model {
            InstanceModel::PerRequest => match self.instantiate(&tenant.pre, deadline, Some(&tenant.output), &tenant.access).await {
                Ok((mut store, proxy)) => {
                    let result = call(&mut store, &proxy, request, deadline).await;
                    drop_after_reply(store);
                    result
                }
                Err(e) => Err(e),
            },
            InstanceModel::PerTenant => {
                let mut slot = tenant.live.lock().await;
                // The instance is out of its slot while a call runs and goes back only after
                // a complete call. After a trap a component instance may not be entered again;
                // after a call abandoned half-way (a timeout, or the client hung up and hyper
                // dropped this future) its state is unknown: either way the next request
                // instantiates afresh.
                let mut live = match slot.take() {
                    Some(live) => live,
                    None => match self.instantiate(&tenant.pre, deadline, Some(&tenant.output), &tenant.access).await {
                        Ok((store, proxy)) => Live { store, proxy },
                        Err(e) => {
                            self.fault(&e, Some(tenant));
                            return Err(e);
                        }
                    },
                };
                let result = call(&mut live.store, &live.proxy, request, deadline).await;
                if result.is_ok() {
                    *slot = Some(live);
                }
                result
            }
        };
        if let Err(e) = &result {
            self.fault(e, Some(tenant));
        }
        result
    }
}

/// Drops a finished store in a task of its own, which runs once this request's task yields, after
/// hyper has written the reply: giving the pool slot back (resetting its memory) is then not in the
/// response's latency (the CPU is the same).
fn drop_after_reply(store: Store<Host>) {
    tokio::spawn(async move { drop(store) });
}

/// Calls the guest's incoming handler and reads the whole response (bounded).
async fn call(
    store: &mut Store<Host>,
    proxy: &Proxy,
    request: http::Request<Full<Bytes>>,
    deadline: Instant,
) -> Result<GuestResponse, CallError> {
    arm_deadline(store, deadline);
    let failed = |e: wasmtime::Error| CallError::Failed(first_line(&e));
    let (head_tx, mut head_rx) = oneshot::channel();
    let req = store
        .data_mut()
        .http()
        .new_incoming_request(Scheme::Http, request)
        .map_err(failed)?;
    let out = store.data_mut().http().new_response_outparam(head_tx).map_err(failed)?;

    // The guest runs while we read the body it streams, so a guest writing more than
    // the body buffer holds is never stuck waiting for us.
    let (done_tx, done_rx) = oneshot::channel::<()>();
    let guest = async {
        let r = proxy
            .wasi_http_incoming_handler()
            .call_handle(&mut *store, req, out)
            .await;
        let _ = done_tx.send(());
        r.map_err(classify)
    };
    let reader = async {
        let head = tokio::select! {
            biased;
            head = &mut head_rx => Some(head),
            _ = done_rx => None,
        };
        // Once `handle` has returned, a response that was not set never will be.
        let head = match head {
            Some(h) => h.ok(),
            None => head_rx.try_recv().ok(),
        };
        let response = match head {
            Some(Ok(r)) => r,
            Some(Err(code)) => return Err(CallError::Failed(format!("guest answered with error code {code:?}"))),
            None => return Err(CallError::Failed("guest did not set a response".into())),
        };
        let (parts, mut body) = response.into_parts();
        let mut buf = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| CallError::Failed(format!("response body: {e}")))?;
            if let Ok(data) = frame.into_data() {
                if buf.len() + data.len() > MAX_BODY_BYTES {
                    return Err(CallError::Failed(format!("response body over {MAX_BODY_BYTES} bytes")));
                }
                buf.extend_from_slice(&data);
            }
        }
        Ok(GuestResponse {
            status: parts.status,
            headers: parts.headers,
            body: Bytes::from(buf),
        })
    };
    match tokio::time::timeout_at((deadline + HOST_GRACE).into(), async {
        tokio::try_join!(guest, reader)
    })
    .await
    {
        Ok(Ok(((), response))) => Ok(response),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(CallError::Deadline),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtime::component::{Component, Linker};
    use wasmtime::{Config, InstanceAllocationStrategy, PoolingAllocationConfig};

    fn engine(component_slots: u32) -> Engine {
        let mut pool = PoolingAllocationConfig::new();
        pool.total_component_instances(component_slots);
        let mut config = Config::new();
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        Engine::new(&config).unwrap()
    }

    fn instantiate(engine: &Engine, store: &mut Store<()>, wat: &str) -> wasmtime::Result<()> {
        let component = Component::new(engine, wat)?;
        Linker::<()>::new(engine).instantiate(store, &component).map(|_| ())
    }

    #[test]
    fn a_deadline_is_a_deadline_however_it_is_wrapped() {
        let e = wasmtime::Error::new(DeadlineExceeded).context("calling handle");
        assert!(matches!(classify(e), CallError::Deadline));
        assert!(matches!(classify(wasmtime::Trap::Interrupt.into()), CallError::Deadline));
    }

    #[test]
    fn a_guest_trap_is_a_fault() {
        let engine = engine(4);
        let mut store = Store::new(&engine, ());
        let err = instantiate(
            &engine,
            &mut store,
            "(component (core module $m (func $f unreachable) (start $f)) (core instance (instantiate $m)))",
        )
        .unwrap_err();
        match classify(err) {
            CallError::Trap(m) => assert!(m.contains("unreachable"), "{m}"),
            other => panic!("expected a trap, got {other:?}"),
        }
        assert!(matches!(classify(wasmtime::Error::msg("host call misused")), CallError::Trap(_)));
    }

    #[test]
    fn a_full_pool_is_our_limit_not_a_fault() {
        let engine = engine(1);
        let mut first = Store::new(&engine, ());
        instantiate(&engine, &mut first, "(component)").unwrap();
        let mut second = Store::new(&engine, ());
        let err = instantiate(&engine, &mut second, "(component)").unwrap_err();
        let e = classify(err);
        assert!(matches!(e, CallError::Failed(_)), "{e:?}");
        assert!(!e.is_fault());
    }
}
