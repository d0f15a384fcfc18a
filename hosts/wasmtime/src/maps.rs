//! Guard against running out of memory mappings (vm.max_map_count, 65,530 by default).
//!
//! Measured with hello-c in the per-tenant model: each pooled fiber stack costs 2 mappings
//! from start-up and each live tenant about 3 more, so 12,000 tenants use ~62,000. At the
//! limit mmap fails, and a failing malloc aborts the whole process: better to refuse new
//! tenants with a clear error while there is still room.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Mappings kept free for malloc, per-request instances and the kernel's own splits.
const RESERVE: usize = 2048;
/// Upper bound of the mappings one add creates (hello-c: 3; a JS component: a few more).
const MAX_MAPS_PER_ADD: usize = 16;
/// Estimate used only for the start-up warning.
const MAPS_PER_TENANT: usize = 3;

pub struct MapGuard {
    limit: usize,
    /// Adds so far, and the add at which the mappings must be counted again: counting
    /// takes ~15 ms at 60,000 mappings, so it is done only as often as the room left
    /// requires (every add only in the last few hundred mappings).
    adds: AtomicUsize,
    next_count_at: AtomicUsize,
    last_count: AtomicUsize,
}

fn max_map_count() -> usize {
    std::fs::read_to_string("/proc/sys/vm/max_map_count")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(65_530)
}

fn count_maps() -> usize {
    std::fs::read("/proc/self/maps")
        .map(|b| b.iter().filter(|&&c| c == b'\n').count())
        .unwrap_or(0)
}

impl MapGuard {
    pub fn new() -> Self {
        Self::with_limit(max_map_count())
    }

    fn with_limit(limit: usize) -> Self {
        Self {
            limit,
            adds: AtomicUsize::new(0),
            next_count_at: AtomicUsize::new(0),
            last_count: AtomicUsize::new(0),
        }
    }

    /// One stderr line when --max-tenants tenants cannot fit under this limit.
    pub fn warn_if_short(&self, tenants: u32) {
        // The pool (stacks included) is already mapped: what is left is per tenant.
        let projected = count_maps() + tenants as usize * MAPS_PER_TENANT;
        if projected + RESERVE > self.limit {
            eprintln!(
                "coldbench-wasmtime-host: warning: {tenants} tenants need about {projected} memory mappings, \
                 vm.max_map_count is {}: adds will be refused near it (raise vm.max_map_count to reach {tenants})",
                self.limit
            );
        }
    }

    /// Err(message) when adding one more tenant could exhaust the mappings.
    pub fn check(&self) -> Result<(), String> {
        let n = self.adds.fetch_add(1, Ordering::Relaxed);
        if n >= self.next_count_at.load(Ordering::Relaxed) {
            let count = count_maps();
            let room = self.limit.saturating_sub(count + RESERVE);
            self.last_count.store(count, Ordering::Relaxed);
            self.next_count_at
                .store(n + (room / MAX_MAPS_PER_ADD).max(1), Ordering::Relaxed);
        }
        let count = self.last_count.load(Ordering::Relaxed);
        if count + RESERVE > self.limit {
            return Err(format!(
                "too many memory mappings ({count} of vm.max_map_count {}): raise vm.max_map_count",
                self.limit
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_while_there_is_room_and_counts_only_as_often_as_needed() {
        let guard = MapGuard::with_limit(count_maps() + RESERVE + 100 * MAX_MAPS_PER_ADD);
        guard.check().unwrap();
        // About 100 adds of room: the next count is due after ~100 adds, not at the next one.
        let next = guard.next_count_at.load(Ordering::Relaxed);
        assert!((50..=101).contains(&next), "next count at add {next}");
        for _ in 1..next {
            guard.check().unwrap();
        }
    }

    #[test]
    fn refuses_in_one_line_when_the_mappings_run_short() {
        let guard = MapGuard::with_limit(count_maps() + RESERVE / 2);
        let err = guard.check().unwrap_err();
        assert!(err.starts_with("too many memory mappings"), "{err}");
        assert!(err.contains("raise vm.max_map_count"));
        // Near the limit every add counts again.
        assert_eq!(guard.next_count_at.load(Ordering::Relaxed), 1);
    }
}
