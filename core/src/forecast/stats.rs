//! Small statistics helpers shared by the forecasting models.

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

/// Quantile function of the standard normal distribution (Acklam's rational approximation
/// refined by one Halley step; absolute error below 1e-12 on (0, 1)).
pub(crate) fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() || p <= 0.0 {
        return if p == 0.0 { f64::NEG_INFINITY } else { f64::NAN };
    }
    if p >= 1.0 {
        return if p == 1.0 { f64::INFINITY } else { f64::NAN };
    }
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383_577_518_672_69e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] =
        [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
    let plow = 0.02425;
    let x = if p < plow {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - plow {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    // One Halley refinement step using the complementary error function.
    let e = 0.5 * erfc(-x / std::f64::consts::SQRT_2) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
    x - u / (1.0 + x * u / 2.0)
}

/// Complementary error function (W. J. Cody's rational Chebyshev approximations via the
/// Numerical Recipes `erfcc` form refined to double precision by a continued fraction tail).
pub(crate) fn erfc(x: f64) -> f64 {
    // Abramowitz–Stegun 7.1.26 is too coarse; use the series / continued fraction split.
    let ax = x.abs();
    let r = if ax < 2.5 {
        // Maclaurin series of erf.
        let mut sum = ax;
        let mut term = ax;
        let x2 = ax * ax;
        let mut k = 0.0;
        loop {
            k += 1.0;
            term *= -x2 / k;
            let add = term / (2.0 * k + 1.0);
            sum += add;
            if add.abs() < 1e-17 * sum.abs() || k > 200.0 {
                break;
            }
        }
        1.0 - 2.0 / std::f64::consts::PI.sqrt() * sum
    } else {
        // Continued fraction (Lentz) for erfc at large arguments.
        let x2 = ax * ax;
        let mut f = ax;
        let mut c = ax;
        let mut d = 0.0;
        for k in 1..300 {
            let a = k as f64 / 2.0;
            d = ax + a * d;
            d = if d == 0.0 { 1e-300 } else { 1.0 / d };
            c = ax + a / c;
            let delta = c * d;
            f *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (-x2).exp() / (f * std::f64::consts::PI.sqrt())
    };
    if x < 0.0 { 2.0 - r } else { r }
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
    fn normal_quantiles_match_tables() {
        assert!((normal_quantile(0.975) - 1.959963984540054).abs() < 1e-12);
        assert!((normal_quantile(0.9) - 1.2815515655446004).abs() < 1e-12);
        assert!((normal_quantile(0.001) + 3.090232306167813).abs() < 1e-11);
        assert!((z_for_level(80.0) - 1.2815515655446004).abs() < 1e-12);
    }

    #[test]
    fn erfc_matches_known_values() {
        assert!((erfc(0.5) - 0.4795001221869535).abs() < 1e-15);
        assert!((erfc(3.0) - 2.209049699858544e-05).abs() < 1e-18);
        assert!((erfc(-1.0) - 1.8427007929497148).abs() < 1e-15);
    }

    #[test]
    fn acf_of_alternating_series_is_minus_one_ish() {
        let y: Vec<f64> = (0..100).map(|i| if i % 2 == 0 { 1.0 } else { -1.0 }).collect();
        let r = acf(&y, 2);
        assert!((r[0] + 0.99).abs() < 1e-9);
        assert!((r[1] - 0.98).abs() < 1e-9);
    }
}
