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
//! Rows are processed in fixed blocks; each block adds its rows into its own per-centre sums
//! (per lane, see [`super::lanes`]), and the caller adds the blocks in block order, so sums
//! (and so centres) do not depend on the thread count.

use super::lanes::{LANES, lane_total};
use super::{dist2, row_len};

/// Rows per block.
pub(super) const BLOCK: usize = 4096;

/// What the centres did since the previous step, for loosening the bounds.
pub(super) struct Moves {
    /// Per centre `c`: `[distance c moved, largest move of another centre, half the distance
    /// of c to its nearest other centre]`.
    by_centre: Vec<[f64; 3]>,
}

impl Moves {
    /// Moves from `old` to `new` centres; `None` when some move is not a number (the next step
    /// then computes every distance).
    pub(super) fn new(old: &[f64], new: &[f64], d: usize) -> Option<Moves> {
        let moved: Vec<f64> = old.chunks_exact(d).zip(new.chunks_exact(d)).map(|(a, b)| dist2(a, b).sqrt()).collect();
        if moved.iter().any(|m| m.is_nan()) {
            return None;
        }
        // Largest move, the centre that made it, and the second largest move.
        let mut largest = (0.0, usize::MAX, 0.0);
        for (c, &m) in moved.iter().enumerate() {
            if m > largest.0 {
                largest = (m, c, largest.0);
            } else if m > largest.2 {
                largest.2 = m;
            }
        }
        let by_centre = new
            .chunks_exact(d)
            .zip(&moved)
            .enumerate()
            .map(|(c, (a, &m))| {
                let nearest = new
                    .chunks_exact(d)
                    .enumerate()
                    .filter(|&(o, _)| o != c)
                    .map(|(_, b)| dist2(a, b).sqrt())
                    .fold(f64::INFINITY, f64::min);
                let other = if c == largest.1 { largest.2 } else { largest.0 };
                [m, other, nearest / 2.0]
            })
            .collect();
        Some(Moves { by_centre })
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
fn nearest_two<const D: usize>(row: &[f64], centroids: &[f64], d: usize) -> (usize, f64, f64) {
    let d = row_len::<D>(d);
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

/// Runs the step on one block of rows, updating labels and bounds (`[upper, lower]` per row);
/// with `INERTIA` also sums the squared distances of the rows to their centres. Sums and
/// inertia are kept per lane (row `i` of the block in lane `i % LANES`), as the dense step
/// keeps them.
fn block<const D: usize, const INERTIA: bool>(
    x: &[f64],
    labels: &mut [u32],
    bounds: &mut [[f64; 2]],
    step: &Step<'_>,
) -> Block {
    let d = row_len::<D>(step.d);
    let (k, centroids) = (step.k, step.centroids);
    let mut sums = vec![0.0; LANES * k * d];
    let mut counts = vec![0; k];
    let mut inertia = [0.0; LANES];
    let mut changed = 0;
    let moves = step.moves.map(|m| m.by_centre.as_slice());
    let rows = x.chunks_exact(d).zip(labels.iter_mut()).zip(bounds.iter_mut());
    for (i, ((row, label), bound)) in rows.enumerate() {
        let mut exact = true;
        if let Some(moves) = moves {
            let own = *label as usize;
            let [moved, other, half_gap] = moves.get(own).copied().unwrap_or([f64::INFINITY, 0.0, f64::NAN]);
            let [upper, lower] = bound;
            *upper += moved;
            *lower -= other;
            let limit = lower.max(half_gap);
            exact = false;
            if !settled(*upper, step.margin, limit) {
                let centre = centroids.get(own * d..(own + 1) * d).unwrap_or(&[]);
                *upper = dist2(row, centre).sqrt();
                exact = !settled(*upper, step.margin, limit);
            }
        }
        if exact {
            let (c, e, second) = nearest_two::<D>(row, centroids, d);
            if *label as usize != c {
                changed += 1;
                *label = c as u32;
            }
            *bound = [e.sqrt(), second.sqrt()];
        }
        let c = *label as usize;
        let lane = i % LANES;
        if INERTIA {
            let e = centroids.get(c * d..(c + 1) * d).map_or(f64::INFINITY, |centre| dist2(row, centre));
            // Lloyd's step reports an infinite distance when no centre is at a comparable one.
            if let Some(s) = inertia.get_mut(lane) {
                *s += if e.is_nan() { f64::INFINITY } else { e };
            }
        }
        let at = (lane * k + c) * d;
        if let (Some(sum), Some(count)) = (sums.get_mut(at..at + d), counts.get_mut(c)) {
            sum.iter_mut().zip(row).for_each(|(s, v)| *s += v);
            *count += 1;
        }
    }
    let sums = (0..k * d)
        .map(|i| lane_total((0..LANES).map(|lane| sums.get(lane * k * d + i).copied().unwrap_or(0.0))))
        .collect();
    Block { changed, sums, counts, inertia: lane_total(inertia) }
}

/// Runs the step on every row; returns the block results in block order.
pub(super) fn assign<const D: usize, const INERTIA: bool>(
    x: &[f64],
    labels: &mut [u32],
    bounds: &mut [[f64; 2]],
    step: &Step<'_>,
) -> Vec<Block> {
    let d = row_len::<D>(step.d);
    let blocks = x.chunks(BLOCK * d).zip(labels.chunks_mut(BLOCK)).zip(bounds.chunks_mut(BLOCK));
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        let blocks: Vec<_> = blocks.collect();
        blocks.into_par_iter().map(|((x, l), u)| block::<D, INERTIA>(x, l, u, step)).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        blocks.map(|((x, l), u)| block::<D, INERTIA>(x, l, u, step)).collect()
    }
}

/// Squared distance of every row to its own centre, as Lloyd's step reports it.
pub(super) fn own_distances<const D: usize>(x: &[f64], d: usize, centroids: &[f64], labels: &[u32]) -> Vec<f64> {
    let d = row_len::<D>(d);
    x.chunks_exact(d)
        .zip(labels)
        .map(|(row, &c)| {
            let c = c as usize;
            let e = centroids.get(c * d..(c + 1) * d).map_or(f64::INFINITY, |centre| dist2(row, centre));
            if e.is_nan() { f64::INFINITY } else { e }
        })
        .collect()
}
