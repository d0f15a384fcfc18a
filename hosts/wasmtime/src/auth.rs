//! The control secret (see src/wasm-host/protocol.ts): taken out of the environment at start,
//! compared in constant time with every control request's `authorization` header.

use sha2::{Digest, Sha256};

pub const SECRET_ENV: &str = "COLDBENCH_CONTROL_SECRET";

/// The digest of `Bearer <secret>`: comparing digests takes the same time whatever was sent.
pub struct Secret([u8; 32]);

/// Reads the secret and removes it from the environment, so nothing the host starts inherits it.
/// Call only while the process has a single thread.
pub fn take_secret() -> Option<Secret> {
    let value = std::env::var(SECRET_ENV).ok().filter(|v| !v.is_empty());
    // SAFETY: the caller runs before any other thread exists.
    unsafe { std::env::remove_var(SECRET_ENV) };
    value.map(|v| Secret(Sha256::digest(format!("Bearer {v}").as_bytes()).into()))
}

impl Secret {
    pub fn admits(&self, header: Option<&[u8]>) -> bool {
        let Some(header) = header else { return false };
        let sent: [u8; 32] = Sha256::digest(header).into();
        // Every byte is compared, with no early exit.
        sent.iter().zip(self.0.iter()).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
    }
}
