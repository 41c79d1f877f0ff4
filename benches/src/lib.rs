//! Shared set-up for the criterion benches in `benches/`.
//!
//! Under `cargo bench` the benches run at full size; under `cargo test --benches` (test mode,
//! as CI runs them) they run once on small inputs so they stay quick.

pub mod recs_data;

/// Whether the bench binary runs as a real benchmark (`cargo bench`) rather than in test mode.
pub fn full_size() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// `full` when benchmarking for real, `small` in test mode.
pub fn size(full: usize, small: usize) -> usize {
    if full_size() { full } else { small }
}
