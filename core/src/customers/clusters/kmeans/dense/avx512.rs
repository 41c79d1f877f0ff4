//! The dense step's block kernel in AVX-512 instructions: a group of [`LANES`] = 8 rows is one
//! register per column.
//!
//! The same results as the portable kernel, lane for lane: each distance is summed in column
//! order, a centre replaces the best only when strictly closer, and a cluster's sums add exactly
//! the values of its rows in row order (by masked additions: a lane of another cluster keeps its
//! sum untouched). Callers make sure the processor has AVX-512F (and AVX2 and FMA, which the
//! compiler may use along with it).

use std::arch::x86_64::*;

use super::{Block, LANES, PADDING, count_labels, lane_total};

const _: () = assert!(LANES == 8, "one AVX-512 register holds the eight lanes of a group");

/// A lane array as a register.
#[target_feature(enable = "avx512f")]
#[inline]
fn load(a: &[f64; LANES]) -> __m512d {
    _mm512_set_pd(a[7], a[6], a[5], a[4], a[3], a[2], a[1], a[0])
}

/// A register as a lane array.
#[target_feature(enable = "avx512f")]
#[inline]
fn lanes(v: __m512d) -> [f64; LANES] {
    let half = |h: __m256d| {
        let (lo, hi) = (_mm256_castpd256_pd128(h), _mm256_extractf128_pd::<1>(h));
        [
            _mm_cvtsd_f64(lo),
            _mm_cvtsd_f64(_mm_unpackhi_pd(lo, lo)),
            _mm_cvtsd_f64(hi),
            _mm_cvtsd_f64(_mm_unpackhi_pd(hi, hi)),
        ]
    };
    let (lo, hi) = (half(_mm512_castpd512_pd256(v)), half(_mm512_extractf64x4_pd::<1>(v)));
    [lo[0], lo[1], lo[2], lo[3], hi[0], hi[1], hi[2], hi[3]]
}

/// Per lane, the squared distance of the group's rows to `centre`, summed in column order.
#[target_feature(enable = "avx512f")]
#[inline]
fn dist2<const D: usize>(rows: &[__m512d; D], centre: &[f64; D]) -> __m512d {
    let mut e = _mm512_setzero_pd();
    for (j, (&r, &c)) in rows.iter().zip(centre).enumerate() {
        let t = _mm512_sub_pd(r, _mm512_set1_pd(c));
        let t = _mm512_mul_pd(t, t);
        // The portable kernel adds the first term to 0.0; a square is +0, positive, +inf or
        // NaN, and 0.0 + t is t for each of them (NaN keeps its payload), so the first term is
        // taken as it is.
        e = if j == 0 { t } else { _mm512_add_pd(e, t) };
    }
    e
}

/// The nearest centre of each row of a group (ties: lowest; as 64-bit lanes, `ids` holding
/// each centre's number) and its squared distance. A NaN distance is never closer.
#[target_feature(enable = "avx512f")]
#[inline]
fn nearest<const D: usize, const K: usize>(
    rows: &[__m512d; D],
    centres: &[[f64; D]; K],
    ids: &[__m512i; K],
) -> (__m512i, __m512d) {
    let mut best = _mm512_setzero_si512();
    let mut best_e = _mm512_set1_pd(f64::INFINITY);
    for (centre, &id) in centres.iter().zip(ids) {
        let e = dist2::<D>(rows, centre);
        let closer = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(e, best_e);
        best = _mm512_mask_mov_epi64(best, closer, id);
        best_e = _mm512_mask_mov_pd(best_e, closer, e);
    }
    (best, best_e)
}

/// The block kernel (see the portable `block`): assigns the rows of one block, `groups` with
/// their labels (padded like the groups; the first `rows` of the block's lanes are rows).
#[target_feature(enable = "avx512f")]
pub(super) fn block<const D: usize, const K: usize, const INERTIA: bool>(
    groups: &[[[f64; LANES]; D]],
    labels: &mut [[u8; LANES]],
    rows: usize,
    centres: &[[f64; D]; K],
) -> Block {
    let mut sums = [[_mm512_setzero_pd(); D]; K];
    let mut inertia = _mm512_setzero_pd();
    let mut changed = 0u64;
    let ids: [__m512i; K] = std::array::from_fn(|c| _mm512_set1_epi64(c as i64));
    for (g, (group, labels)) in groups.iter().zip(labels.iter_mut()).enumerate() {
        // Lanes holding rows: all but in the last group.
        let valid = rows.saturating_sub(g * LANES).min(LANES);
        let rows_mask = ((1u16 << valid) - 1) as __mmask8;
        let values: [__m512d; D] = std::array::from_fn(|j| load(&group[j]));
        let (best, best_e) = nearest::<D, K>(&values, centres, &ids);
        let best = _mm512_mask_mov_epi64(_mm512_set1_epi64(i64::from(PADDING)), rows_mask, best);
        // The eight labels as bytes (each < 256), and how many differ from the previous step.
        let new = _mm_cvtsi128_si64(_mm512_cvtepi64_epi8(best)) as u64;
        let old = u64::from_le_bytes(*labels);
        changed += u64::from(nonzero_bytes(old ^ new));
        *labels = new.to_le_bytes();
        for (sums, id) in sums.iter_mut().zip(&ids) {
            let mine = _mm512_cmpeq_epi64_mask(best, *id);
            for (s, &v) in sums.iter_mut().zip(&values) {
                *s = _mm512_mask_add_pd(*s, mine, *s, v);
            }
        }
        if INERTIA {
            inertia = _mm512_mask_add_pd(inertia, rows_mask, inertia, best_e);
        }
    }
    let sums = sums.iter().flat_map(|columns| columns.iter().map(|&s| lane_total(lanes(s)))).collect();
    let counts = count_labels::<K>(labels.as_flattened()).to_vec();
    Block { changed: changed as usize, sums, counts, inertia: lane_total(lanes(inertia)) }
}

/// Number of non-zero bytes of `x`.
#[inline(always)]
fn nonzero_bytes(x: u64) -> u32 {
    // Each byte's bits folded into its lowest bit.
    let x = x | (x >> 4);
    let x = x | (x >> 2);
    let x = x | (x >> 1);
    (x & 0x0101_0101_0101_0101).count_ones()
}
