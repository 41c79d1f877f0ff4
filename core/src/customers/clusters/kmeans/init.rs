//! Greedy k-means++ starts.
//!
//! Each new centre is the best (lowest potential) of `2 + ln k` candidates drawn with
//! probability proportional to the squared distance to the nearest chosen centre. A draw finds
//! its block of rows by the running total of per-block sums (computed with the distances, in
//! parallel) and its row by a running sum within that block only. All candidates
//! of a round are scored in one pass over the rows: each fixed block of rows sums (per lane, see
//! [`super::lanes`]) its distances to the nearest chosen centre with each candidate added, and
//! the blocks are added in block order, so a potential is the same arithmetic on every thread
//! count (with the `parallel` feature the blocks run side by side). Only the winner's distances
//! are kept. When the dense step's [`Groups`] exist (up to 8 centres, 2 to 4 values per row),
//! rows are read from them, several side by side.

use super::bounds::BLOCK;
use super::lanes::{Groups, LANES, lane_dist2, lane_total};
use super::rng::Rng;
use super::{Rows, dist2, row_len};

/// Calls `f(group, closest, valid)` for each group of rows and its values of `closest` (the
/// last, shorter, slice padded with zeros; `valid` of its lanes are rows).
///
/// Callers mark `f` `#[inline(always)]`: inlined into both calls, the loop over the full groups
/// runs with `valid` a constant and its lanes unrolled (a pass of k-means++ took about twice
/// as long with `f` left a call).
#[inline(always)]
fn each_group<const D: usize>(
    groups: &[[[f64; LANES]; D]],
    closest: &[f64],
    mut f: impl FnMut(&[[f64; LANES]; D], &[f64; LANES], usize),
) {
    let (full, rest) = closest.as_chunks::<LANES>();
    for (rows, c) in groups.iter().zip(full) {
        f(rows, c, LANES);
    }
    if let Some(rows) = groups.get(full.len())
        && !rest.is_empty()
    {
        let mut padded = [0.0; LANES];
        padded.iter_mut().zip(rest).for_each(|(p, &c)| *p = c);
        f(rows, &padded, rest.len());
    }
}

/// [`each_group`] with `closest` to update.
#[inline(always)]
fn each_group_mut<const D: usize>(
    groups: &[[[f64; LANES]; D]],
    closest: &mut [f64],
    mut f: impl FnMut(&[[f64; LANES]; D], &mut [f64; LANES], usize),
) {
    let (full, rest) = closest.as_chunks_mut::<LANES>();
    for (rows, c) in groups.iter().zip(full.iter_mut()) {
        f(rows, c, LANES);
    }
    if let Some(rows) = groups.get(full.len())
        && !rest.is_empty()
    {
        let mut padded = [0.0; LANES];
        padded.iter_mut().zip(rest.iter()).for_each(|(p, &c)| *p = c);
        f(rows, &mut padded, rest.len());
        rest.iter_mut().zip(padded).for_each(|(c, p)| *c = p);
    }
}

/// Potentials of one block of rows: for each candidate, the sum of `min(closest, distance to
/// the candidate)`, per lane.
fn block_potentials<const D: usize>(
    x: &[f64],
    d: usize,
    groups: Option<&[[[f64; LANES]; D]]>,
    closest: &[f64],
    candidates: &[f64],
) -> Vec<f64> {
    let d = row_len::<D>(d);
    let mut sums = vec![[0.0f64; LANES]; candidates.len() / d.max(1)];
    // Groups exist for up to 8 centres, so a round has at most 2 + ln 8 = 4 candidates: one
    // kernel with their number fixed.
    match (groups, sums.len()) {
        (Some(groups), 1) => grouped_potentials::<D, 1>(groups, closest, candidates, &mut sums),
        (Some(groups), 2) => grouped_potentials::<D, 2>(groups, closest, candidates, &mut sums),
        (Some(groups), 3) => grouped_potentials::<D, 3>(groups, closest, candidates, &mut sums),
        (Some(groups), 4) => grouped_potentials::<D, 4>(groups, closest, candidates, &mut sums),
        _ => {
            for (i, (r, &c)) in x.chunks_exact(d).zip(closest).enumerate() {
                for (s, candidate) in sums.iter_mut().zip(candidates.chunks_exact(d)) {
                    if let Some(lane) = s.get_mut(i % LANES) {
                        *lane += c.min(dist2(r, candidate));
                    }
                }
            }
        }
    }
    sums.into_iter().map(lane_total).collect()
}

/// [`block_potentials`] of `T` candidates over groups of rows (the same sums, in the same
/// order).
fn grouped_potentials<const D: usize, const T: usize>(
    groups: &[[[f64; LANES]; D]],
    closest: &[f64],
    candidates: &[f64],
    sums: &mut [[f64; LANES]],
) {
    let candidates: [[f64; D]; T] =
        std::array::from_fn(|t| std::array::from_fn(|j| candidates.get(t * D + j).copied().unwrap_or(0.0)));
    let mut lanes = [[0.0f64; LANES]; T];
    each_group::<D>(
        groups,
        closest,
        #[inline(always)]
        |rows, c, valid| {
            for (s, candidate) in lanes.iter_mut().zip(&candidates) {
                let e = lane_dist2::<D, LANES>(rows, 0, candidate);
                for l in 0..LANES.min(valid) {
                    // `min(c, e)`: `c` is never NaN.
                    s[l] += if e[l] < c[l] { e[l] } else { c[l] };
                }
            }
        },
    );
    sums.iter_mut().zip(lanes).for_each(|(s, l)| *s = l);
}

/// Block of a block of rows: its rows and, when the rows are grouped, its groups.
type RowBlock<'a, const D: usize> = (&'a [f64], Option<&'a [[[f64; LANES]; D]]>);

/// The rows in blocks of [`BLOCK`].
fn row_blocks<'a, const D: usize>(rows: &'a Rows<'_, D>) -> impl Iterator<Item = RowBlock<'a, D>> {
    let d = row_len::<D>(rows.d);
    let mut groups = rows.groups.as_ref().map(|g: &Groups<D>| g.groups.chunks(BLOCK / LANES)).into_iter().flatten();
    rows.x.chunks(BLOCK * d).map(move |x| (x, groups.next()))
}

/// Potentials of the `candidates` (row-major, `d` values each) over the rows: for each, the
/// sum of `min(closest, distance to the candidate)`, by blocks of [`BLOCK`] rows added in
/// block order.
fn potentials<const D: usize>(rows: &Rows<'_, D>, closest: &[f64], candidates: &[f64]) -> Vec<f64> {
    let trials = candidates.len() / row_len::<D>(rows.d).max(1);
    let d = rows.d;
    let block =
        |((x, groups), closest): (RowBlock<'_, D>, &[f64])| block_potentials::<D>(x, d, groups, closest, candidates);
    #[cfg(feature = "parallel")]
    let per_block: Vec<Vec<f64>> = {
        use rayon::prelude::*;
        row_blocks(rows).zip(closest.chunks(BLOCK)).collect::<Vec<_>>().into_par_iter().map(block).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let per_block: Vec<Vec<f64>> = row_blocks(rows).zip(closest.chunks(BLOCK)).map(block).collect();
    let mut total = vec![0.0; trials];
    for sums in &per_block {
        total.iter_mut().zip(sums).for_each(|(t, s)| *t += s);
    }
    total
}

/// `closest[i] = min(closest[i], distance of row i to centre)`; returns the per-block totals of
/// the updated `closest` (per lane, blocks of [`BLOCK`] rows, in block order).
fn add_centre<const D: usize>(rows: &Rows<'_, D>, closest: &mut [f64], centre: &[f64]) -> Vec<f64> {
    let d = row_len::<D>(rows.d);
    let update = |((x, groups), closest): (RowBlock<'_, D>, &mut [f64])| {
        let mut total = [0.0; LANES];
        match groups {
            Some(groups) => each_group_mut::<D>(
                groups,
                closest,
                #[inline(always)]
                |rows, c, valid| {
                    let e = lane_dist2::<D, LANES>(rows, 0, centre);
                    for l in 0..LANES.min(valid) {
                        // `min(c, e)`: `c` is never NaN (infinite at first, distances of finite rows).
                        c[l] = if e[l] < c[l] { e[l] } else { c[l] };
                        total[l] += c[l];
                    }
                },
            ),
            None => {
                for (i, (r, c)) in x.chunks_exact(d).zip(closest.iter_mut()).enumerate() {
                    *c = c.min(dist2(r, centre));
                    if let Some(lane) = total.get_mut(i % LANES) {
                        *lane += *c;
                    }
                }
            }
        }
        lane_total(total)
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        row_blocks(rows).zip(closest.chunks_mut(BLOCK)).collect::<Vec<_>>().into_par_iter().map(update).collect()
    }
    #[cfg(not(feature = "parallel"))]
    row_blocks(rows).zip(closest.chunks_mut(BLOCK)).map(update).collect()
}

/// The row drawn for `target` in `[0, potential)`: the first block whose running total (blocks
/// in order) passes the target, and in it the first row at which that running total before the
/// block plus the block's running sum (rows in order) passes it; the block's last row when
/// rounding leaves none, the last row when no block passes (or the target is not a number).
fn draw(closest: &[f64], totals: &[f64], target: f64) -> usize {
    let last = closest.len().saturating_sub(1);
    let mut before = 0.0;
    for (b, &total) in totals.iter().enumerate() {
        if before + total > target {
            let rows = closest.get(b * BLOCK..).unwrap_or(&[]).iter().take(BLOCK);
            let mut acc = before;
            let mut at = (b * BLOCK + BLOCK).min(closest.len()).saturating_sub(1);
            for (i, &c) in rows.enumerate() {
                acc += c;
                if acc > target {
                    at = b * BLOCK + i;
                    break;
                }
            }
            return at;
        }
        before += total;
    }
    last
}

/// Seeded greedy k-means++ centres (`k` rows of `x`, row-major).
pub(super) fn init<const D: usize>(rows: &Rows<'_, D>, k: usize, rng: &mut Rng) -> Vec<f64> {
    let (x, d) = (rows.x, row_len::<D>(rows.d));
    let n = x.len() / d;
    let row = |i: usize| x.get(i * d..(i + 1) * d).unwrap_or(&[]);
    let mut centroids = Vec::with_capacity(k * d);
    let first = ((rng.unit() * n as f64) as usize).min(n.saturating_sub(1));
    centroids.extend_from_slice(row(first));
    let mut closest = vec![f64::INFINITY; n];
    let mut totals = add_centre::<D>(rows, &mut closest, row(first));
    let trials = 2 + (k as f64).ln() as usize;
    for round in 1..k {
        let potential = totals.iter().fold(0.0, |a, b| a + b);
        let picks: Vec<usize> = (0..trials).map(|_| draw(&closest, &totals, rng.unit() * potential)).collect();
        let candidates: Vec<f64> = picks.iter().flat_map(|&p| row(p)).copied().collect();
        let scores = potentials::<D>(rows, &closest, &candidates);
        // The lowest potential wins; among equal potentials the earliest draw.
        let best = picks.iter().zip(&scores).reduce(|best, c| if c.1 < best.1 { c } else { best }).map(|(&p, _)| p);
        if let Some(best) = best {
            centroids.extend_from_slice(row(best));
            // The distances to the nearest centre matter only for the next draw.
            if round + 1 < k {
                totals = add_centre::<D>(rows, &mut closest, row(best));
            }
        }
    }
    centroids
}
