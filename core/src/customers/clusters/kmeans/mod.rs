//! k-means on a flat row-major buffer: Lloyd's iterations from seeded greedy k-means++ starts.
//!
//! Every run draws its own starting centres from a deterministic generator seeded by the
//! options' seed and the run number. The assignment step gives exactly Lloyd's labels and is
//! computed one of two ways: with up to 8 centres and 2 to 4 values per row (RFM rows have 3),
//! every distance, side by side for several rows (stored in [`Groups`] once for all runs) and
//! without branches ([`dense`]); otherwise with Hamerly's bounds ([`bounds`]), which skip the
//! distance computations that cannot change a label. Both work on fixed blocks of rows whose
//! partial sums (kept per lane, [`lanes`]) are added in block order, so the result is the same
//! bit for bit with or without the `parallel` feature and on every thread count. Iterations
//! stop when no label changes or when the centres move less than `tolerance` × the mean
//! feature variance (squared distance, summed over centres), as scikit-learn's `tol` does; the
//! labels and inertia reported are those of a final assignment to the final centres.
//!
//! The kernels are compiled for 2, 3 and 4 features with the row length known at compile time
//! (RFM features have 3), and for any other length with it known at run time. The dense step
//! picks at run time the version of its kernel for the processor's vector instructions
//! (AVX-512, AVX2 or the portable one; [`dense::Kernel`]); all versions give the same result
//! bit for bit, and so does every target, the browser's included.

mod bounds;
mod dense;
mod init;
mod lanes;
mod rng;

use bounds::{Moves, Step};
use lanes::{Groups, LANES};
use rng::Rng;

/// One fitted run.
#[derive(Debug)]
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

/// The rows a run works on: `x` row-major with `d` values per row (`D` when fixed at compile
/// time), and in [`Groups`] when the dense step assigns them.
struct Rows<'a, const D: usize> {
    x: &'a [f64],
    d: usize,
    groups: Option<Groups<D>>,
    /// The version of the dense step's block kernel used.
    kernel: dense::Kernel,
}

/// What every run of a fit shares: the number of centres, the iteration limit, the tolerance
/// on the centres' squared shift and the version of the dense step's kernel.
struct Settings {
    k: usize,
    max_iterations: u64,
    tolerance: f64,
    kernel: dense::Kernel,
}

/// k-means from one seeded k-means++ start per seed, keeping the run of lowest inertia (the
/// earliest among equal ones); `None` without seeds. `x` holds `n >= k` finite rows of `d`
/// values.
pub(crate) fn best_run(
    x: &[f64],
    d: usize,
    k: usize,
    seeds: impl IntoIterator<Item = u64>,
    max_iterations: u64,
    tolerance: f64,
) -> Option<Run> {
    best_run_with(x, d, seeds, &Settings { k, max_iterations, tolerance, kernel: dense::Kernel::fastest() })
}

/// [`best_run`] with the given settings.
fn best_run_with(x: &[f64], d: usize, seeds: impl IntoIterator<Item = u64>, settings: &Settings) -> Option<Run> {
    match d {
        2 => best_of::<2>(x, d, seeds, settings),
        3 => best_of::<3>(x, d, seeds, settings),
        4 => best_of::<4>(x, d, seeds, settings),
        _ => best_of::<0>(x, d, seeds, settings),
    }
}

/// One k-means run from a seeded k-means++ start, with the fastest kernel of this processor.
#[cfg(test)]
fn run(x: &[f64], d: usize, k: usize, seed: u64, max_iterations: u64, tolerance: f64) -> Run {
    run_with(dense::Kernel::fastest(), x, d, k, seed, max_iterations, tolerance)
}

/// One k-means run from a seeded k-means++ start, with the dense step's `kernel`.
#[cfg(test)]
fn run_with(
    kernel: dense::Kernel,
    x: &[f64],
    d: usize,
    k: usize,
    seed: u64,
    max_iterations: u64,
    tolerance: f64,
) -> Run {
    let settings = Settings { k, max_iterations, tolerance, kernel };
    best_run_with(x, d, [seed], &settings).unwrap_or_else(|| Run {
        labels: Vec::new(),
        centroids: Vec::new(),
        inertia: f64::NAN,
    })
}

fn best_of<const D: usize>(
    x: &[f64],
    d: usize,
    seeds: impl IntoIterator<Item = u64>,
    settings: &Settings,
) -> Option<Run> {
    let groups = dense::fits::<D>(settings.k).then(|| Groups::<D>::new(x));
    let rows = Rows { x, d: row_len::<D>(d), groups, kernel: settings.kernel };
    let mut best: Option<Run> = None;
    for seed in seeds {
        let fit = run_rows(&rows, seed, settings);
        if best.as_ref().is_none_or(|b| fit.inertia < b.inertia) {
            best = Some(fit);
        }
    }
    best
}

/// How the assignment steps of a run are computed: every distance (few centres, rows of fixed
/// length), or with Hamerly's bounds.
enum Assigner {
    /// With the labels of the dense step: one byte each, padded like the groups.
    Dense(Vec<u8>),
    Bounded {
        bounds: Vec<[f64; 2]>,
        moves: Option<Moves>,
        margin: f64,
    },
}

impl Assigner {
    fn new<const D: usize>(rows: &Rows<'_, D>) -> Assigner {
        let (x, d) = (rows.x, rows.d);
        if let Some(groups) = &rows.groups {
            return Assigner::Dense(vec![dense::PADDING; groups.groups.len() * LANES]);
        }
        // Rounding error of a distance (and of the bounds kept over at most a few thousand
        // iterations) is a tiny multiple of 1e-16 times the largest row norm; a skip needs a
        // margin of 1e-9 times it, so it never decides a near tie that Lloyd's step decides.
        let largest_norm = for_blocks(x, d, |x| {
            vec![x.chunks_exact(d).map(|r| r.iter().map(|v| v * v).sum::<f64>()).fold(0.0, f64::max)]
        })
        .into_iter()
        .fold(0.0, f64::max);
        let margin = 1e-9 * (1.0 + largest_norm.sqrt());
        Assigner::Bounded { bounds: vec![[0.0, 0.0]; x.len() / d], moves: None, margin }
    }

    /// The dense step's labels of the latest step of the `n` rows; `None` for the bounded step,
    /// whose labels are the caller's.
    fn dense_labels(&self, n: usize) -> Option<impl Iterator<Item = u8> + '_> {
        match self {
            Assigner::Dense(own) => Some(own.iter().take(n).copied()),
            Assigner::Bounded { .. } => None,
        }
    }

    /// Copies the labels of the latest step of the `n` rows into `labels` (the bounded step's
    /// are `labels` already).
    fn labels_into(&self, labels: &mut Vec<u32>, n: usize) {
        if let Some(own) = self.dense_labels(n) {
            labels.clear();
            labels.extend(own.map(u32::from));
        }
    }

    /// The labels of the latest step of the `n` rows (the bounded step's are `labels`).
    fn final_labels(&self, labels: &[u32], n: usize) -> Vec<usize> {
        match self.dense_labels(n) {
            Some(own) => own.map(usize::from).collect(),
            None => labels.iter().map(|&l| l as usize).collect(),
        }
    }

    /// One assignment step (`labels` updated by the bounded step; the dense step keeps its
    /// own); the block results in block order.
    fn assign<const D: usize, const INERTIA: bool>(
        &mut self,
        rows: &Rows<'_, D>,
        labels: &mut [u32],
        centroids: &[f64],
        k: usize,
    ) -> Vec<bounds::Block> {
        match (self, &rows.groups) {
            (Assigner::Dense(own), Some(groups)) => dense::assign::<D, INERTIA>(rows.kernel, groups, own, centroids),
            (Assigner::Dense(_), None) => Vec::new(),
            (Assigner::Bounded { bounds, moves, margin }, _) => {
                let step = Step { centroids, k, d: rows.d, moves: moves.as_ref(), margin: *margin };
                bounds::assign::<D, INERTIA>(rows.x, labels, bounds, &step)
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

fn run_rows<const D: usize>(rows: &Rows<'_, D>, seed: u64, settings: &Settings) -> Run {
    let &Settings { k, max_iterations, tolerance, .. } = settings;
    let (x, d) = (rows.x, rows.d);
    let n = x.len() / d;
    let mut rng = Rng(seed);
    let mut centroids = init::init::<D>(rows, k, &mut rng);
    let mut assigner = Assigner::new::<D>(rows);
    // The bounded step's labels (the dense step keeps its own, copied here only to restart an
    // empty cluster).
    let mut labels = match assigner {
        Assigner::Dense(_) => Vec::new(),
        Assigner::Bounded { .. } => vec![u32::MAX; n],
    };
    for _ in 0..max_iterations {
        let blocks = assigner.assign::<D, false>(rows, &mut labels, &centroids, k);
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
                let dists = dists.get_or_insert_with(|| {
                    assigner.labels_into(&mut labels, n);
                    bounds::own_distances::<D>(x, d, &centroids, &labels)
                });
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
    let blocks = assigner.assign::<D, true>(rows, &mut labels, &centroids, k);
    let inertia = blocks.iter().map(|b| b.inertia).sum();
    Run { labels: assigner.final_labels(&labels, n), centroids, inertia }
}

/// The mean over the columns of `x` (rows of `d` values) of their variances (0 without rows),
/// `None` when `d` is 0 or a value is not finite. Two passes (sums, then squares around the means), each
/// summing per column by blocks of [`bounds::BLOCK`] rows (in parallel with the `parallel`
/// feature), blocks in order.
pub(crate) fn mean_variance(x: &[f64], d: usize) -> Option<f64> {
    match d {
        2 => mean_variance_of::<2>(x, d),
        3 => mean_variance_of::<3>(x, d),
        4 => mean_variance_of::<4>(x, d),
        _ => mean_variance_of::<0>(x, d),
    }
}

/// [`mean_variance`] with the row length `D` fixed at compile time (0: `d`).
fn mean_variance_of<const D: usize>(x: &[f64], d: usize) -> Option<f64> {
    let d = row_len::<D>(d);
    let n = x.len().checked_div(d)?;
    if n == 0 {
        return Some(0.0);
    }
    // Per block: the column sums, then 1 if every value is finite (else 0).
    let first = for_blocks(x, d, |x| {
        let mut finite = true;
        let mut sums = column_sums::<D>(x, d, |s, v, _| {
            finite &= v.is_finite();
            *s += v;
        });
        sums.push(if finite { 1.0 } else { 0.0 });
        sums
    });
    if first.chunks_exact(d + 1).any(|b| b.last() != Some(&1.0)) {
        return None;
    }
    let total = |blocks: &[f64], width: usize| {
        let mut total = vec![0.0; d];
        for b in blocks.chunks_exact(width) {
            total.iter_mut().zip(b).for_each(|(t, v)| *t += v);
        }
        total
    };
    let means: Vec<f64> = total(&first, d + 1).iter().map(|s| s / n as f64).collect();
    let second = for_blocks(x, d, |x| {
        column_sums::<D>(x, d, |s, v, j| {
            let m = means.get(j).copied().unwrap_or(0.0);
            *s += (v - m) * (v - m);
        })
    });
    Some(total(&second, d).iter().map(|s| s / n as f64).sum::<f64>() / d as f64)
}

/// Per column `j` of the rows of `x` (`d > 0` values each, `D` when fixed at compile time), the
/// sum from 0.0 of `add(sum, value, j)` over its values in row order; the sums are kept in
/// registers when `D` is fixed. `add` sees the values row by row, each row in column order.
#[inline(always)]
fn column_sums<const D: usize>(x: &[f64], d: usize, mut add: impl FnMut(&mut f64, f64, usize)) -> Vec<f64> {
    let mut rows = |sums: &mut [f64]| {
        for row in x.chunks_exact(d) {
            sums.iter_mut().zip(row).enumerate().for_each(|(j, (s, &v))| add(s, v, j));
        }
    };
    if D > 0 {
        let mut fixed = [0.0; D];
        rows(&mut fixed);
        fixed.to_vec()
    } else {
        let mut sums = vec![0.0; d];
        rows(&mut sums);
        sums
    }
}

/// `f` of each block of [`bounds::BLOCK`] rows of `x`, concatenated in block order.
fn for_blocks(x: &[f64], d: usize, f: impl Fn(&[f64]) -> Vec<f64> + Sync + Send) -> Vec<f64> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        x.par_chunks(bounds::BLOCK * d).flat_map_iter(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    x.chunks(bounds::BLOCK * d).flat_map(f).collect()
}

/// Seed of run `r`: the caller's seed mixed with the run number.
pub(crate) fn run_seed(seed: u64, r: usize) -> u64 {
    Rng(seed ^ (r as u64).wrapping_mul(0xd134_2543_de82_ef95)).next_u64()
}

#[cfg(test)]
mod tests;
