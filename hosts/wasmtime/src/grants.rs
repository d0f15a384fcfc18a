//! Outgoing HTTP, granted per tenant: the URL prefixes a tenant may call (given when it is added)
//! and the wasi:http hooks that send a granted request and deny every other one. A tenant with no
//! grants can reach nothing, as before grants existed.
//!
//! A grant is `scheme://host[:port]/path-prefix`: scheme, host and port must match exactly (the
//! port defaults by scheme), the path must start with the prefix at a segment boundary. Requests
//! whose URL could mean something else to the server that receives it are refused whatever the
//! grants say: userinfo, `.` or `..` segments (raw or percent-encoded), encoded `/` or `\`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use http::Uri;
use http::uri::Scheme;
use wasmtime_wasi_http::{Error, RequestOptions, WasiBody, WasiHttpHooks};

/// One granted URL prefix, normalised (lower-case scheme and host, explicit port).
#[derive(Debug, Clone, PartialEq)]
struct Prefix {
    scheme: String,
    host: String,
    port: u16,
    path: String,
}

/// What one tenant may call.
#[derive(Debug, Default)]
pub struct Grants {
    prefixes: Vec<Prefix>,
    /// Requests this tenant made outside its grants.
    pub denied: AtomicU64,
}

impl Grants {
    /// Parses the grant list of an add-tenant request; the error names the grant and what is wrong.
    pub fn parse(list: &[String]) -> Result<Grants, String> {
        let mut prefixes = Vec::with_capacity(list.len());
        for grant in list {
            let uri: Uri = grant
                .parse()
                .map_err(|e| format!("outgoing: {grant:?} is not a URL ({e})"))?;
            let bad = |why: &str| format!("outgoing: {grant:?}: {why}");
            if uri.query().is_some() {
                return Err(bad("a grant is a prefix: no query"));
            }
            let path = uri.path();
            let prefix = endpoint(&uri).map_err(|why| bad(why))?;
            if suspicious_path(path) {
                return Err(bad("the path may not hold `.` or `..` segments, `%2f`, `%5c` or `\\`"));
            }
            prefixes.push(Prefix {
                path: path.to_string(),
                ..prefix
            });
        }
        Ok(Grants {
            prefixes,
            denied: AtomicU64::new(0),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.prefixes.is_empty()
    }

    /// Whether a request to `uri` is granted.
    pub fn admits(&self, uri: &Uri) -> bool {
        if self.is_empty() {
            return false;
        }
        let Ok(target) = endpoint(uri) else { return false };
        let path = uri.path();
        if suspicious_path(path) {
            return false;
        }
        self.prefixes.iter().any(|p| {
            p.scheme == target.scheme
                && p.host == target.host
                && p.port == target.port
                && (path == p.path
                    || p.path.ends_with('/') && path.starts_with(&p.path)
                    || path.starts_with(&p.path) && path[p.path.len()..].starts_with('/'))
        })
    }
}

/// Scheme, host and port of an absolute URL (path left empty); userinfo is refused.
fn endpoint(uri: &Uri) -> Result<Prefix, &'static str> {
    let scheme = uri.scheme().ok_or("expected an absolute URL with a scheme")?;
    let default_port = if *scheme == Scheme::HTTP {
        80
    } else if *scheme == Scheme::HTTPS {
        443
    } else {
        return Err("the scheme must be http or https");
    };
    let authority = uri.authority().ok_or("expected a host")?;
    if authority.as_str().contains('@') {
        return Err("userinfo (user@) is not allowed");
    }
    if authority.host().is_empty() {
        return Err("expected a host");
    }
    Ok(Prefix {
        scheme: scheme.as_str().to_ascii_lowercase(),
        host: authority.host().to_ascii_lowercase(),
        port: authority.port_u16().unwrap_or(default_port),
        path: String::new(),
    })
}

/// A path another server could resolve differently from its bytes: dot segments (also
/// percent-encoded), an encoded slash or backslash, a raw backslash.
fn suspicious_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains('\\') {
        return true;
    }
    lower
        .split('/')
        .any(|segment| matches!(segment.replace("%2e", ".").as_str(), "." | ".."))
}

/// Kept back from a granted call's time for the caller to answer once it failed: a tenth of what
/// is left of its deadline, at most this.
const ANSWER_RESERVE_MAX: Duration = Duration::from_millis(100);

/// A store's wasi:http hooks: granted requests go out through wasmtime-wasi-http's default
/// sender, bounded by the current request's deadline; the rest get `HTTP-request-denied`.
pub struct OutgoingHooks {
    pub grants: Arc<Grants>,
    /// The deadline of the request the store serves now (re-armed with each request).
    pub deadline: Instant,
}

type SendResult = wasmtime_wasi_http::Result<(
    http::Response<WasiBody>,
    Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
)>;

impl WasiHttpHooks for OutgoingHooks {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _fut: Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
    ) -> Box<dyn Future<Output = SendResult> + Send> {
        if !self.grants.admits(request.uri()) {
            self.grants.denied.fetch_add(1, Ordering::Relaxed);
            return Box::new(async { Err(Error::HttpRequestDenied) });
        }
        // While the guest waits on a response it runs no code, so the epoch deadline cannot stop
        // it: every timeout of the request is capped at what is left of the deadline instead,
        // less a reserve in which the caller can still answer (a stage that never answers is then
        // the caller's 502, not the caller's own deadline fault).
        let left = self.deadline.saturating_duration_since(Instant::now());
        let left = left - (left / 10).min(ANSWER_RESERVE_MAX);
        let cap = |t: Option<Duration>| Some(t.map_or(left, |t| t.min(left)));
        let options = RequestOptions {
            connect_timeout: cap(options.and_then(|o| o.connect_timeout)),
            first_byte_timeout: cap(options.and_then(|o| o.first_byte_timeout)),
            between_bytes_timeout: cap(options.and_then(|o| o.between_bytes_timeout)),
        };
        Box::new(async move {
            use http_body_util::BodyExt;
            let sent =
                tokio::time::timeout(left, wasmtime_wasi_http::default_send_request(request, Some(options))).await;
            let (response, io) = sent.map_err(|_| Error::ConnectionTimeout)??;
            Ok((
                response.map(BodyExt::boxed_unsync),
                Box::new(io) as Box<dyn Future<Output = _> + Send>,
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grants(list: &[&str]) -> Grants {
        Grants::parse(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    fn admits(g: &Grants, url: &str) -> bool {
        g.admits(&url.parse::<Uri>().unwrap())
    }

    #[test]
    fn no_grants_admit_nothing() {
        let g = grants(&[]);
        assert!(g.is_empty());
        assert!(!admits(&g, "http://127.0.0.1:8080/t/check/check"));
    }

    #[test]
    fn scheme_host_and_port_match_exactly_and_the_path_by_prefix() {
        let g = grants(&["http://127.0.0.1:8080/t/check-1/"]);
        assert!(admits(&g, "http://127.0.0.1:8080/t/check-1/check"));
        assert!(admits(&g, "http://127.0.0.1:8080/t/check-1/"));
        assert!(admits(&g, "HTTP://127.0.0.1:8080/t/check-1/check?x=1"));
        assert!(!admits(&g, "https://127.0.0.1:8080/t/check-1/check"), "other scheme");
        assert!(!admits(&g, "http://127.0.0.1:8081/t/check-1/check"), "other port");
        assert!(
            !admits(&g, "http://127.0.0.1/t/check-1/check"),
            "default port is 80, not 8080"
        );
        assert!(!admits(&g, "http://localhost:8080/t/check-1/check"), "other host name");
        assert!(!admits(&g, "http://127.0.0.2:8080/t/check-1/check"), "other address");
        assert!(!admits(&g, "http://127.0.0.1:8080/t/front-1/order"), "other tenant");
        assert!(
            !admits(&g, "http://127.0.0.1:8080/t/check-10/check"),
            "prefix is a string, not a segment, only with its /"
        );
        assert!(!admits(&g, "http://127.0.0.1:8080/_control/tenants"));
    }

    #[test]
    fn a_prefix_without_a_trailing_slash_ends_at_a_segment() {
        let g = grants(&["http://127.0.0.1:8080/t/check-1"]);
        assert!(admits(&g, "http://127.0.0.1:8080/t/check-1"));
        assert!(admits(&g, "http://127.0.0.1:8080/t/check-1/check"));
        assert!(!admits(&g, "http://127.0.0.1:8080/t/check-10/check"));
        assert!(!admits(&g, "http://127.0.0.1:8080/t/check-1x"));
    }

    #[test]
    fn the_default_port_follows_the_scheme() {
        let g = grants(&["https://example.org/api/"]);
        assert!(admits(&g, "https://example.org:443/api/x"));
        assert!(admits(&g, "https://EXAMPLE.org/api/x"));
        assert!(!admits(&g, "http://example.org/api/x"));
        assert!(!admits(&g, "http://example.org:443/api/x"));
    }

    #[test]
    fn dot_segments_and_encoded_separators_are_refused() {
        let g = grants(&["http://127.0.0.1:8080/t/check-1/"]);
        for url in [
            "http://127.0.0.1:8080/t/check-1/../front-1/order",
            "http://127.0.0.1:8080/t/check-1/%2e%2e/front-1/order",
            "http://127.0.0.1:8080/t/check-1/%2E./front-1/order",
            "http://127.0.0.1:8080/t/check-1/./check",
            "http://127.0.0.1:8080/t/check-1/..%2ffront-1",
            "http://127.0.0.1:8080/t/check-1/..%5Cfront-1",
            "http://127.0.0.1:8080/t/check-1/%2F..%2Ffront-1",
        ] {
            assert!(!admits(&g, url), "{url}");
        }
        assert!(
            admits(&g, "http://127.0.0.1:8080/t/check-1/a%20b"),
            "other escapes are plain bytes"
        );
    }

    #[test]
    fn userinfo_is_refused_in_requests_and_grants() {
        let g = grants(&["http://127.0.0.1:8080/t/check-1/"]);
        assert!(!admits(&g, "http://user@127.0.0.1:8080/t/check-1/check"));
        assert!(!admits(&g, "http://127.0.0.1:8080@evil.example:8080/t/check-1/check"));
        assert!(Grants::parse(&["http://u:p@127.0.0.1:8080/".into()]).is_err());
    }

    #[test]
    fn bad_grants_say_what_is_wrong() {
        for (grant, says) in [
            ("/t/x/", "scheme"),
            ("ftp://127.0.0.1/x/", "http or https"),
            ("http://127.0.0.1:8080/t/x/?q=1", "no query"),
            ("http://127.0.0.1:8080/t/../x/", "`..`"),
            ("not a url", "not a URL"),
        ] {
            let err = Grants::parse(&[grant.into()]).unwrap_err();
            assert!(err.contains(says), "{grant}: {err}");
            assert!(err.starts_with("outgoing: "), "{err}");
        }
    }
}
