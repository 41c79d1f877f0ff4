//! The assignment step for few centres: every distance of every row, without branches.
//!
//! With a handful of centres and short rows (RFM rows have 3 values), computing all distances
//! costs less than keeping and checking distance bounds. Rows are taken [`LANES`] at a time,
//! transposed so that one value of each of them sits side by side, and each centre's distances
//! to all of them are computed together (the compiler turns the lanes into vector
//! instructions); the nearest centre of each row is kept by selects, not jumps. Each distance
//! is summed in column order and ties go to the lowest centre, exactly as in Lloyd's step, so
//! labels, sums and inertia are those of Lloyd's step bit for bit. Rows are processed in the
//! fixed blocks of [`BLOCK`] rows of the bounded step, with the same per-block sums.

use super::bounds::{BLOCK, Block};
use super::row_len;

/// Rows whose distances are computed side by side.
const LANES: usize = 4;

/// Whether the dense step handles `k` centres (rows of `D` > 0 values fixed at compile time).
pub(super) fn fits<const D: usize>(k: usize) -> bool {
    D > 0 && k <= 8
}

/// Nearest centre (ties: lowest) of each of `LANES` rows, given transposed (`rows[j][l]`: value
/// `j` of row `l`), and its squared distance (infinite when no distance is below infinity).
#[inline(always)]
fn nearest<const D: usize>(rows: &[[f64; LANES]; D], centres: &[[f64; D]]) -> ([f64; LANES], [f64; LANES]) {
    let mut best = [0.0f64; LANES];
    let mut best_e = [f64::INFINITY; LANES];
    for (c, centre) in centres.iter().enumerate() {
        let mut e = [0.0f64; LANES];
        for (column, &v) in rows.iter().zip(centre) {
            for (s, &r) in e.iter_mut().zip(column) {
                let t = r - v;
                *s += t * t;
            }
        }
        let c = c as f64;
        for ((b, be), &s) in best.iter_mut().zip(best_e.iter_mut()).zip(&e) {
            let better = s < *be;
            *b = if better { c } else { *b };
            *be = if better { s } else { *be };
        }
    }
    (best, best_e)
}

fn block<const D: usize, const INERTIA: bool>(x: &[f64], labels: &mut [u32], centres: &[[f64; D]]) -> Block {
    let k = centres.len();
    let mut b = Block { changed: 0, sums: vec![0.0; k * D], counts: vec![0; k], inertia: 0.0 };
    let take = |b: &mut Block, row: &[f64], label: &mut u32, c: usize, e: f64| {
        if *label as usize != c {
            b.changed += 1;
            *label = c as u32;
        }
        if INERTIA {
            b.inertia += e;
        }
        if let (Some(sum), Some(count)) = (b.sums.get_mut(c * D..(c + 1) * D), b.counts.get_mut(c)) {
            sum.iter_mut().zip(row).for_each(|(s, v)| *s += v);
            *count += 1;
        }
    };
    let mut groups = x.chunks_exact(D * LANES).zip(labels.chunks_exact_mut(LANES));
    for (group, group_labels) in &mut groups {
        let mut rows = [[0.0f64; LANES]; D];
        for (l, row) in group.chunks_exact(D).enumerate() {
            for (column, &v) in rows.iter_mut().zip(row) {
                if let Some(slot) = column.get_mut(l) {
                    *slot = v;
                }
            }
        }
        let (best, best_e) = nearest::<D>(&rows, centres);
        for (((row, label), &c), &e) in group.chunks_exact(D).zip(group_labels.iter_mut()).zip(&best).zip(&best_e) {
            take(&mut b, row, label, c as usize, e);
        }
    }
    // The last rows of the block, one at a time in the first lane.
    let done = x.len() / (D * LANES) * LANES;
    let rest = x.get(done * D..).unwrap_or(&[]);
    let rest_labels = labels.get_mut(done..).unwrap_or(&mut []);
    for (row, label) in rest.chunks_exact(D).zip(rest_labels.iter_mut()) {
        let mut rows = [[0.0f64; LANES]; D];
        for (column, &v) in rows.iter_mut().zip(row) {
            column[0] = v;
        }
        let (best, best_e) = nearest::<D>(&rows, centres);
        take(&mut b, row, label, best[0] as usize, best_e[0]);
    }
    b
}

/// Lloyd's assignment step of every row (when [`fits`]); returns the block results in block
/// order, with the inertia when `INERTIA`.
pub(super) fn assign<const D: usize, const INERTIA: bool>(
    x: &[f64],
    d: usize,
    labels: &mut [u32],
    centroids: &[f64],
) -> Vec<Block> {
    if D == 0 || row_len::<D>(d) != D {
        return Vec::new();
    }
    let centres: Vec<[f64; D]> =
        centroids.chunks_exact(D).map(|c| std::array::from_fn(|j| c.get(j).copied().unwrap_or(0.0))).collect();
    let blocks = x.chunks(BLOCK * D).zip(labels.chunks_mut(BLOCK));
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        let blocks: Vec<_> = blocks.collect();
        blocks.into_par_iter().map(|(x, l)| block::<D, INERTIA>(x, l, &centres)).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        blocks.map(|(x, l)| block::<D, INERTIA>(x, l, &centres)).collect()
    }
}
