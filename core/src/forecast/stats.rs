//! Small statistics helpers shared by the forecasting models.

use crate::numeric::normal_quantile;

/// Arithmetic mean; NaN for an empty slice.
pub(crate) fn mean(y: &[f64]) -> f64 {
    if y.is_empty() {
        return f64::NAN;
    }
    y.iter().sum::<f64>() / y.len() as f64
}

/// Sample standard deviation with `n - 1` in the denominator; NaN below two values.
pub(crate) fn std_dev(y: &[f64]) -> f64 {
    if y.len() < 2 {
        return f64::NAN;
    }
    let m = mean(y);
    (y.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (y.len() - 1) as f64).sqrt()
}

/// Root of the sum of squares divided by `dof`; `None` when `dof` is zero.
pub(crate) fn residual_sigma(residuals: &[f64], dof: usize) -> Option<f64> {
    if dof == 0 {
        return None;
    }
    // Scaled by the largest residual so huge series do not overflow when squared.
    let scale = residuals.iter().fold(0.0_f64, |a, e| a.max(e.abs()));
    if scale == 0.0 || !scale.is_finite() {
        return Some(scale);
    }
    Some(scale * (residuals.iter().map(|e| (e / scale).powi(2)).sum::<f64>() / dof as f64).sqrt())
}

/// Two-sided standard normal multiplier for a `level` percent interval (1.96 for 95).
pub(crate) fn z_for_level(level: f64) -> f64 {
    normal_quantile(0.5 + level / 200.0)
}

/// Sample autocorrelations at lags `1..=nlags` (denominator: total sum of squares, as in
/// Box–Jenkins). Zeros for a constant series.
pub(crate) fn acf(y: &[f64], nlags: usize) -> Vec<f64> {
    let n = y.len();
    let m = mean(y);
    let denom: f64 = y.iter().map(|v| (v - m).powi(2)).sum();
    (1..=nlags)
        .map(|k| {
            if denom <= 0.0 || k >= n {
                return 0.0;
            }
            let num: f64 = (0..n - k).map(|t| (y[t] - m) * (y[t + k] - m)).sum();
            num / denom
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn z_for_level_is_the_two_sided_normal_multiplier() {
        assert!((z_for_level(80.0) - 1.2815515655446004).abs() < 1e-12);
        assert!((z_for_level(95.0) - 1.959963984540054).abs() < 1e-12);
    }

    #[test]
    fn acf_of_alternating_series_is_minus_one_ish() {
        let y: Vec<f64> = (0..100).map(|i| if i % 2 == 0 { 1.0 } else { -1.0 }).collect();
        let r = acf(&y, 2);
        assert!((r[0] + 0.99).abs() < 1e-9);
        assert!((r[1] - 0.98).abs() < 1e-9);
    }
}
