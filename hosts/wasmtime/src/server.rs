//! The HTTP front: the JSON control API under `/_control/` and tenant traffic under `/t/<id>/`.

use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tokio::net::TcpListener;
use wasmtime_wasi_http::io::TokioIo;

use crate::auth::Secret;
use crate::responses::{Resp, error_json, json, text};
use crate::engine::WASMTIME_VERSION;
use crate::ids::{valid_id, valid_sha256};
use crate::tenants::{AddReport, MAX_BODY_BYTES, Phase, Registry};


pub async fn run(listener: TcpListener, registry: Arc<Registry>, secret: Arc<Secret>) {
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(conn) => conn,
            // EMFILE and friends: back off instead of spinning.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let registry = registry.clone();
        let secret = secret.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let registry = registry.clone();
                let secret = secret.clone();
                async move { Ok::<_, Infallible>(route(&registry, &secret, req).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn route(registry: &Registry, secret: &Secret, req: Request<Incoming>) -> Resp {
    let path = req.uri().path().to_string();
    if let Some(rest) = path.strip_prefix("/t/") {
        let (id, _) = rest.split_once('/').unwrap_or((rest, ""));
        let id = id.to_string();
        return tenant_request(registry, &id, req).await;
    }
    if path.starts_with("/_control/") && !secret.admits(req.headers().get(header::AUTHORIZATION).map(|v| v.as_bytes())) {
        return error_json(StatusCode::UNAUTHORIZED, "the control API needs the host's secret");
    }
    let method = req.method().clone();
    match (method, path.as_str()) {
        (Method::GET, "/_control/health") => json(
            StatusCode::OK,
            &serde_json::json!({"ok": true, "pid": std::process::id()}),
        ),
        (Method::GET, "/_control/stats") => json(
            StatusCode::OK,
            &serde_json::json!({
                "pid": std::process::id(),
                "tenants": registry.count(),
                "linearMemoryBytes": registry.stats.linear_memory_bytes.load(Ordering::Relaxed),
                "faults": registry.stats.faults.load(Ordering::Relaxed),
                "maxMemoryBytes": registry.max_memory_bytes,
                "perTenant": per_tenant(registry),
                "instanceModel": registry.model.as_str(),
                "wasmtime": WASMTIME_VERSION,
                "settings": crate::engine::describe(&registry.pool, registry.tokio_runtime),
            }),
        ),
        (Method::POST, "/_control/tenants") => add_tenant(registry, req).await,
        (Method::POST, "/_control/reference") => crate::reference::handle(registry, req).await,
        (Method::DELETE, p) if p.starts_with("/_control/tenants/") => {
            let id = &p["/_control/tenants/".len()..];
            if registry.remove(id) {
                Response::builder()
                    .status(StatusCode::NO_CONTENT)
                    .body(Full::new(Bytes::new()))
                    .unwrap()
            } else {
                error_json(StatusCode::NOT_FOUND, "no such tenant")
            }
        }
        (_, p) if p.starts_with("/_control/") => error_json(StatusCode::NOT_FOUND, "no such control endpoint"),
        _ => text(StatusCode::NOT_FOUND, "not found\n"),
    }
}

/// Tenants with something to report, by id (HostStats.perTenant in src/wasm-host/protocol.ts).
fn per_tenant(registry: &Registry) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (id, faults, dropped, denied) in registry.troubled() {
        map.insert(
            id,
            serde_json::json!({ "faults": faults, "outputDroppedBytes": dropped, "outgoingDenied": denied }),
        );
    }
    serde_json::Value::Object(map)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AddBody {
    id: String,
    /// sha256 of the component.wasm, a directory name under --artifacts.
    component: String,
    #[serde(default = "root")]
    first_path: String,
    /// URL prefixes the tenant may call over wasi:http (grants.rs); none by default.
    #[serde(default)]
    outgoing: Vec<String>,
    /// The guest's environment variables; none by default.
    #[serde(default)]
    env: std::collections::BTreeMap<String, String>,
}

fn root() -> String {
    "/".into()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AddReply<'a> {
    id: &'a str,
    compile_cached: bool,
    phases: Vec<PhaseJson>,
    first_status: u16,
    linear_memory_bytes: u64,
    /// CLOCK_MONOTONIC (ns) as the reply is made: every process on the machine reads the same
    /// clock, so the prober can time the first response from here when it probes without
    /// waiting for this reply.
    replied_at_ns: u64,
}

#[derive(Serialize)]
struct PhaseJson {
    phase: &'static str,
    ms: f64,
}

async fn add_tenant(registry: &Registry, req: Request<Incoming>) -> Resp {
    // From the request's head (parsed by hyper) to the reply: the timed phases and the rest.
    let received = std::time::Instant::now();
    let Ok(body) = Limited::new(req.into_body(), 64 << 10).collect().await else {
        return error_json(StatusCode::BAD_REQUEST, "body unreadable or over 64 KiB");
    };
    let body: AddBody = match serde_json::from_slice(&body.to_bytes()) {
        Ok(b) => b,
        Err(e) => return error_json(StatusCode::BAD_REQUEST, &format!("bad body: {e}")),
    };
    if !valid_id(&body.id) {
        return error_json(StatusCode::BAD_REQUEST, "id must match ^[A-Za-z0-9._-]{1,128}$");
    }
    if !valid_sha256(&body.component) {
        return error_json(
            StatusCode::BAD_REQUEST,
            "component: expected the sha256 of a component.wasm (64 lowercase hex digits)",
        );
    }
    if !body.first_path.starts_with('/') {
        return error_json(StatusCode::BAD_REQUEST, "firstPath must start with /");
    }
    let access = match crate::access::Access::parse(&body.outgoing, &body.env) {
        Ok(a) => a,
        Err(e) => return error_json(StatusCode::BAD_REQUEST, &e),
    };
    match registry
        .add(&body.id, &body.component, &body.first_path, access)
        .await
    {
        Ok(AddReport {
            compile_cached,
            phases,
            first_status,
            linear_memory_bytes,
        }) => {
            let control = control_phase(received, &phases);
            let phases = phases
                .into_iter()
                .chain(std::iter::once(control))
                // Rounded to 0.1 µs: enough for a few-µs instantiate, no float noise.
                .map(|p| PhaseJson {
                    phase: p.phase,
                    ms: (p.ms * 10_000.0).round() / 10_000.0,
                })
                .collect();
            let reply = AddReply {
                id: &body.id,
                compile_cached,
                phases,
                first_status,
                linear_memory_bytes,
                replied_at_ns: monotonic_ns(),
            };
            json(StatusCode::CREATED, &reply)
        }
        Err(e) => error_json(e.status, &e.message),
    }
}

/// The machine's CLOCK_MONOTONIC in nanoseconds (what the prober's clock_gettime reads).
fn monotonic_ns() -> u64 {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes the timespec it is given; CLOCK_MONOTONIC always exists on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) };
    now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64
}

/// `control`: the add request's time in the host that no other phase covers (reading and parsing
/// the body, checks, cache lookups, registering the tenant), so a cold start's untimed remainder
/// splits into the host's part and the harness's.
fn control_phase(received: std::time::Instant, phases: &[Phase]) -> Phase {
    let total = received.elapsed().as_secs_f64() * 1000.0;
    Phase {
        phase: "control",
        ms: (total - phases.iter().map(|p| p.ms).sum::<f64>()).max(0.0),
    }
}

async fn tenant_request(registry: &Registry, id: &str, req: Request<Incoming>) -> Resp {
    let Some(tenant) = registry.get_when_added(id).await else {
        return text(StatusCode::NOT_FOUND, "no such tenant\n");
    };
    let (parts, body) = req.into_parts();
    // The guest sees the part after /t/<id>, query included.
    let path_and_query = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let rest = &path_and_query["/t/".len() + id.len()..];
    let target = if rest.is_empty() || rest.starts_with('?') {
        format!("/{rest}")
    } else {
        rest.to_string()
    };

    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return text(StatusCode::PAYLOAD_TOO_LARGE, "request body unreadable or too large\n"),
    };
    let mut builder = Request::builder().method(parts.method).uri(target.as_str());
    let headers = builder.headers_mut().unwrap();
    copy_end_to_end(&parts.headers, headers);
    if !headers.contains_key(header::HOST) {
        headers.insert(header::HOST, HeaderValue::from_static("localhost"));
    }
    let request = match builder.body(Full::new(body)) {
        Ok(r) => r,
        Err(e) => return text(StatusCode::BAD_REQUEST, &format!("bad request target: {e}\n")),
    };

    match registry.serve(&tenant, request).await {
        Ok(guest) => {
            let mut response = Response::builder().status(guest.status);
            copy_end_to_end(&guest.headers, response.headers_mut().unwrap());
            // The body is complete: hyper sets the real content-length.
            response.headers_mut().unwrap().remove(header::CONTENT_LENGTH);
            response.body(Full::new(guest.body)).unwrap()
        }
        Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, &e.describe(&tenant.id)),
    }
}

/// Copies headers minus the hop-by-hop ones (RFC 9110 7.6.1), which belong to one
/// connection and not to the message.
fn copy_end_to_end(from: &HeaderMap, to: &mut HeaderMap) {
    let listed: Vec<HeaderName> = from
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|n| HeaderName::from_bytes(n.trim().as_bytes()).ok())
        .collect();
    for (name, value) in from {
        let hop = matches!(
            name.as_str(),
            "connection"
                | "keep-alive"
                | "proxy-connection"
                | "proxy-authenticate"
                | "proxy-authorization"
                | "te"
                | "trailer"
                | "transfer-encoding"
                | "upgrade"
        ) || listed.contains(name);
        if !hop {
            to.append(name.clone(), value.clone());
        }
    }
}

