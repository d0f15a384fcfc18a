//! coldbench wasmtime host: one process, many wasi:http/proxy tenants.
//!
//! Usage: coldbench-wasmtime-host --port PORT --cache-dir DIR --artifacts DIR
//!        --instance-model per-request|per-tenant [--request-timeout-ms N] [--max-tenants N]
//!        [--max-memory-mib N]
//!        [--pool-keep-resident BYTES] [--pagemap-scan auto|yes|no]
//!        [--decommit-batch N] [--memories-per-component N] [--tokio-runtime current-thread|multi-thread]
//! with the control secret in COLDBENCH_CONTROL_SECRET (see src/wasm-host/protocol.ts).

mod access;
mod auth;
mod cli;
mod engine;
mod grants;
mod guest_output;
mod host;
mod ids;
mod maps;
mod pre_cache;
mod limits;
mod reference;
mod responses;
mod server;
mod tenants;

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// Epoch tick: the granularity of deadlines and of yielding a busy guest.
const EPOCH_TICK: Duration = Duration::from_millis(10);

fn main() {
    // wasmtime-wasi creates errors on ordinary paths (stream closed, ...); with
    // RUST_BACKTRACE=1 inherited from the harness each one would capture a backtrace,
    // measured here at 15-30 % of per-request throughput. RUST_LIB_BACKTRACE governs
    // only such captures; panics still honour RUST_BACKTRACE.
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        // SAFETY: first statement of main, before any other thread exists.
        unsafe { std::env::set_var("RUST_LIB_BACKTRACE", "0") };
    }
    // Also before any thread: removing a variable is only sound while no one else reads the environment.
    let Some(secret) = auth::take_secret() else {
        eprintln!("coldbench-wasmtime-host: the control secret is missing (environment variable {})", auth::SECRET_ENV);
        std::process::exit(2);
    };
    let args = match cli::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("coldbench-wasmtime-host: {msg}");
            std::process::exit(2);
        }
    };
    if let Err(msg) = run(args, secret) {
        eprintln!("coldbench-wasmtime-host: {msg}");
        std::process::exit(1);
    }
}

fn run(args: cli::Args, secret: auth::Secret) -> Result<(), String> {
    watch_parent();

    let slots = engine::pool_slots(args.instance_model, args.max_tenants);
    let engine = engine::build_engine(slots, &args.pool).map_err(|e| format!("engine: {e:#}"))?;
    let map_guard = maps::MapGuard::new();
    if args.instance_model == cli::InstanceModel::PerTenant {
        map_guard.warn_if_short(args.max_tenants);
    }
    let linker = host::build_linker(&engine).map_err(|e| format!("linker: {e:#}"))?;
    let cache = engine::ComponentCache::new(&engine, &args.cache_dir)
        .map_err(|e| format!("cache dir {}: {e}", args.cache_dir.display()))?;

    // A plain thread, so ticks keep coming even when every tokio worker is busy.
    let ticker = engine.clone();
    std::thread::Builder::new()
        .name("epoch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(EPOCH_TICK);
                ticker.increment_epoch();
            }
        })
        .map_err(|e| e.to_string())?;

    let tokio_runtime = args.tokio_runtime;
    let registry = Arc::new(tenants::Registry::new(
        engine,
        linker,
        cache,
        map_guard,
        args.instance_model,
        args.pool,
        Duration::from_millis(args.request_timeout_ms),
        (args.max_memory_mib as usize) << 20,
        args.artifacts_dir,
        tokio_runtime,
    ));
    let secret = Arc::new(secret);

    let runtime = match tokio_runtime {
        cli::TokioRuntime::CurrentThread => tokio::runtime::Builder::new_current_thread(),
        cli::TokioRuntime::MultiThread => tokio::runtime::Builder::new_multi_thread(),
    }
    .enable_all()
    .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
            .await
            .map_err(|e| format!("listen on 127.0.0.1:{}: {e}", args.port))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "coldbench-wasm-host ready {port} {}", std::process::id());
        let _ = out.flush();
        drop(out);

        tokio::select! {
            _ = server::run(listener, registry, secret) => {}
            _ = shutdown_signal() => {}
        }
        Ok::<_, String>(())
    })?;
    // Skip dropping tenants one by one: the OS reclaims everything at once.
    std::process::exit(0);
}

async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}

/// Exits when the parent (the harness) dies, so a crashed run leaves no host behind.
fn watch_parent() {
    let parent = std::os::unix::process::parent_id();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(100));
            if std::os::unix::process::parent_id() != parent {
                std::process::exit(0);
            }
        }
    });
}
