//! Rows side by side: groups of [`LANES`] rows stored column by column, and sums kept per lane.
//!
//! The kernels for short rows work on [`Groups`]: value `j` of [`LANES`] consecutive rows sits
//! in one array, so a centre's distances to all of them are computed together (the compiler
//! turns the lanes into vector instructions) without rearranging the rows on every step.
//!
//! Every sum over the rows of a run (cluster sums, inertia, k-means++ potentials and block
//! totals; not the feature variances that set the tolerance) is kept per lane: within a
//! block, row `i` adds into lane `i % LANES` in row order, and [`lane_total`] adds the lanes in
//! lane order. The vector kernels add this way without extra work, and the row-at-a-time
//! kernel does the same, so every kernel gives the same sums bit for bit.

/// Rows whose values are processed side by side: eight, one AVX-512 register of `f64` (two AVX2
/// registers, four SSE2 or NEON ones). The number fixes the order of every sum, so it is the
/// same on every target.
pub(super) const LANES: usize = 8;

/// The rows of a row-major matrix with `D` values per row, in groups of [`LANES`] rows:
/// `groups[g][j][l]` is value `j` of row `g * LANES + l`. The last group is padded with zeros.
pub(super) struct Groups<const D: usize> {
    pub(super) groups: Vec<[[f64; LANES]; D]>,
    /// Rows (the last group may hold fewer).
    pub(super) rows: usize,
}

impl<const D: usize> Groups<D> {
    /// Transposes `x` (its length a multiple of `D`) group by group.
    pub(super) fn new(x: &[f64]) -> Groups<D> {
        let rows = x.len().checked_div(D).unwrap_or(0);
        let group = |rows: &[f64]| {
            let mut group = [[0.0; LANES]; D];
            for (l, row) in rows.chunks_exact(D.max(1)).enumerate() {
                for (column, &v) in group.iter_mut().zip(row) {
                    if let Some(slot) = column.get_mut(l) {
                        *slot = v;
                    }
                }
            }
            group
        };
        // Collected straight into the new vector (no zeroing first).
        #[cfg(feature = "parallel")]
        let groups = {
            use rayon::prelude::*;
            x.par_chunks(D.max(1) * LANES).with_min_len(1024).map(group).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let groups = x.chunks(D.max(1) * LANES).map(group).collect();
        Groups { groups, rows }
    }
}

/// Squared distances to `centre` of the `W` rows of a group from lane `from` on, each summed in
/// column order (as Lloyd's step sums a distance).
#[inline(always)]
pub(super) fn lane_dist2<const D: usize, const W: usize>(
    rows: &[[f64; LANES]; D],
    from: usize,
    centre: &[f64],
) -> [f64; W] {
    let mut e = [0.0f64; W];
    for (column, &v) in rows.iter().zip(centre) {
        for (s, &r) in e.iter_mut().zip(column.iter().skip(from)) {
            let t = r - v;
            *s += t * t;
        }
    }
    e
}

/// The total of per-lane partial sums, added in lane order.
#[inline(always)]
pub(super) fn lane_total(lanes: impl IntoIterator<Item = f64>) -> f64 {
    lanes.into_iter().fold(0.0, |total, lane| total + lane)
}
