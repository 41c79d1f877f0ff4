//! Greedy k-means++ starts.
//!
//! Each new centre is the best (lowest potential) of `2 + ln k` candidates drawn with
//! probability proportional to the squared distance to the nearest chosen centre. The candidate
//! draws use one running (prefix) sum of those distances, searched by bisection. All candidates
//! of a round are scored in one pass over the rows: each fixed block of rows sums, in row order,
//! its distances to the nearest chosen centre with each candidate added, and the blocks are
//! added in block order, so a potential is the same arithmetic on every thread count (with the
//! `parallel` feature the blocks run side by side). Only the winner's distances are kept.

use super::bounds::BLOCK;
use super::rng::Rng;
use super::{dist2, row_len};

/// Potentials of the `candidates` (row-major, `d` values each) over the rows of `x`: for each,
/// the sum of `min(closest, distance to the candidate)`, by blocks of [`BLOCK`] rows.
fn potentials<const D: usize>(x: &[f64], d: usize, closest: &[f64], candidates: &[f64]) -> Vec<f64> {
    let d = row_len::<D>(d);
    let trials = candidates.len() / d.max(1);
    let block = |(x, closest): (&[f64], &[f64])| -> Vec<f64> {
        let mut sums = vec![0.0; trials];
        for (r, &c) in x.chunks_exact(d).zip(closest) {
            for (s, candidate) in sums.iter_mut().zip(candidates.chunks_exact(d)) {
                *s += c.min(dist2(r, candidate));
            }
        }
        sums
    };
    let blocks = x.chunks(BLOCK * d).zip(closest.chunks(BLOCK));
    #[cfg(feature = "parallel")]
    let per_block: Vec<Vec<f64>> = {
        use rayon::prelude::*;
        blocks.collect::<Vec<_>>().into_par_iter().map(block).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let per_block: Vec<Vec<f64>> = blocks.map(block).collect();
    let mut total = vec![0.0; trials];
    for sums in &per_block {
        total.iter_mut().zip(sums).for_each(|(t, s)| *t += s);
    }
    total
}

/// `closest[i] = min(closest[i], distance of row i to centre)`.
fn add_centre<const D: usize>(x: &[f64], d: usize, closest: &mut [f64], centre: &[f64]) {
    let d = row_len::<D>(d);
    let update = |(x, closest): (&[f64], &mut [f64])| {
        for (r, c) in x.chunks_exact(d).zip(closest.iter_mut()) {
            *c = c.min(dist2(r, centre));
        }
    };
    let blocks = x.chunks(BLOCK * d).zip(closest.chunks_mut(BLOCK));
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        blocks.collect::<Vec<_>>().into_par_iter().for_each(update);
    }
    #[cfg(not(feature = "parallel"))]
    blocks.for_each(update);
}

/// Seeded greedy k-means++ centres (`k` rows of `x`, row-major).
pub(super) fn init<const D: usize>(x: &[f64], d: usize, k: usize, rng: &mut Rng) -> Vec<f64> {
    let d = row_len::<D>(d);
    let n = x.len() / d;
    let row = |i: usize| x.get(i * d..(i + 1) * d).unwrap_or(&[]);
    let mut centroids = Vec::with_capacity(k * d);
    let first = ((rng.unit() * n as f64) as usize).min(n.saturating_sub(1));
    centroids.extend_from_slice(row(first));
    let mut closest = vec![f64::INFINITY; n];
    add_centre::<D>(x, d, &mut closest, row(first));
    let trials = 2 + (k as f64).ln() as usize;
    let mut prefix = vec![0.0; n];
    for _ in 1..k {
        let mut acc = 0.0;
        for (p, &c) in prefix.iter_mut().zip(&closest) {
            acc += c;
            *p = acc;
        }
        let potential = acc;
        // The first row whose running sum passes the target (the last row if none does).
        let picks: Vec<usize> = (0..trials)
            .map(|_| {
                let target = rng.unit() * potential;
                let at = if target.is_nan() { n } else { prefix.partition_point(|&p| p <= target) };
                at.min(n.saturating_sub(1))
            })
            .collect();
        let candidates: Vec<f64> = picks.iter().flat_map(|&p| row(p)).copied().collect();
        let scores = potentials::<D>(x, d, &closest, &candidates);
        // The lowest potential wins; among equal potentials the earliest draw.
        let best = picks.iter().zip(&scores).reduce(|best, c| if c.1 < best.1 { c } else { best }).map(|(&p, _)| p);
        if let Some(best) = best {
            centroids.extend_from_slice(row(best));
            add_centre::<D>(x, d, &mut closest, row(best));
        }
    }
    centroids
}
