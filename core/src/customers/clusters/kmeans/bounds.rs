//! The assignment step of k-means with Hamerly's bounds (Hamerly 2010, "Making k-means even
//! faster").
//!
//! Every row keeps an upper bound on its distance to its own centre and a lower bound on its
//! distance to every other centre. When the centres move, the bounds are loosened by the
//! moves; a row whose upper bound is below both its lower bound and half the distance from its
//! centre to the nearest other centre cannot change cluster, and its distances are not
//! computed. The other rows are assigned exactly as Lloyd's step does (squared distances to
//! every centre, ties to the lowest centre), and a skip needs a margin far above rounding error,
//! so the labels are those of Lloyd's algorithm bit for bit.
//!
//! Rows are processed in fixed blocks; each block adds its rows in row order into its own
//! per-centre sums, and the caller adds the blocks in block order, so sums (and so centres)
//! do not depend on the thread count.

use super::{dist2, row_len};

/// Rows per block.
pub(super) const BLOCK: usize = 4096;

/// What the centres did since the previous step, for loosening the bounds.
pub(super) struct Moves {
    /// Distance each centre moved.
    pub(super) by_centre: Vec<f64>,
    /// Largest move, the centre that made it, and the second largest move.
    largest: (f64, usize, f64),
    /// Half the distance of each centre to its nearest other centre.
    half_gap: Vec<f64>,
}

impl Moves {
    /// Moves from `old` to `new` centres; `None` when some move is not a number (the next step
    /// then computes every distance).
    pub(super) fn new(old: &[f64], new: &[f64], d: usize) -> Option<Moves> {
        let by_centre: Vec<f64> =
            old.chunks_exact(d).zip(new.chunks_exact(d)).map(|(a, b)| dist2(a, b).sqrt()).collect();
        if by_centre.iter().any(|m| m.is_nan()) {
            return None;
        }
        let mut largest = (0.0, usize::MAX, 0.0);
        for (c, &m) in by_centre.iter().enumerate() {
            if m > largest.0 {
                largest = (m, c, largest.0);
            } else if m > largest.2 {
                largest.2 = m;
            }
        }
        let half_gap = new
            .chunks_exact(d)
            .enumerate()
            .map(|(c, a)| {
                let nearest = new
                    .chunks_exact(d)
                    .enumerate()
                    .filter(|&(o, _)| o != c)
                    .map(|(_, b)| dist2(a, b).sqrt())
                    .fold(f64::INFINITY, f64::min);
                nearest / 2.0
            })
            .collect();
        Some(Moves { by_centre, largest, half_gap })
    }

    /// Largest move of a centre other than `c`.
    #[inline]
    fn other_than(&self, c: usize) -> f64 {
        if c == self.largest.1 { self.largest.2 } else { self.largest.0 }
    }
}

/// One step's inputs.
pub(super) struct Step<'a> {
    /// Centres, row-major.
    pub(super) centroids: &'a [f64],
    /// Number of centres.
    pub(super) k: usize,
    /// Features per row.
    pub(super) d: usize,
    /// Moves since the previous step; `None`: compute every distance (first step).
    pub(super) moves: Option<&'a Moves>,
    /// Distance margin a skip needs (covers rounding of distances and bounds).
    pub(super) margin: f64,
    /// Also sum the squared distances of the rows to their centres.
    pub(super) inertia: bool,
}

/// Per-block result: label changes, per-centre sums and counts, inertia.
pub(super) struct Block {
    pub(super) changed: usize,
    pub(super) sums: Vec<f64>,
    pub(super) counts: Vec<usize>,
    pub(super) inertia: f64,
}

/// Whether a row whose distance to its centre is at most `upper` keeps that centre: every other
/// centre is at least `limit` away. False when a value is not a number.
#[inline(always)]
fn settled(upper: f64, margin: f64, limit: f64) -> bool {
    upper + margin < limit
}

/// Nearest centre (ties: lowest), its squared distance and the second smallest squared distance.
#[inline(always)]
fn nearest_two(row: &[f64], centroids: &[f64], d: usize) -> (usize, f64, f64) {
    let mut best = (0, f64::INFINITY);
    let mut second = f64::INFINITY;
    for (c, centre) in centroids.chunks_exact(d).enumerate() {
        let e = dist2(row, centre);
        if e < best.1 {
            second = best.1;
            best = (c, e);
        } else if e < second {
            second = e;
        }
    }
    (best.0, best.1, second)
}

/// Runs the step on one block of rows, updating labels and bounds (`[upper, lower]` per row).
fn block<const D: usize>(x: &[f64], labels: &mut [usize], bounds: &mut [[f64; 2]], step: &Step<'_>) -> Block {
    let d = row_len::<D>(step.d);
    let (k, centroids) = (step.k, step.centroids);
    let mut b = Block { changed: 0, sums: vec![0.0; k * d], counts: vec![0; k], inertia: 0.0 };
    for ((row, label), bound) in x.chunks_exact(d).zip(labels.iter_mut()).zip(bounds.iter_mut()) {
        let mut exact = false;
        if let Some(moves) = step.moves {
            let own = *label;
            let [upper, lower] = bound;
            *upper += moves.by_centre.get(own).copied().unwrap_or(f64::INFINITY);
            *lower -= moves.other_than(own);
            let limit = lower.max(moves.half_gap.get(own).copied().unwrap_or(f64::NAN));
            if !settled(*upper, step.margin, limit) {
                let centre = centroids.get(own * d..(own + 1) * d).unwrap_or(&[]);
                *upper = dist2(row, centre).sqrt();
                exact = !settled(*upper, step.margin, limit);
            }
        } else {
            exact = true;
        }
        if exact {
            let (c, e, second) = nearest_two(row, centroids, d);
            if *label != c {
                b.changed += 1;
                *label = c;
            }
            *bound = [e.sqrt(), second.sqrt()];
        }
        let c = *label;
        if step.inertia {
            let e = centroids.get(c * d..(c + 1) * d).map_or(f64::INFINITY, |centre| dist2(row, centre));
            // Lloyd's step reports an infinite distance when no centre is at a comparable one.
            b.inertia += if e.is_nan() { f64::INFINITY } else { e };
        }
        if let (Some(sum), Some(count)) = (b.sums.get_mut(c * d..(c + 1) * d), b.counts.get_mut(c)) {
            sum.iter_mut().zip(row).for_each(|(s, v)| *s += v);
            *count += 1;
        }
    }
    b
}

/// Runs the step on every row; returns the block results in block order.
pub(super) fn assign<const D: usize>(
    x: &[f64],
    labels: &mut [usize],
    bounds: &mut [[f64; 2]],
    step: &Step<'_>,
) -> Vec<Block> {
    let d = row_len::<D>(step.d);
    let blocks = x.chunks(BLOCK * d).zip(labels.chunks_mut(BLOCK)).zip(bounds.chunks_mut(BLOCK));
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        let blocks: Vec<_> = blocks.collect();
        blocks.into_par_iter().map(|((x, l), u)| block::<D>(x, l, u, step)).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        blocks.map(|((x, l), u)| block::<D>(x, l, u, step)).collect()
    }
}

/// Squared distance of every row to its own centre, as Lloyd's step reports it.
pub(super) fn own_distances<const D: usize>(x: &[f64], d: usize, centroids: &[f64], labels: &[usize]) -> Vec<f64> {
    let d = row_len::<D>(d);
    x.chunks_exact(d)
        .zip(labels)
        .map(|(row, &c)| {
            let e = centroids.get(c * d..(c + 1) * d).map_or(f64::INFINITY, |centre| dist2(row, centre));
            if e.is_nan() { f64::INFINITY } else { e }
        })
        .collect()
}
