//! Limits the command line and the engine both hold to.

/// Largest linear memory a guest may have. Also the virtual reservation per pool slot:
/// small enough that 3 memories x 100,000 tenants, with their guards, fit in the 47-bit address
/// space (about 82 TiB of 128).
pub const MAX_MEMORY_BYTES: usize = 256 << 20;
