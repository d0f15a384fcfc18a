//! Guest stdout/stderr, limited per tenant (the V8 host's src/wasm-host/guest-output.ts does the
//! same): a tenant that prints in a loop must neither fill the host's stderr nor silence the other
//! tenants. A token bucket per tenant (burst `BURST_BYTES`, refilled at `BYTES_PER_SEC`): a write
//! beyond it is truncated, the rest dropped and counted, and the next write that fits first says
//! how many bytes were dropped.

use std::io::Write;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;
use tokio::io::AsyncWrite;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};

pub const BURST_BYTES: f64 = 8.0 * 1024.0;
pub const BYTES_PER_SEC: f64 = 4.0 * 1024.0;

struct Bucket {
    tokens: f64,
    last: Instant,
    dropped_since_note: u64,
}

/// One tenant's limit, shared by every store the tenant gets (per-request serving makes one per request).
pub struct GuestOutputLimit {
    tenant: String,
    bucket: Mutex<Bucket>,
    /// Bytes dropped since the tenant was added.
    pub dropped_bytes: AtomicU64,
}

impl GuestOutputLimit {
    pub fn new(tenant: &str) -> Arc<Self> {
        Arc::new(Self {
            tenant: tenant.to_string(),
            bucket: Mutex::new(Bucket {
                tokens: BURST_BYTES,
                last: Instant::now(),
                dropped_since_note: 0,
            }),
            dropped_bytes: AtomicU64::new(0),
        })
    }

    /// What of `bytes` may be written now, after the note about earlier drops (if one is due).
    fn admit(&self, bytes: &[u8], now: Instant) -> (Option<String>, usize) {
        let mut b = self.bucket.lock().unwrap();
        b.tokens = (b.tokens + now.duration_since(b.last).as_secs_f64() * BYTES_PER_SEC).min(BURST_BYTES);
        b.last = now;
        let mut note = None;
        if b.dropped_since_note > 0 && b.tokens >= 1.0 {
            note = Some(format!(
                "[coldbench: tenant {}: {} bytes of guest output dropped]\n",
                self.tenant, b.dropped_since_note
            ));
            b.dropped_since_note = 0;
        }
        let allowed = bytes.len().min(b.tokens.max(0.0).floor() as usize);
        b.tokens -= allowed as f64;
        let dropped = (bytes.len() - allowed) as u64;
        b.dropped_since_note += dropped;
        self.dropped_bytes.fetch_add(dropped, Ordering::Relaxed);
        (note, allowed)
    }

    fn write(&self, bytes: &[u8]) {
        let (note, allowed) = self.admit(bytes, Instant::now());
        let mut err = std::io::stderr().lock();
        if let Some(note) = note {
            let _ = err.write_all(note.as_bytes());
        }
        if allowed > 0 {
            let _ = err.write_all(&bytes[..allowed]);
        }
    }
}

/// The stdout and stderr a tenant's WASI context gets.
#[derive(Clone)]
pub struct GuestOutput(pub Arc<GuestOutputLimit>);

impl IsTerminal for GuestOutput {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for GuestOutput {
    fn async_stream(&self) -> Box<dyn AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

impl AsyncWrite for GuestOutput {
    // Never blocks the guest: what does not fit is dropped, so a write always completes at once.
    fn poll_write(self: Pin<&mut Self>, _cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        self.0.write(buf);
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_passes_the_rest_is_dropped_counted_and_noted_once_tokens_return() {
        let limit = GuestOutputLimit::new("noisy");
        let t0 = Instant::now();
        let big = vec![b'x'; 10 * 1024];
        let (note, allowed) = limit.admit(&big, t0);
        assert_eq!((note, allowed), (None, 8 * 1024));
        assert_eq!(limit.dropped_bytes.load(Ordering::Relaxed), 2 * 1024);
        // Nothing refilled: all dropped, no note yet.
        assert_eq!(limit.admit(b"abc", t0).1, 0);
        // A second later 4 KiB are back: the note comes first, naming the tenant and the count.
        let (note, allowed) = limit.admit(b"hello\n", t0 + Duration::from_secs(1));
        assert_eq!(note.as_deref(), Some("[coldbench: tenant noisy: 2051 bytes of guest output dropped]\n"));
        assert_eq!(allowed, 6);
        assert_eq!(limit.dropped_bytes.load(Ordering::Relaxed), 2051);
    }

    #[test]
    fn tenants_do_not_share_a_bucket() {
        let noisy = GuestOutputLimit::new("noisy");
        let quiet = GuestOutputLimit::new("quiet");
        let t0 = Instant::now();
        noisy.admit(&vec![0; 64 * 1024], t0);
        assert_eq!(quiet.admit(b"still heard\n", t0).1, 12);
        assert_eq!(quiet.dropped_bytes.load(Ordering::Relaxed), 0);
    }
}
