//! Robust location and scale: median, MAD, quantiles.

/// Scale factor that makes the MAD a consistent estimator of a normal standard deviation.
pub(crate) const MAD_TO_SD: f64 = 1.4826;
/// Scale factor that makes the mean absolute deviation a consistent normal standard deviation.
pub(crate) const MEAN_ABS_TO_SD: f64 = 1.2533;

/// Median of finite values (NaN-free input); `None` when empty. Reorders `values`.
pub(crate) fn median_in_place(values: &mut [f64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mid = n / 2;
    let (_, &mut upper, _) = values.select_nth_unstable_by(mid, f64::total_cmp);
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = values.get(..mid)?.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some(0.5 * (lower + upper))
}

/// Median of the values (copied).
pub(crate) fn median(values: &[f64]) -> Option<f64> {
    let mut v = values.to_vec();
    median_in_place(&mut v)
}

/// Robust standard deviation around `center`: 1.4826 × MAD, falling back to 1.2533 × mean
/// absolute deviation when more than half the values equal `center`. Zero when all do.
pub(crate) fn robust_sd(values: &[f64], center: f64) -> f64 {
    let mut dev: Vec<f64> = values.iter().map(|v| (v - center).abs()).collect();
    let mad = median_in_place(&mut dev).unwrap_or(0.0);
    if mad > 0.0 {
        return MAD_TO_SD * mad;
    }
    if dev.is_empty() {
        return 0.0;
    }
    MEAN_ABS_TO_SD * dev.iter().sum::<f64>() / dev.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_scale() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        // MAD of 1..=5 around 3 is 1.
        assert!((robust_sd(&[1.0, 2.0, 3.0, 4.0, 5.0], 3.0) - 1.4826).abs() < 1e-12);
        // Mostly constant: mean absolute deviation fallback (one deviation of 10 over 10 values).
        assert!((robust_sd(&[[5.0; 9].as_slice(), &[15.0]].concat(), 5.0) - 1.2533).abs() < 1e-12);
        assert_eq!(robust_sd(&[2.0; 4], 2.0), 0.0);
    }
}
