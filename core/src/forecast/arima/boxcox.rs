//! Box-Cox transformation, its bias-adjusted inverse, and Guerrero's (1993) choice of lambda.

use crate::optim::golden_section;

/// `(y^λ - 1) / λ`, or `ln y` for `λ = 0`. `None` if a value is outside the domain (`y ≤ 0`
/// for `λ ≤ 0`, `y < 0` otherwise) or the result is not finite.
pub(crate) fn transform(y: &[f64], lambda: f64) -> Option<Vec<f64>> {
    let out: Vec<f64> = y
        .iter()
        .map(|&v| {
            if lambda == 0.0 {
                if v > 0.0 { v.ln() } else { f64::NAN }
            } else if v < 0.0 || (lambda < 0.0 && v == 0.0) {
                f64::NAN
            } else {
                (v.powf(lambda) - 1.0) / lambda
            }
        })
        .collect();
    out.iter().all(|v| v.is_finite()).then_some(out)
}

/// The inverse transformation of one value.
pub(crate) fn inverse(x: f64, lambda: f64) -> f64 {
    if lambda == 0.0 {
        x.exp()
    } else {
        let base = x * lambda + 1.0;
        base.signum() * base.abs().powf(1.0 / lambda)
    }
}

/// The inverse of a forecast mean with forecast variance `var` on the transformed scale,
/// adjusted so it estimates the mean rather than the median on the original scale.
pub(crate) fn inverse_mean(x: f64, var: f64, lambda: f64) -> f64 {
    let out = inverse(x, lambda);
    if lambda == 0.0 {
        out * (1.0 + 0.5 * var)
    } else {
        out * (1.0 + 0.5 * var * (1.0 - lambda) / out.powf(2.0 * lambda))
    }
}

/// Guerrero's lambda in `[lower, 2]`: the value that makes the ratio of each season's
/// standard deviation to its mean^(1-λ) most nearly constant (smallest coefficient of
/// variation). Seasons are blocks of `max(m, 2)` observations taken from the end of the series.
/// `lower` is -1, or 0 when the data contain non-positive values. `None` when the series is
/// too short (fewer than two blocks) or degenerate.
pub(crate) fn guerrero(y: &[f64], m: usize) -> Option<f64> {
    let period = m.max(2);
    let blocks = y.len() / period;
    if blocks < 2 {
        return None;
    }
    let lower = if y.iter().any(|&v| v <= 0.0) { 0.0 } else { -1.0 };
    let tail = &y[y.len() - blocks * period..];
    let stats: Vec<(f64, f64)> = tail
        .chunks(period)
        .map(|c| {
            let mean = c.iter().sum::<f64>() / c.len() as f64;
            let var = c.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (c.len() - 1) as f64;
            (mean, var.sqrt())
        })
        .collect();
    let cv = |lam: f64| -> f64 {
        let ratios: Vec<f64> = stats.iter().map(|(mean, sd)| sd / mean.powf(1.0 - lam)).collect();
        let k = ratios.len() as f64;
        let mean = ratios.iter().sum::<f64>() / k;
        let sd = (ratios.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (k - 1.0)).sqrt();
        let v = sd / mean;
        if v.is_finite() { v } else { f64::INFINITY }
    };
    let lam = golden_section(cv, lower, 2.0, 1e-6);
    lam.is_finite().then_some(lam)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transform_round_trips() {
        let y = [1.0, 2.5, 10.0];
        for lam in [0.0, 0.5, -0.3, 1.0] {
            let x = transform(&y, lam).unwrap();
            for (a, b) in y.iter().zip(&x) {
                assert!((inverse(*b, lam) - a).abs() < 1e-12);
            }
        }
        assert!(transform(&[0.0, 1.0], 0.0).is_none());
    }

    #[test]
    fn guerrero_picks_log_for_multiplicative_seasonality() {
        // Seasonal amplitude proportional to the level: the log (lambda near 0) stabilises it.
        let y: Vec<f64> = (0..96)
            .map(|t| {
                let level = 10.0 * 1.05f64.powi(t);
                level * (1.0 + 0.3 * ((t % 12) as f64 / 12.0 * std::f64::consts::TAU).sin())
            })
            .collect();
        let lam = guerrero(&y, 12).unwrap();
        assert!(lam.abs() < 0.2, "{lam}");
    }
}
