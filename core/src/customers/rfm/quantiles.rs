//! Quantile scores: the `qcut(x.rank(method="first"), q)` convention on plain arrays.
//!
//! Values are ranked 1..n with ties broken by position (the earlier value gets the lower rank,
//! as pandas `rank(method="first")`). The ranks are cut into `bins` groups at the sample
//! quantiles of the ranks, computed the way pandas `qcut` computes them (linear interpolation
//! on `linspace(0, 1, bins + 1)`, intervals closed on the right, lowest included), so the
//! scores are identical to pandas, floating-point rounding of the edges included.
//!
//! Because ranks are distinct, every bin gets `n / bins` values (±1) even when many values are
//! equal: equal values are spread over adjacent scores by their position. With a single value
//! there is nothing to rank (pandas raises "bin edges must be unique"); it gets the middle
//! score and the caller reports that fallback.

use crate::error::{Error, Result};

/// Smallest and largest number of score bins.
pub(crate) const MIN_BINS: u8 = 2;
/// Largest number of score bins.
pub(crate) const MAX_BINS: u8 = 10;

/// Checks a number of score bins.
pub(crate) fn validate_bins(bins: u8) -> Result<()> {
    if (MIN_BINS..=MAX_BINS).contains(&bins) {
        Ok(())
    } else {
        Err(Error::invalid_parameter("bins", format!("must be between {MIN_BINS} and {MAX_BINS}, got {bins}")))
    }
}

/// The score a lone value gets (there is no ranking with one value): the middle score.
pub(crate) fn lone_score(bins: u8) -> u8 {
    bins.div_ceil(2)
}

/// The upper edges (in rank units) of bins `1..=bins` for ranks `1..=n`, rounded as pandas
/// rounds them: `np.percentile(ranks, linspace(0, 1, bins + 1) * 100)` with linear interpolation.
fn rank_edges(n: usize, bins: u8) -> Vec<f64> {
    let q = bins as usize;
    let step = 1.0 / q as f64;
    let last = (n - 1) as f64;
    (1..=q)
        .map(|i| {
            let p = if i == q { 1.0 } else { i as f64 * step };
            // pandas passes percentages to numpy, which divides them back.
            let p = (p * 100.0) / 100.0;
            let virtual_index = last * p;
            let below = virtual_index.floor().clamp(0.0, last);
            let above = (below + 1.0).min(last);
            let t = virtual_index - below;
            let (a, b) = (below + 1.0, above + 1.0);
            let d = b - a;
            if t >= 0.5 { b - d * (1.0 - t) } else { a + d * t }
        })
        .collect()
}

/// Scores `1..=bins` of the values in `keys` (ascending: larger key, larger score; pass
/// `reversed` to give the smallest keys the highest score, as for recency). Ties are broken by
/// position. With one value it gets [`lone_score`]; with none the result is empty.
pub(crate) fn scores_of_keys<K: Ord + Copy + Send>(keys: &[K], bins: u8, reversed: bool) -> Result<Vec<u8>> {
    validate_bins(bins)?;
    let n = keys.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    if n == 1 {
        return Ok(vec![lone_score(bins)]);
    }
    let mut order: Vec<(K, u32)> = keys.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
    // (key, position) pairs are distinct, so every sort gives the same order.
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        if n >= 100_000 {
            order.par_sort_unstable();
        } else {
            order.sort_unstable();
        }
    }
    #[cfg(not(feature = "parallel"))]
    order.sort_unstable();
    let order: Vec<u32> = order.into_iter().map(|(_, i)| i).collect();
    scores_of_order(&order, bins, reversed)
}

/// Scores of small integer keys (day counts, order counts): a stable counting sort instead of
/// a comparison sort when the keys span at most a few times `keys.len()` values; the same
/// scores as [`scores_of_keys`].
pub(crate) fn scores_of_small_keys(keys: &[i64], bins: u8, reversed: bool) -> Result<Vec<u8>> {
    validate_bins(bins)?;
    let (lo, hi) = keys.iter().fold((i64::MAX, i64::MIN), |(lo, hi), &k| (lo.min(k), hi.max(k)));
    let span = (hi as i128 - lo as i128 + 1).max(0) as u128;
    if keys.len() < 2 || span > 4 * keys.len() as u128 + 1024 {
        return scores_of_keys(keys, bins, reversed);
    }
    // Count per key, then turn the counts into each key's first position.
    let mut starts = vec![0u32; span as usize];
    for &k in keys {
        if let Some(c) = starts.get_mut((k - lo) as usize) {
            *c += 1;
        }
    }
    let mut at = 0u32;
    for c in &mut starts {
        (*c, at) = (at, at + *c);
    }
    let mut order = vec![0u32; keys.len()];
    for (i, &k) in keys.iter().enumerate() {
        if let Some(at) = starts.get_mut((k - lo) as usize)
            && let Some(slot) = order.get_mut(*at as usize)
        {
            *slot = i as u32;
            *at += 1;
        }
    }
    scores_of_order(&order, bins, reversed)
}

/// Scores from the positions of the values in ascending (key, position) order.
fn scores_of_order(order: &[u32], bins: u8, reversed: bool) -> Result<Vec<u8>> {
    let n = order.len();
    let edges = rank_edges(n, bins);
    let mut scores = vec![0u8; n];
    let mut bin = 0usize;
    for (pos, &index) in order.iter().enumerate() {
        let rank = (pos + 1) as f64;
        while bin + 1 < edges.len() && edges.get(bin).is_some_and(|&e| e < rank) {
            bin += 1;
        }
        let score = (bin + 1) as u8;
        if let Some(s) = scores.get_mut(index as usize) {
            *s = if reversed { bins + 1 - score } else { score };
        }
    }
    Ok(scores)
}

/// A finite `f64` ordered numerically (`-0.0` is normalised to `0.0` so they tie).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Finite(f64);

impl Eq for Finite {}

impl PartialOrd for Finite {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Finite {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Quantile scores `1..=bins` of plain values, exactly as pandas
/// `qcut(Series(values).rank(method="first"), bins, labels=range(1, bins + 1))` (with
/// `reversed`, labels `bins..=1`, as RFM recency uses). Ties are broken by position: among
/// equal values the earlier one gets the lower rank. A single value gets the middle score
/// (pandas raises there); an empty input gives an empty result.
///
/// Errors: `bins` outside 2–10, or a NaN / infinite value.
///
/// ```
/// use storelytics::customers::quantile_scores;
/// let s = quantile_scores(&[3.0, 1.0, 2.0, 2.0, 5.0], 5, false)?;
/// assert_eq!(s, vec![4, 1, 2, 3, 5]);
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn quantile_scores(values: &[f64], bins: u8, reversed: bool) -> Result<Vec<u8>> {
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid_parameter("values", format!("value {i} is NaN or infinite")));
    }
    let keys: Vec<Finite> = values.iter().map(|&v| Finite(v + 0.0)).collect();
    scores_of_keys(&keys, bins, reversed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_bins_of_ten_values() {
        let s = scores_of_keys(&[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 5, false).unwrap();
        assert_eq!(s, vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        let r = scores_of_keys(&[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 5, true).unwrap();
        assert_eq!(r, vec![5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    }

    #[test]
    fn equal_values_are_spread_by_position() {
        let s = scores_of_keys(&[7; 5], 5, false).unwrap();
        assert_eq!(s, vec![1, 2, 3, 4, 5]);
        let r = scores_of_keys(&[7; 5], 5, true).unwrap();
        assert_eq!(r, vec![5, 4, 3, 2, 1]);
    }

    #[test]
    fn pandas_rounding_of_edges() {
        // pandas: qcut(Series([1., 2., 3., 4.]), 3, labels=False) + 1 == [1, 2, 3, 3]; exact
        // arithmetic would give [1, 1, 2, 3].
        assert_eq!(scores_of_keys(&[1, 2, 3, 4], 3, false).unwrap(), vec![1, 2, 3, 3]);
    }

    #[test]
    fn counting_sort_scores_equal_comparison_sort_scores() {
        let mut x = 12345u64;
        for n in [2usize, 3, 7, 10, 101, 1000] {
            for spread in [1i64, 3, 50, 100_000] {
                let keys: Vec<i64> = (0..n)
                    .map(|_| {
                        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        ((x >> 33) as i64 % spread) - spread / 2
                    })
                    .collect();
                for bins in [2, 5, 10] {
                    for reversed in [false, true] {
                        assert_eq!(
                            scores_of_small_keys(&keys, bins, reversed).unwrap(),
                            scores_of_keys(&keys, bins, reversed).unwrap(),
                            "n {n} spread {spread} bins {bins}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn lone_and_empty_and_bad_bins() {
        assert_eq!(scores_of_keys(&[3], 5, false).unwrap(), vec![3]);
        assert_eq!(scores_of_keys::<i64>(&[], 5, false).unwrap(), Vec::<u8>::new());
        assert!(scores_of_keys(&[1, 2], 1, false).is_err());
        assert!(scores_of_keys(&[1, 2], 11, false).is_err());
    }

    #[test]
    fn plain_values_reject_nan_and_tie_signed_zeros() {
        let err = quantile_scores(&[1.0, f64::NAN], 5, false).unwrap_err();
        assert!(err.to_string().contains("value 1 is NaN"), "{err}");
        assert!(quantile_scores(&[f64::INFINITY, 1.0], 5, false).is_err());
        // -0.0 and 0.0 are equal values: the tie is broken by position, as pandas does.
        assert_eq!(quantile_scores(&[0.0, -0.0], 2, false).unwrap(), vec![1, 2]);
    }
}
