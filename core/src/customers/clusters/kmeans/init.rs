//! Greedy k-means++ starts.
//!
//! Each new centre is the best (lowest potential) of `2 + ln k` candidates drawn with
//! probability proportional to the squared distance to the nearest chosen centre. The candidate
//! draws use one running (prefix) sum of those distances, searched by bisection, and each
//! candidate's potential is a sum in row order: the same arithmetic, in the same order, on
//! every thread count. With the `parallel` feature the candidates of one round are scored
//! side by side.

use super::rng::Rng;
use super::{dist2, row_len};

/// A scored candidate: its row, the squared distance of every row to the nearest chosen
/// centre once it is added, and the sum of those distances.
struct Candidate {
    row: usize,
    closest: Vec<f64>,
    potential: f64,
}

/// Distances to the nearest chosen centre if `candidate` is added, and their sum in row order.
fn score<const D: usize>(x: &[f64], d: usize, closest: &[f64], candidate: &[f64], row: usize) -> Candidate {
    let d = row_len::<D>(d);
    let mut out = Vec::with_capacity(closest.len());
    let mut potential = 0.0;
    for (r, &c) in x.chunks_exact(d).zip(closest) {
        let e = c.min(dist2(r, candidate));
        potential += e;
        out.push(e);
    }
    Candidate { row, closest: out, potential }
}

/// Seeded greedy k-means++ centres (`k` rows of `x`, row-major).
pub(super) fn init<const D: usize>(x: &[f64], d: usize, k: usize, rng: &mut Rng) -> Vec<f64> {
    let d = row_len::<D>(d);
    let n = x.len() / d;
    let row = |i: usize| x.get(i * d..(i + 1) * d).unwrap_or(&[]);
    let mut centroids = Vec::with_capacity(k * d);
    let first = ((rng.unit() * n as f64) as usize).min(n.saturating_sub(1));
    centroids.extend_from_slice(row(first));
    let mut closest: Vec<f64> = x.chunks_exact(d).map(|r| dist2(r, row(first))).collect();
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
        #[cfg(feature = "parallel")]
        let scored: Vec<Candidate> = {
            use rayon::prelude::*;
            picks.par_iter().map(|&p| score::<D>(x, d, &closest, row(p), p)).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let scored: Vec<Candidate> = picks.iter().map(|&p| score::<D>(x, d, &closest, row(p), p)).collect();
        // The lowest potential wins; among equal potentials the earliest draw.
        let best = scored.into_iter().reduce(|best, c| if c.potential < best.potential { c } else { best });
        if let Some(best) = best {
            centroids.extend_from_slice(row(best.row));
            closest = best.closest;
        }
    }
    centroids
}
