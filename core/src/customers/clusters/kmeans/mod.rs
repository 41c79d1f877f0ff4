//! k-means on a flat row-major buffer: Lloyd's iterations from seeded greedy k-means++ starts.
//!
//! Every run draws its own starting centres from a deterministic generator seeded by the
//! options' seed and the run number. The assignment step gives exactly Lloyd's labels and is
//! computed one of two ways: with up to 8 centres and 2 to 4 values per row (RFM rows have 3),
//! every distance, side by side for several rows and without branches ([`dense`]); otherwise
//! with Hamerly's bounds ([`bounds`]), which skip the distance computations that cannot change
//! a label. Both work on fixed blocks of rows whose partial sums are added in block order, so
//! the result is the same bit for bit with or without the `parallel` feature and on every
//! thread count. Iterations stop when no label changes or when the centres move less than
//! `tolerance` × the mean feature variance (squared distance, summed over centres), as
//! scikit-learn's `tol` does; the labels and inertia reported are those of a final assignment
//! to the final centres.
//!
//! The kernels are compiled for 2, 3 and 4 features with the row length known at compile time
//! (RFM features have 3), and for any other length with it known at run time.

mod bounds;
mod dense;
mod init;
mod rng;

use bounds::{Moves, Step};
use rng::Rng;

/// One fitted run.
pub(crate) struct Run {
    pub(crate) labels: Vec<usize>,
    pub(crate) centroids: Vec<f64>,
    pub(crate) inertia: f64,
}

/// Row length: `D` when it is fixed at compile time (non-zero), else `d`.
#[inline(always)]
fn row_len<const D: usize>(d: usize) -> usize {
    if D == 0 { d } else { D }
}

/// Squared distance of two rows, summed in column order.
#[inline(always)]
fn dist2(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// One k-means run from a seeded k-means++ start. `x` holds `n >= k` finite rows of `d` values.
pub(crate) fn run(x: &[f64], d: usize, k: usize, seed: u64, max_iterations: u64, tolerance: f64) -> Run {
    match d {
        2 => run_rows::<2>(x, d, k, seed, max_iterations, tolerance),
        3 => run_rows::<3>(x, d, k, seed, max_iterations, tolerance),
        4 => run_rows::<4>(x, d, k, seed, max_iterations, tolerance),
        _ => run_rows::<0>(x, d, k, seed, max_iterations, tolerance),
    }
}

/// How the assignment steps of a run are computed: every distance (few centres, rows of fixed
/// length), or with Hamerly's bounds.
enum Assigner {
    Dense,
    Bounded { bounds: Vec<[f64; 2]>, moves: Option<Moves>, margin: f64 },
}

impl Assigner {
    fn new<const D: usize>(x: &[f64], d: usize, k: usize) -> Assigner {
        if dense::fits::<D>(k) {
            return Assigner::Dense;
        }
        // Rounding error of a distance (and of the bounds kept over at most a few thousand
        // iterations) is a tiny multiple of 1e-16 times the largest row norm; a skip needs a
        // margin of 1e-9 times it, so it never decides a near tie that Lloyd's step decides.
        let largest_norm = x.chunks_exact(d).map(|r| r.iter().map(|v| v * v).sum::<f64>()).fold(0.0, f64::max);
        let margin = 1e-9 * (1.0 + largest_norm.sqrt());
        Assigner::Bounded { bounds: vec![[0.0, 0.0]; x.len() / d], moves: None, margin }
    }

    /// One assignment step; the block results in block order.
    fn assign<const D: usize, const INERTIA: bool>(
        &mut self,
        x: &[f64],
        d: usize,
        labels: &mut [u32],
        centroids: &[f64],
        k: usize,
    ) -> Vec<bounds::Block> {
        match self {
            Assigner::Dense => dense::assign::<D, INERTIA>(x, d, labels, centroids),
            Assigner::Bounded { bounds, moves, margin } => {
                let step = Step { centroids, k, d, moves: moves.as_ref(), margin: *margin };
                bounds::assign::<D, INERTIA>(x, labels, bounds, &step)
            }
        }
    }

    /// Records that the centres moved from `old` to `new`.
    fn moved(&mut self, old: &[f64], new: &[f64], d: usize) {
        if let Assigner::Bounded { moves, .. } = self {
            *moves = Moves::new(old, new, d);
        }
    }
}

fn run_rows<const D: usize>(x: &[f64], d: usize, k: usize, seed: u64, max_iterations: u64, tolerance: f64) -> Run {
    let d = row_len::<D>(d);
    let n = x.len() / d;
    let mut rng = Rng(seed);
    let mut centroids = init::init::<D>(x, d, k, &mut rng);
    let mut labels = vec![u32::MAX; n];
    let mut assigner = Assigner::new::<D>(x, d, k);
    for _ in 0..max_iterations {
        let blocks = assigner.assign::<D, false>(x, d, &mut labels, &centroids, k);
        let changed: usize = blocks.iter().map(|b| b.changed).sum();
        let mut sums = vec![0.0; k * d];
        let mut counts = vec![0usize; k];
        for b in &blocks {
            sums.iter_mut().zip(&b.sums).for_each(|(s, v)| *s += v);
            counts.iter_mut().zip(&b.counts).for_each(|(s, v)| *s += v);
        }
        let mut next = sums;
        let mut taken: Vec<usize> = Vec::new();
        let mut dists: Option<Vec<f64>> = None;
        for (centre, &count) in next.chunks_exact_mut(d).zip(&counts) {
            if count > 0 {
                centre.iter_mut().for_each(|v| *v /= count as f64);
            } else {
                // An empty cluster restarts at the row farthest from its centre.
                let dists = dists.get_or_insert_with(|| bounds::own_distances::<D>(x, d, &centroids, &labels));
                let far = dists
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !taken.contains(i))
                    .fold(None::<(usize, f64)>, |b, (i, &e)| if b.is_none_or(|b| e > b.1) { Some((i, e)) } else { b });
                if let Some((i, _)) = far
                    && let Some(row) = x.get(i * d..(i + 1) * d)
                {
                    taken.push(i);
                    centre.copy_from_slice(row);
                }
            }
        }
        let shift: f64 = next.chunks_exact(d).zip(centroids.chunks_exact(d)).map(|(a, b)| dist2(a, b)).sum();
        assigner.moved(&centroids, &next, d);
        centroids = next;
        if changed == 0 || shift <= tolerance {
            break;
        }
    }
    let blocks = assigner.assign::<D, true>(x, d, &mut labels, &centroids, k);
    let inertia = blocks.iter().map(|b| b.inertia).sum();
    Run { labels: labels.into_iter().map(|l| l as usize).collect(), centroids, inertia }
}

/// Seed of run `r`: the caller's seed mixed with the run number.
pub(crate) fn run_seed(seed: u64, r: usize) -> u64 {
    Rng(seed ^ (r as u64).wrapping_mul(0xd134_2543_de82_ef95)).next_u64()
}

#[cfg(test)]
mod tests;
