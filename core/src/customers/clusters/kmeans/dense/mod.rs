//! The assignment step for few centres and short rows: every distance, without branches.
//!
//! With a handful of centres and short rows (RFM rows have 3 values), computing all distances
//! costs less than keeping and checking distance bounds. Rows come in [`Groups`] of [`LANES`];
//! each centre's distances to several rows of a group are computed together (the number of
//! centres is a compile-time constant of the kernel, so its loop unrolls and the centres stay
//! in registers), and the nearest centre of each row is kept by bit masks, not jumps. Each
//! distance is summed in column order and ties go to the lowest centre, exactly as in Lloyd's
//! step; cluster sums and inertia are kept per lane (see [`super::lanes`]), so labels, sums and
//! inertia are those of the reference step bit for bit. Rows are processed in the fixed blocks
//! of [`BLOCK`] rows of the bounded step.
//!
//! The block kernel exists in versions for the processor's vector instructions, chosen at run
//! time ([`Kernel`]). The portable one takes the distances of 2 rows side by side (4 when
//! compiled for AVX2) and then adds each row to its lane's sums of its cluster, one row after
//! the other. On x86-64 with AVX-512 one written for it ([`avx512`]) takes a whole group of 8 rows
//! at once and adds the rows to every cluster's per-lane sums by masked additions, so no row
//! writes to memory chosen by its label. Every version counts a block's rows per cluster in its
//! labels afterwards. The versions add the same values in the same order to every sum (the
//! AVX-512 one starts a distance at its first squared term, which equals `0.0 +` that term) and
//! use no fused multiply-add, so all give the same results bit for bit.

#[cfg(target_arch = "x86_64")]
mod avx512;

use super::bounds::{BLOCK, Block};
use super::lanes::{Groups, LANES, lane_dist2, lane_total};

/// Most centres the dense step handles.
const MAX_K: usize = 8;

/// The label of the lanes of the last group that hold no row (and of every row before the
/// first step).
pub(super) const PADDING: u8 = u8::MAX;

/// Whether the dense step handles `k` centres (rows of `D` > 0 values fixed at compile time).
pub(super) fn fits<const D: usize>(k: usize) -> bool {
    D > 0 && k <= MAX_K
}

/// A version of the block kernel this processor runs. Only [`Kernel::fastest`] and (in tests)
/// [`Kernel::available`] make one, after checking the processor's features: the version
/// behind it is private, so no other code can name one the processor lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Kernel(Version);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    /// Written for AVX-512 (x86-64 with AVX-512F, AVX2 and FMA).
    #[cfg(target_arch = "x86_64")]
    Avx512,
    /// The portable kernel compiled for AVX2 (x86-64 with AVX2).
    #[cfg(target_arch = "x86_64")]
    Avx2,
    /// The portable kernel compiled for the target's baseline.
    Portable,
}

impl Kernel {
    /// The fastest version this processor runs.
    pub(super) fn fastest() -> Kernel {
        Kernel::available().pop().unwrap_or(Kernel(Version::Portable))
    }

    /// Every version this processor runs, slowest first.
    pub(super) fn available() -> Vec<Kernel> {
        #[cfg_attr(not(target_arch = "x86_64"), allow(unused_mut))]
        let mut all = vec![Kernel(Version::Portable)];
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            if has!("avx2") {
                all.push(Kernel(Version::Avx2));
                // AVX-512F implies AVX2 and FMA to the compiler, so the kernel may use them.
                if has!("avx512f") && has!("fma") {
                    all.push(Kernel(Version::Avx512));
                }
            }
        }
        all
    }

    /// Whether this is the AVX-512 version.
    #[cfg(test)]
    pub(super) fn is_avx512(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        return self.0 == Version::Avx512;
        #[cfg(not(target_arch = "x86_64"))]
        false
    }
}

/// Nearest centre (ties: lowest) of each of the `W` rows of a group from lane `from` on, and
/// its squared distance (infinite when no distance is below infinity).
#[inline(always)]
fn nearest<const D: usize, const K: usize, const W: usize>(
    rows: &[[f64; LANES]; D],
    from: usize,
    centres: &[[f64; D]; K],
) -> ([u64; W], [f64; W]) {
    let mut best = [0u64; W];
    let mut best_e = [f64::INFINITY; W];
    for (c, centre) in centres.iter().enumerate() {
        let e = lane_dist2::<D, W>(rows, from, centre);
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

/// A block's running sums in the portable kernel, per lane.
struct Acc<const D: usize> {
    changed: usize,
    sums: [[[f64; D]; MAX_K]; LANES],
    inertia: [f64; LANES],
}

impl<const D: usize> Acc<D> {
    /// Assigns the first `valid` rows of a group (all [`LANES`] but in the last group), `W`
    /// side by side at a time; the other lanes keep the label [`PADDING`].
    #[inline(always)]
    fn take<const K: usize, const W: usize, const INERTIA: bool>(
        &mut self,
        values: &[[f64; LANES]; D],
        labels: &mut [u8; LANES],
        centres: &[[f64; D]; K],
        valid: usize,
    ) {
        for part in 0..valid.min(LANES).div_ceil(W) {
            let from = part * W;
            let (best, best_e) = nearest::<D, K, W>(values, from, centres);
            for (i, (&b, &e)) in best.iter().zip(&best_e).enumerate() {
                let l = from + i;
                if l < valid.min(LANES) {
                    self.add::<K, INERTIA>(values, labels, l, b, e);
                }
            }
        }
    }

    /// Labels row `l` of a group with centre `best` (< `K`) at squared distance `best_e` and
    /// adds it to its lane's sums.
    #[inline(always)]
    fn add<const K: usize, const INERTIA: bool>(
        &mut self,
        values: &[[f64; LANES]; D],
        labels: &mut [u8; LANES],
        l: usize,
        best: u64,
        best_e: f64,
    ) {
        // `best` < K <= MAX_K.
        let c = (best as usize).min(K.min(MAX_K) - 1);
        self.changed += usize::from(labels[l] as usize != c);
        labels[l] = c as u8;
        if INERTIA {
            self.inertia[l] += best_e;
        }
        for (s, column) in self.sums[l][c].iter_mut().zip(values) {
            *s += column[l];
        }
    }
}

/// The portable block kernel: assigns the rows of one block, `groups` with their labels
/// (padded like the groups; the first `rows` of the block's lanes are rows). The distances of
/// a group's rows are computed side by side; each row is then added to its cluster's sums of
/// its lane, one row after the other.
#[inline(always)]
fn block<const D: usize, const K: usize, const W: usize, const INERTIA: bool>(
    groups: &[[[f64; LANES]; D]],
    labels: &mut [[u8; LANES]],
    rows: usize,
    centres: &[[f64; D]; K],
) -> Block {
    let mut acc = Acc::<D> { changed: 0, sums: [[[0.0; D]; MAX_K]; LANES], inertia: [0.0; LANES] };
    // Groups of LANES rows, then the last group (padded) with fewer.
    let full = (rows / LANES).min(groups.len());
    let (full_groups, last) = groups.split_at(full);
    let (full_labels, last_labels) = labels.split_at_mut(full.min(labels.len()));
    for (values, labels) in full_groups.iter().zip(full_labels.iter_mut()) {
        acc.take::<K, W, INERTIA>(values, labels, centres, LANES);
    }
    if let (Some(values), Some(labels)) = (last.first(), last_labels.first_mut()) {
        acc.take::<K, W, INERTIA>(values, labels, centres, rows - full * LANES);
    }
    let Acc { changed, sums, inertia } = acc;
    let mut block_sums = Vec::with_capacity(K * D);
    for c in 0..K.min(MAX_K) {
        for j in 0..D {
            block_sums.push(lane_total(sums.iter().map(|lane| lane[c][j])));
        }
    }
    let counts = count_labels::<K>(labels.as_flattened()).to_vec();
    Block { changed, sums: block_sums, counts, inertia: lane_total(inertia) }
}

/// Rows per cluster of `K` clusters in `labels` (one byte each): per cluster, byte counters side
/// by side over runs of bytes short enough that none overflows.
#[inline(always)]
fn count_labels<const K: usize>(labels: &[u8]) -> [usize; K] {
    const WIDTH: usize = 64;
    let mut counts = [0usize; K];
    for run in labels.chunks(WIDTH * usize::from(u8::MAX)) {
        let mut lanes = [[0u8; WIDTH]; K];
        for bytes in run.chunks(WIDTH) {
            for (c, lanes) in lanes.iter_mut().enumerate() {
                for (n, &l) in lanes.iter_mut().zip(bytes) {
                    *n += u8::from(usize::from(l) == c);
                }
            }
        }
        for (count, lanes) in counts.iter_mut().zip(&lanes) {
            *count += lanes.iter().map(|&n| usize::from(n)).sum::<usize>();
        }
    }
    counts
}

/// The portable kernel compiled for AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn block_avx2<const D: usize, const K: usize, const INERTIA: bool>(
    groups: &[[[f64; LANES]; D]],
    labels: &mut [[u8; LANES]],
    rows: usize,
    centres: &[[f64; D]; K],
) -> Block {
    block::<D, K, 4, INERTIA>(groups, labels, rows, centres)
}

/// [`block`] in the version `kernel` (the portable one when this target has no such version).
#[allow(unsafe_code)]
fn block_with<const D: usize, const K: usize, const INERTIA: bool>(
    kernel: Kernel,
    groups: &[[[f64; LANES]; D]],
    labels: &mut [[u8; LANES]],
    rows: usize,
    centres: &[[f64; D]; K],
) -> Block {
    match kernel.0 {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a `Kernel` of this version exists only where the processor has AVX-512F,
        // AVX2 and FMA (`Kernel::available`).
        Version::Avx512 => unsafe { avx512::block::<D, K, INERTIA>(groups, labels, rows, centres) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a `Kernel` of this version exists only where the processor has AVX2.
        Version::Avx2 => unsafe { block_avx2::<D, K, INERTIA>(groups, labels, rows, centres) },
        Version::Portable => block::<D, K, 2, INERTIA>(groups, labels, rows, centres),
    }
}

/// Lloyd's assignment step of every row (when [`fits`]), given the labels of the previous
/// step padded like the groups (one byte each, as k <= 8; [`PADDING`] past the last row);
/// returns the block results in block order, with the inertia when `INERTIA`.
pub(super) fn assign<const D: usize, const INERTIA: bool>(
    kernel: Kernel,
    groups: &Groups<D>,
    labels: &mut [u8],
    centroids: &[f64],
) -> Vec<Block> {
    match centroids.len().checked_div(D).unwrap_or(0) {
        1 => assign_k::<D, 1, INERTIA>(kernel, groups, labels, centroids),
        2 => assign_k::<D, 2, INERTIA>(kernel, groups, labels, centroids),
        3 => assign_k::<D, 3, INERTIA>(kernel, groups, labels, centroids),
        4 => assign_k::<D, 4, INERTIA>(kernel, groups, labels, centroids),
        5 => assign_k::<D, 5, INERTIA>(kernel, groups, labels, centroids),
        6 => assign_k::<D, 6, INERTIA>(kernel, groups, labels, centroids),
        7 => assign_k::<D, 7, INERTIA>(kernel, groups, labels, centroids),
        8 => assign_k::<D, 8, INERTIA>(kernel, groups, labels, centroids),
        _ => Vec::new(),
    }
}

fn assign_k<const D: usize, const K: usize, const INERTIA: bool>(
    kernel: Kernel,
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
        block_with::<D, K, INERTIA>(kernel, g, l, rows.saturating_sub(b * BLOCK), &centres)
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        blocks.enumerate().collect::<Vec<_>>().into_par_iter().map(step).collect()
    }
    #[cfg(not(feature = "parallel"))]
    blocks.enumerate().map(step).collect()
}

#[cfg(test)]
mod tests {
    use super::count_labels;

    #[test]
    fn labels_are_counted_across_runs_of_byte_counters() {
        // Longer than one run of byte counters (64 x 255 bytes), with padding labels mixed in.
        let labels: Vec<u8> = (0..40_000u32).map(|i| if i % 7 == 3 { u8::MAX } else { (i * i % 5) as u8 }).collect();
        let counts = count_labels::<5>(&labels);
        for (c, &n) in counts.iter().enumerate() {
            assert_eq!(n, labels.iter().filter(|&&l| usize::from(l) == c).count(), "cluster {c}");
        }
        assert_eq!(counts.iter().sum::<usize>(), labels.iter().filter(|&&l| l != u8::MAX).count());
        assert_eq!(count_labels::<3>(&[]), [0, 0, 0]);
    }
}
