//! The generalized ESD many-outlier test (Rosner 1983) with robust median / MAD statistics,
//! as in S-H-ESD (Hochenbaum et al. 2017).
//!
//! Step `i` (1-based) removes the value farthest from the median of the values still in play
//! and records `R_i = |x - median| / (1.4826 · MAD)`. Its critical value is
//! `λ_i = (n - i) · t / sqrt((n - i - 1 + t²)(n - i + 1))` with `t` the Student-t quantile at
//! `p = 1 - α / (2 (n - i + 1))` with `n - i - 1` degrees of freedom (`α / (n - i + 1)` for a
//! one-sided test). The number of outliers is the largest `i` with `R_i > λ_i`.
//!
//! The values are sorted once; the farthest value is then always at one end of the remaining
//! sorted window, the median is its middle and the MAD is found by walking outward from the
//! median, so each step costs at most half the window.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use super::options::Direction;
use super::robust::{MAD_TO_SD, MEAN_ABS_TO_SD};

/// Outcome of the test.
#[derive(Debug, Clone)]
pub(crate) struct EsdOutcome {
    /// Positions (in the input slice) of the outliers, most extreme first.
    pub(crate) outliers: Vec<usize>,
    /// Median of the values that are not outliers.
    pub(crate) center: f64,
    /// Robust standard deviation of the values that are not outliers.
    pub(crate) scale: f64,
    /// The critical value a further value would have had to exceed (in `scale` units).
    pub(crate) critical: f64,
}

/// Runs the generalized ESD test for up to `max_outliers` outliers at level `alpha`.
/// A positive scale below `min_scale` is raised to it (residue of smoothing a constant series
/// is not noise); a zero scale ends the test.
pub(crate) fn generalized_esd(
    values: &[f64],
    max_outliers: usize,
    alpha: f64,
    direction: Direction,
    min_scale: f64,
) -> EsdOutcome {
    let n = values.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let sorted: Vec<f64> = order.iter().map(|&i| values[i]).collect();
    // λ_i needs n - i - 1 >= 1 degrees of freedom.
    let k = max_outliers.min(n.saturating_sub(3));
    let one_sided = direction != Direction::Both;

    let (mut lo, mut hi) = (0usize, n);
    let mut removed = Vec::with_capacity(k);
    let mut stats = Vec::with_capacity(k);
    let mut windows = Vec::with_capacity(k);
    for _ in 0..k {
        let window = &sorted[lo..hi];
        let (center, scale) = floored(location_scale(window), min_scale);
        if scale.is_nan() || scale <= 0.0 {
            break;
        }
        let (low_dev, high_dev) = (center - window[0], window[window.len() - 1] - center);
        let take_high = match direction {
            Direction::Spikes => true,
            Direction::Drops => false,
            Direction::Both => high_dev >= low_dev,
        };
        if take_high {
            hi -= 1;
            removed.push(order[hi]);
            stats.push(high_dev / scale);
        } else {
            removed.push(order[lo]);
            lo += 1;
            stats.push(low_dev / scale);
        }
        windows.push((lo, hi));
    }

    // The largest i with R_i > λ_i. The Student-t quantile is costly, so λ_i is only computed
    // when R_i exceeds its lower bound (the same formula with the normal quantile).
    let mut count = 0;
    for i in (1..=stats.len()).rev() {
        let r = stats[i - 1];
        if r > critical_lower_bound(n, i, alpha, one_sided) && r > critical_value(n, i, alpha, one_sided) {
            count = i;
            break;
        }
    }
    removed.truncate(count);
    let (lo, hi) = if count == 0 { (0, n) } else { windows[count - 1] };
    let rest = sorted.get(lo..hi).unwrap_or(&[]);
    let (center, scale) = floored(location_scale(rest), min_scale);
    let critical = if n >= count + 4 {
        critical_value(n, count + 1, alpha, one_sided)
    } else {
        critical_value(n, count.max(1), alpha, one_sided)
    };
    EsdOutcome { outliers: removed, center, scale, critical }
}

/// Rosner's critical value `λ_i` for `n` values.
pub(crate) fn critical_value(n: usize, i: usize, alpha: f64, one_sided: bool) -> f64 {
    let m = n as f64 - i as f64; // n - i
    let df = m - 1.0;
    if df < 1.0 {
        return f64::INFINITY;
    }
    let tail = if one_sided { alpha / (m + 1.0) } else { alpha / (2.0 * (m + 1.0)) };
    let Ok(dist) = StudentsT::new(0.0, 1.0, df) else {
        return f64::INFINITY;
    };
    let t = dist.inverse_cdf(1.0 - tail);
    if !t.is_finite() {
        return f64::INFINITY;
    }
    m * t / ((df + t * t) * (m + 1.0)).sqrt()
}

fn floored((center, scale): (f64, f64), min_scale: f64) -> (f64, f64) {
    (center, if scale > 0.0 { scale.max(min_scale) } else { 0.0 })
}

/// A lower bound of [`critical_value`]: the normal quantile is below the Student-t quantile
/// in the upper tail, and `λ` grows with the quantile.
fn critical_lower_bound(n: usize, i: usize, alpha: f64, one_sided: bool) -> f64 {
    let m = n as f64 - i as f64;
    let df = m - 1.0;
    if df < 1.0 {
        return f64::INFINITY;
    }
    let tail = if one_sided { alpha / (m + 1.0) } else { alpha / (2.0 * (m + 1.0)) };
    let z = Normal::standard().inverse_cdf(1.0 - tail);
    if !z.is_finite() {
        return 0.0;
    }
    m * z / ((df + z * z) * (m + 1.0)).sqrt()
}

/// Median and robust standard deviation of a sorted window (1.4826 · MAD, or 1.2533 · mean
/// absolute deviation when the MAD is zero).
pub(crate) fn location_scale(sorted: &[f64]) -> (f64, f64) {
    let m = sorted.len();
    if m == 0 {
        return (0.0, 0.0);
    }
    let center = if m % 2 == 1 { sorted[m / 2] } else { 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]) };
    // Deviations grow outward from the median on both sides: merge the two runs up to the
    // middle rank(s).
    let split = sorted.partition_point(|&v| v < center);
    let (mut left, mut right) = (split, split); // next left candidate is left - 1
    let (want_lo, want_hi) = ((m - 1) / 2, m / 2);
    let (mut dev_lo, mut dev_hi) = (0.0, 0.0);
    for rank in 0..=want_hi {
        let l = if left > 0 { center - sorted[left - 1] } else { f64::INFINITY };
        let r = if right < m { sorted[right] - center } else { f64::INFINITY };
        let d = if l <= r {
            left -= 1;
            l
        } else {
            right += 1;
            r
        };
        if rank == want_lo {
            dev_lo = d;
        }
        if rank == want_hi {
            dev_hi = d;
        }
    }
    let mad = 0.5 * (dev_lo + dev_hi);
    if mad > 0.0 {
        return (center, MAD_TO_SD * mad);
    }
    let mean_abs = sorted.iter().map(|v| (v - center).abs()).sum::<f64>() / m as f64;
    (center, MEAN_ABS_TO_SD * mean_abs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anomaly::robust::robust_sd;

    #[test]
    fn rosner_critical_values() {
        // NIST/SEMATECH e-Handbook 1.3.5.17.3 (Rosner's example, n = 54, alpha = 0.05), printed
        // to three decimals: lambda_1 = 3.158, lambda_2 = 3.151, lambda_10 = 3.085.
        assert!((critical_value(54, 1, 0.05, false) - 3.158).abs() < 0.001);
        assert!((critical_value(54, 2, 0.05, false) - 3.151).abs() < 0.001);
        assert!((critical_value(54, 10, 0.05, false) - 3.085).abs() < 0.001);
        assert_eq!(critical_value(3, 2, 0.05, false), f64::INFINITY);
        for (n, i) in [(10, 1), (54, 3), (730, 70)] {
            for one_sided in [false, true] {
                let (lo, exact) = (critical_lower_bound(n, i, 0.05, one_sided), critical_value(n, i, 0.05, one_sided));
                assert!(lo <= exact && lo > 0.5 * exact, "{n} {i}: {lo} vs {exact}");
            }
        }
    }

    #[test]
    fn walked_mad_matches_direct_computation() {
        let cases: Vec<Vec<f64>> = vec![
            vec![1.0, 2.0, 3.0, 4.0, 100.0],
            vec![1.0, 2.0, 2.0, 3.0, 7.0, 9.0],
            vec![-5.0, 0.0, 0.1, 0.2, 0.3, 0.4, 50.0, 51.0],
            vec![3.0],
            vec![2.0, 2.0, 2.0, 2.0, 9.0],
        ];
        for mut c in cases {
            c.sort_by(f64::total_cmp);
            let (center, scale) = location_scale(&c);
            let direct_center = crate::anomaly::robust::median(&c).unwrap();
            assert_eq!(center, direct_center, "{c:?}");
            assert!((scale - robust_sd(&c, center)).abs() < 1e-12, "{c:?}: {scale}");
        }
    }

    #[test]
    fn finds_planted_outliers_in_rosner_order() {
        // Deterministic pseudo-normal noise plus three outliers.
        let mut v: Vec<f64> = (0..200).map(|i| ((i * 7919 % 200) as f64 / 200.0 - 0.5) * 3.0).collect();
        v[20] = 12.0;
        v[90] = -15.0;
        v[150] = 9.0;
        let out = generalized_esd(&v, 20, 0.05, Direction::Both, 0.0);
        let mut found = out.outliers.clone();
        found.sort();
        assert_eq!(found, vec![20, 90, 150]);
        assert_eq!(out.outliers[0], 90);
        let spikes = generalized_esd(&v, 20, 0.05, Direction::Spikes, 0.0);
        let mut found = spikes.outliers.clone();
        found.sort();
        assert_eq!(found, vec![20, 150]);
        assert!(out.critical > 3.0 && out.critical < 4.5);
    }

    #[test]
    fn constant_values_have_no_outliers() {
        let out = generalized_esd(&[4.0; 30], 5, 0.05, Direction::Both, 0.0);
        assert!(out.outliers.is_empty());
        assert_eq!(out.scale, 0.0);
        // Residue far below the minimum scale is not scored as noise, but a real spike is.
        let mut noisy: Vec<f64> = (0..30).map(|i| 4.0 + 1e-9 * (i % 3) as f64).collect();
        assert!(generalized_esd(&noisy, 5, 0.05, Direction::Both, 1e-3).outliers.is_empty());
        noisy[7] = 5.0;
        assert_eq!(generalized_esd(&noisy, 5, 0.05, Direction::Both, 1e-3).outliers, vec![7]);
    }
}
