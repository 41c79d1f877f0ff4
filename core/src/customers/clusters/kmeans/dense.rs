//! The assignment step for few centres and short rows: every distance, without branches.
//!
//! With a handful of centres and short rows (RFM rows have 3 values), computing all distances
//! costs less than keeping and checking distance bounds. Rows come in [`Groups`] of [`LANES`];
//! each centre's distances to all rows of a group are computed together (the number of centres
//! is a compile-time constant of the kernel, so its loop unrolls and the centres stay in
//! registers), and the nearest centre of each row is kept by bit masks, not jumps. Each
//! distance is summed in column order and ties go to the lowest centre, exactly as in Lloyd's
//! step; cluster sums and inertia are kept per lane (see [`super::lanes`]), so labels, sums
//! and inertia are those of the reference step bit for bit. Rows are processed in the fixed
//! blocks of [`BLOCK`] rows of the bounded step.

use super::bounds::{BLOCK, Block};
use super::lanes::{Groups, LANES, lane_dist2, lane_total};

/// Most centres the dense step handles.
const MAX_K: usize = 8;

/// Whether the dense step handles `k` centres (rows of `D` > 0 values fixed at compile time).
pub(super) fn fits<const D: usize>(k: usize) -> bool {
    D > 0 && k <= MAX_K
}

/// Nearest centre (ties: lowest) of each row of a group and its squared distance (infinite
/// when no distance is below infinity).
#[inline(always)]
fn nearest<const D: usize, const K: usize>(
    rows: &[[f64; LANES]; D],
    centres: &[[f64; D]; K],
) -> ([u64; LANES], [f64; LANES]) {
    let mut best = [0u64; LANES];
    let mut best_e = [f64::INFINITY; LANES];
    for (c, centre) in centres.iter().enumerate() {
        let e = lane_dist2::<D>(rows, centre);
        let c = c as u64;
        for ((b, be), &s) in best.iter_mut().zip(best_e.iter_mut()).zip(&e) {
            let closer = u64::from(s < *be).wrapping_neg();
            *b = (*b & !closer) | (c & closer);
            *be = f64::from_bits((be.to_bits() & !closer) | (s.to_bits() & closer));
        }
    }
    (best, best_e)
}

/// The groups of a block of rows and their labels.
type GroupBlock<'a, const D: usize> = (&'a [[[f64; LANES]; D]], &'a mut [[u8; LANES]]);

/// A block's sums, per lane.
struct Acc<const D: usize> {
    changed: usize,
    sums: [[[f64; D]; MAX_K]; LANES],
    counts: [[usize; MAX_K]; LANES],
    inertia: [f64; LANES],
}

impl<const D: usize> Acc<D> {
    /// Assigns the first `valid` rows of a group (all [`LANES`] but in the last group).
    #[inline(always)]
    fn take<const K: usize, const INERTIA: bool>(
        &mut self,
        values: &[[f64; LANES]; D],
        labels: &mut [u8; LANES],
        centres: &[[f64; D]; K],
        valid: usize,
    ) {
        let (best, best_e) = nearest::<D, K>(values, centres);
        for l in 0..LANES.min(valid) {
            // `best` < K <= MAX_K.
            let c = (best[l] as usize).min(K.min(MAX_K) - 1);
            self.changed += usize::from(labels[l] as usize != c);
            labels[l] = c as u8;
            if INERTIA {
                self.inertia[l] += best_e[l];
            }
            for (s, column) in self.sums[l][c].iter_mut().zip(values) {
                *s += column[l];
            }
            self.counts[l][c] += 1;
        }
    }
}

/// Assigns the rows of one block: `groups` with their labels (padded like the groups; the
/// first `rows` of the block's lanes are rows).
fn block<const D: usize, const K: usize, const INERTIA: bool>(
    groups: &[[[f64; LANES]; D]],
    labels: &mut [[u8; LANES]],
    rows: usize,
    centres: &[[f64; D]; K],
) -> Block {
    let mut acc =
        Acc::<D> { changed: 0, sums: [[[0.0; D]; MAX_K]; LANES], counts: [[0; MAX_K]; LANES], inertia: [0.0; LANES] };
    // Groups of LANES rows, then the last group (padded) with fewer.
    let full = (rows / LANES).min(groups.len());
    let (full_groups, last) = groups.split_at(full);
    let (full_labels, last_labels) = labels.split_at_mut(full.min(labels.len()));
    for (values, labels) in full_groups.iter().zip(full_labels.iter_mut()) {
        acc.take::<K, INERTIA>(values, labels, centres, LANES);
    }
    if let (Some(values), Some(labels)) = (last.first(), last_labels.first_mut()) {
        acc.take::<K, INERTIA>(values, labels, centres, rows - full * LANES);
    }
    let Acc { changed, sums, counts, inertia } = acc;
    let mut block_sums = Vec::with_capacity(K * D);
    for c in 0..K.min(MAX_K) {
        for j in 0..D {
            block_sums.push(lane_total(sums.iter().map(|lane| lane[c][j])));
        }
    }
    let counts = (0..K.min(MAX_K)).map(|c| counts.iter().map(|lane| lane[c]).sum()).collect();
    Block { changed, sums: block_sums, counts, inertia: lane_total(inertia) }
}

/// Lloyd's assignment step of every row (when [`fits`]), given the labels of the previous
/// step padded like the groups (one byte each, as k <= 8); returns the block results in block
/// order, with the inertia when `INERTIA`.
pub(super) fn assign<const D: usize, const INERTIA: bool>(
    groups: &Groups<D>,
    labels: &mut [u8],
    centroids: &[f64],
) -> Vec<Block> {
    match centroids.len().checked_div(D).unwrap_or(0) {
        1 => assign_k::<D, 1, INERTIA>(groups, labels, centroids),
        2 => assign_k::<D, 2, INERTIA>(groups, labels, centroids),
        3 => assign_k::<D, 3, INERTIA>(groups, labels, centroids),
        4 => assign_k::<D, 4, INERTIA>(groups, labels, centroids),
        5 => assign_k::<D, 5, INERTIA>(groups, labels, centroids),
        6 => assign_k::<D, 6, INERTIA>(groups, labels, centroids),
        7 => assign_k::<D, 7, INERTIA>(groups, labels, centroids),
        8 => assign_k::<D, 8, INERTIA>(groups, labels, centroids),
        _ => Vec::new(),
    }
}

fn assign_k<const D: usize, const K: usize, const INERTIA: bool>(
    groups: &Groups<D>,
    labels: &mut [u8],
    centroids: &[f64],
) -> Vec<Block> {
    let centres: [[f64; D]; K] =
        std::array::from_fn(|c| std::array::from_fn(|j| centroids.get(c * D + j).copied().unwrap_or(0.0)));
    let (labels, _) = labels.as_chunks_mut::<LANES>();
    let per_block = BLOCK / LANES;
    let blocks = groups.groups.chunks(per_block).zip(labels.chunks_mut(per_block));
    let rows = groups.rows;
    let step = |(b, (g, l)): (usize, GroupBlock<'_, D>)| {
        block::<D, K, INERTIA>(g, l, rows.saturating_sub(b * BLOCK), &centres)
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        blocks.enumerate().collect::<Vec<_>>().into_par_iter().map(step).collect()
    }
    #[cfg(not(feature = "parallel"))]
    blocks.enumerate().map(step).collect()
}
