//! Limits the command line and the engine both hold to.

/// Largest linear memory a guest may have. Also the virtual reservation per pool slot:
/// small enough that 2 memories x 12,000 tenants fit in the 47-bit address space.
pub const MAX_MEMORY_BYTES: usize = 256 << 20;
