//! `POST /_control/reference`: the host's own instantiation floor, to set beside a run's cold-start
//! `instantiate` phase. Instantiates one component N times back to back from a single `ProxyPre`:
//! - `instantiate-bare`: the instantiation alone, into a store made beforehand (wasmtime's floor);
//! - `instantiate-contexts`: a new store with the WASI and HTTP contexts, limiter and deadline a
//!   tenant gets, then the instantiation: exactly what an add times as `instantiate`;
//! - `instantiate-after-gap` (when `gapMs` > 0): the same after the host sat idle for `gapMs`, as
//!   it does between two cold starts of a run.
//!
//! Each store is dropped (its pool slot given back) outside the timed part.

use bytes::Bytes;
use http::{Request, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

use crate::access::Access;
use crate::ids::valid_sha256;
use crate::responses::{error_json, json};
use crate::tenants::{Registry, classify};

const MAX_ITERATIONS: u32 = 10_000;
const MAX_GAP_MS: u64 = 10_000;
/// Bound on the time one request may spend sleeping between gap iterations.
const MAX_GAP_TOTAL_MS: u64 = 120_000;

#[derive(Debug, PartialEq, Eq)]
pub struct ReferenceArgs {
    pub component: String,
    pub iterations: u32,
    pub gap_ms: u64,
    pub gap_iterations: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Body {
    component: String,
    #[serde(default = "default_iterations")]
    iterations: u32,
    #[serde(default)]
    gap_ms: u64,
    #[serde(default = "default_gap_iterations")]
    gap_iterations: u32,
}

fn default_iterations() -> u32 {
    100
}

fn default_gap_iterations() -> u32 {
    10
}

/// Parses and checks the request body; Err is one line for a 400.
pub fn parse(body: &[u8]) -> Result<ReferenceArgs, String> {
    let b: Body = serde_json::from_slice(body).map_err(|e| format!("bad body: {e}"))?;
    if !valid_sha256(&b.component) {
        return Err("component: expected the sha256 of a component.wasm (64 lowercase hex digits)".into());
    }
    if !(1..=MAX_ITERATIONS).contains(&b.iterations) {
        return Err(format!(
            "iterations: expected 1 to {MAX_ITERATIONS}, got {}",
            b.iterations
        ));
    }
    if b.gap_ms > MAX_GAP_MS {
        return Err(format!("gapMs: expected 0 to {MAX_GAP_MS}, got {}", b.gap_ms));
    }
    if b.gap_iterations > MAX_ITERATIONS {
        return Err(format!(
            "gapIterations: expected 0 to {MAX_ITERATIONS}, got {}",
            b.gap_iterations
        ));
    }
    if b.gap_ms * u64::from(b.gap_iterations) > MAX_GAP_TOTAL_MS {
        return Err(format!(
            "gapMs x gapIterations: expected at most {MAX_GAP_TOTAL_MS} ms of gaps"
        ));
    }
    Ok(ReferenceArgs {
        component: b.component,
        iterations: b.iterations,
        gap_ms: b.gap_ms,
        gap_iterations: b.gap_iterations,
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Series {
    phase: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    gap_ms: Option<u64>,
    /// One figure per instantiation, in ms rounded to 0.1 µs.
    ms: Vec<f64>,
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 10_000.0).round() / 10_000.0
}

pub async fn handle(registry: &Registry, req: Request<Incoming>) -> http::Response<Full<Bytes>> {
    let Ok(body) = Limited::new(req.into_body(), 64 << 10).collect().await else {
        return error_json(StatusCode::BAD_REQUEST, "body unreadable or over 64 KiB");
    };
    let args = match parse(&body.to_bytes()) {
        Ok(a) => a,
        Err(m) => return error_json(StatusCode::BAD_REQUEST, &m),
    };
    match run(registry, &args).await {
        Ok(series) => json(StatusCode::OK, &serde_json::json!({ "series": series })),
        Err((status, message)) => error_json(status, &message),
    }
}

async fn run(registry: &Registry, args: &ReferenceArgs) -> Result<Vec<Series>, (StatusCode, String)> {
    let (pre, _, _) = registry
        .proxy_pre(&args.component)
        .await
        .map_err(|e| (e.status, e.message))?;
    let failed = |m: String| (StatusCode::INTERNAL_SERVER_ERROR, format!("instantiate: {m}"));
    let deadline = || Instant::now() + registry.timeout;

    let mut bare = Vec::with_capacity(args.iterations as usize);
    for _ in 0..args.iterations {
        let mut store = registry.new_store(deadline(), None, &Access::default());
        let t = Instant::now();
        let instance = pre.instantiate_async(&mut store).await;
        bare.push(ms(t.elapsed()));
        instance.map_err(|e| failed(classify(e).describe("reference")))?;
    }

    let with_contexts = |n: u32, gap: Duration| {
        let pre = &pre;
        async move {
            let mut out = Vec::with_capacity(n as usize);
            for _ in 0..n {
                if !gap.is_zero() {
                    tokio::time::sleep(gap).await;
                }
                let t = Instant::now();
                let instance = registry.instantiate(pre, deadline(), None, &Access::default()).await;
                out.push(ms(t.elapsed()));
                instance.map_err(|e| failed(e.describe("reference")))?;
            }
            Ok::<_, (StatusCode, String)>(out)
        }
    };
    let contexts = with_contexts(args.iterations, Duration::ZERO).await?;
    let mut series = vec![
        Series {
            phase: "instantiate-bare",
            gap_ms: None,
            ms: bare,
        },
        Series {
            phase: "instantiate-contexts",
            gap_ms: None,
            ms: contexts,
        },
    ];
    if args.gap_ms > 0 && args.gap_iterations > 0 {
        series.push(Series {
            phase: "instantiate-after-gap",
            gap_ms: Some(args.gap_ms),
            ms: with_contexts(args.gap_iterations, Duration::from_millis(args.gap_ms)).await?,
        });
    }
    Ok(series)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha() -> String {
        "ab".repeat(32)
    }

    #[test]
    fn defaults_fill_what_is_left_out() {
        let args = parse(format!(r#"{{"component":"{}"}}"#, sha()).as_bytes()).unwrap();
        assert_eq!(
            args,
            ReferenceArgs {
                component: sha(),
                iterations: 100,
                gap_ms: 0,
                gap_iterations: 10
            }
        );
    }

    #[test]
    fn every_field_is_read() {
        let body = format!(
            r#"{{"component":"{}","iterations":7,"gapMs":50,"gapIterations":3}}"#,
            sha()
        );
        let args = parse(body.as_bytes()).unwrap();
        assert_eq!((args.iterations, args.gap_ms, args.gap_iterations), (7, 50, 3));
    }

    #[test]
    fn bad_bodies_name_the_field() {
        let cases = [
            (r#"{"component":"x"}"#.to_string(), "component:"),
            (format!(r#"{{"component":"{}","iterations":0}}"#, sha()), "iterations:"),
            (
                format!(r#"{{"component":"{}","iterations":10001}}"#, sha()),
                "iterations:",
            ),
            (format!(r#"{{"component":"{}","gapMs":10001}}"#, sha()), "gapMs:"),
            (
                format!(r#"{{"component":"{}","gapMs":10000,"gapIterations":13}}"#, sha()),
                "gapMs x gapIterations",
            ),
            (format!(r#"{{"component":"{}","iterations":-1}}"#, sha()), "bad body"),
            (format!(r#"{{"component":"{}","extra":1}}"#, sha()), "unknown field"),
            ("not json".to_string(), "bad body"),
        ];
        for (body, expected) in cases {
            let err = parse(body.as_bytes()).expect_err(&body);
            assert!(err.contains(expected), "{body}: {err}");
        }
    }
}
