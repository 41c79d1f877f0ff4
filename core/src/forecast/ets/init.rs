//! Starting values for the optimiser: initial states from a classical decomposition (or a
//! small Fourier regression for short series) and a linear regression on the seasonally
//! adjusted start of the series (Hyndman et al. 2008, sec. 5.2; R `forecast::ets`), and
//! starting smoothing parameters inside the usual bounds.

use super::admissible::Bounds;
use super::recursion::{EtsParams, EtsStates};
use super::spec::{EtsSpec, SeasonType, TrendType};
use crate::numeric::solve;

/// Initial states: level, growth and `m` seasonal states (most recent first).
pub(crate) fn initial_states(y: &[f64], m: usize, spec: &EtsSpec) -> EtsStates {
    let n = y.len();
    let (season, adjusted) = if spec.is_seasonal() && m > 1 {
        let multiplicative = spec.season == SeasonType::Multiplicative;
        let pattern =
            if n >= 3 * m { decomposition(y, m, multiplicative) } else { fourier_detrended(y, m, multiplicative) };
        // Seasonal states for periods m-1, ..., 1 (most recent first); the state of period 0
        // follows from the normalisation (sum 0 or sum m).
        let mut init: Vec<f64> = (1..m).rev().map(|i| pattern.get(i).copied().unwrap_or(0.0)).collect();
        let adjusted: Vec<f64>;
        if multiplicative {
            for s in init.iter_mut() {
                *s = s.max(1e-2);
            }
            let sum: f64 = init.iter().sum();
            if sum > m as f64 {
                let denom: f64 = init.iter().map(|s| s + 1e-2).sum();
                for s in init.iter_mut() {
                    *s /= denom;
                }
            }
            adjusted = y.iter().enumerate().map(|(t, v)| v / pattern[t % m].max(1e-2)).collect();
        } else {
            adjusted = y.iter().enumerate().map(|(t, v)| v - pattern[t % m]).collect();
        }
        let sum: f64 = init.iter().sum();
        init.push(if multiplicative { m as f64 - sum } else { -sum });
        (init, adjusted)
    } else {
        (Vec::new(), y.to_vec())
    };
    let maxn = (2 * m).max(10).min(n).max(1);
    let head = &adjusted[..maxn.min(adjusted.len())];
    let (level, growth) = match spec.trend {
        TrendType::None => (mean(head), 0.0),
        TrendType::Additive => {
            let (mut l, mut b) = line_fit(head);
            if (l + b).abs() < 1e-8 {
                l *= 1.0 + 1e-3;
                b *= 1.0 - 1e-3;
            }
            (l, b)
        }
        TrendType::Multiplicative => multiplicative_trend_start(head),
    };
    EtsStates { level, growth, season }
}

fn multiplicative_trend_start(head: &[f64]) -> (f64, f64) {
    let (l, b) = line_fit(head);
    let mut l0 = l + b;
    if l0.abs() < 1e-8 {
        l0 = 1e-7;
    }
    let mut b0 = (l + 2.0 * b) / l0;
    let div = if b0.abs() < 1e-8 { 1e-8 } else { b0 };
    l0 /= div;
    if b0.abs() > 1e10 {
        b0 = b0.signum() * 1e10;
    }
    if l0 < 1e-8 || b0 < 1e-8 || !l0.is_finite() || !b0.is_finite() {
        let first = head.first().copied().unwrap_or(1.0);
        let second = head.get(1).copied().unwrap_or(first);
        l0 = first.max(1e-3);
        let div = if first.abs() < 1e-8 { 1e-8 } else { first };
        b0 = (second / div).max(1e-3);
    }
    (l0, b0)
}

/// Starting smoothing parameters (as R `forecast::ets` chooses them).
pub(crate) fn initial_params(spec: &EtsSpec, m: usize, bounds: &Bounds) -> EtsParams {
    let (lo, up) = (bounds.lower, bounds.upper);
    let m = if spec.is_seasonal() { m.max(1) } else { 1 } as f64;
    let mut alpha = lo[0] + 0.2 * (up[0] - lo[0]) / m;
    if !(0.0..=1.0).contains(&alpha) {
        alpha = lo[0] + 2e-3;
    }
    let mut beta = 0.0;
    if spec.has_trend() {
        let upper = up[1].min(alpha);
        beta = lo[1] + 0.1 * (upper - lo[1]);
        if beta < 0.0 || beta > alpha {
            beta = alpha - 1e-3;
        }
    }
    let mut gamma = 0.0;
    if spec.is_seasonal() {
        let upper = up[2].min(1.0 - alpha);
        gamma = lo[2] + 0.05 * (upper - lo[2]);
        if gamma < 0.0 || gamma > 1.0 - alpha {
            gamma = 1.0 - alpha - 1e-3;
        }
    }
    let mut phi = 1.0;
    if spec.damped && spec.has_trend() {
        phi = lo[3] + 0.99 * (up[3] - lo[3]);
        if !(0.0..=1.0).contains(&phi) {
            phi = up[3] - 1e-3;
        }
    }
    EtsParams { alpha, beta, gamma, phi }
}

fn mean(x: &[f64]) -> f64 {
    if x.is_empty() { 0.0 } else { x.iter().sum::<f64>() / x.len() as f64 }
}

/// Least-squares line `x_t = a + b t` for `t = 1..=n`; `(a, b)`.
fn line_fit(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    if x.len() < 2 {
        return (mean(x), 0.0);
    }
    let t_mean = (n + 1.0) / 2.0;
    let x_mean = mean(x);
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, v) in x.iter().enumerate() {
        let dt = (i + 1) as f64 - t_mean;
        sxy += dt * (v - x_mean);
        sxx += dt * dt;
    }
    let b = sxy / sxx;
    (x_mean - b * t_mean, b)
}

/// Seasonal indices per period position (0..m) from a classical decomposition: centred moving
/// average trend (2×m for even m), per-position mean of the detrended series, normalised to
/// mean 0 (additive) or 1 (multiplicative).
pub(crate) fn decomposition(y: &[f64], m: usize, multiplicative: bool) -> Vec<f64> {
    let n = y.len();
    let half = m / 2;
    let weights: Vec<f64> = if m.is_multiple_of(2) {
        (0..=m).map(|k| if k == 0 || k == m { 0.5 / m as f64 } else { 1.0 / m as f64 }).collect()
    } else {
        vec![1.0 / m as f64; m]
    };
    let mut sums = vec![0.0; m];
    let mut counts = vec![0usize; m];
    for t in half..n.saturating_sub(half) {
        let trend: f64 = weights.iter().enumerate().map(|(k, w)| w * y[t + k - half]).sum();
        let detrended = if multiplicative { y[t] / trend } else { y[t] - trend };
        if detrended.is_finite() {
            sums[t % m] += detrended;
            counts[t % m] += 1;
        }
    }
    let mut idx: Vec<f64> = sums
        .iter()
        .zip(&counts)
        .map(|(s, &c)| {
            if c > 0 {
                s / c as f64
            } else if multiplicative {
                1.0
            } else {
                0.0
            }
        })
        .collect();
    let centre = mean(&idx);
    for v in idx.iter_mut() {
        if multiplicative {
            if centre != 0.0 {
                *v /= centre;
            }
        } else {
            *v -= centre;
        }
    }
    idx
}

/// For series shorter than three seasons: the first cycle of the series with the linear part
/// of a regression on `1, t, sin(2πt/m), cos(2πt/m)` removed (or divided out).
fn fourier_detrended(y: &[f64], m: usize, multiplicative: bool) -> Vec<f64> {
    let n = y.len();
    let w = 2.0 * std::f64::consts::PI / m as f64;
    let with_sin = m > 2;
    let row = |t: f64| -> Vec<f64> {
        let mut r = vec![1.0, t, (w * t).cos()];
        if with_sin {
            r.push((w * t).sin());
        }
        r
    };
    let k = if with_sin { 4 } else { 3 };
    let mut xtx = vec![0.0; k * k];
    let mut xty = vec![0.0; k];
    for (i, v) in y.iter().enumerate() {
        let r = row((i + 1) as f64);
        for a in 0..k {
            xty[a] += r[a] * v;
            for b in 0..k {
                xtx[a * k + b] += r[a] * r[b];
            }
        }
    }
    let coef = solve(&mut xtx, &mut xty, k).unwrap_or_else(|| {
        let (a, b) = line_fit(y);
        let mut c = vec![a, b];
        c.resize(k, 0.0);
        c
    });
    (0..m.min(n))
        .map(|i| {
            let line = coef[0] + coef[1] * (i + 1) as f64;
            if multiplicative { y[i] / line } else { y[i] - line }
        })
        .chain(std::iter::repeat(if multiplicative { 1.0 } else { 0.0 }))
        .take(m)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposition_recovers_a_clean_pattern() {
        let pattern = [3.0, -1.0, -2.0, 0.0];
        let y: Vec<f64> = (0..40).map(|t| 100.0 + 0.5 * t as f64 + pattern[t % 4]).collect();
        let idx = decomposition(&y, 4, false);
        for (a, b) in idx.iter().zip(pattern) {
            assert!((a - b).abs() < 1e-9, "{idx:?}");
        }
        let spec = EtsSpec::parse("AAA").unwrap();
        let s = initial_states(&y, 4, &spec);
        // Most recent first: periods 3, 2, 1, then 0.
        assert_eq!(s.season.len(), 4);
        assert!((s.season[0] - 0.0).abs() < 1e-9 && (s.season[3] - 3.0).abs() < 1e-9, "{:?}", s.season);
        // Seasonally adjusted series is the line 100 + 0.5 t (t from 0) = 99.5 + 0.5 (t + 1).
        assert!((s.level - 99.5).abs() < 1e-9 && (s.growth - 0.5).abs() < 1e-9);
    }

    #[test]
    fn short_series_uses_the_fourier_regression() {
        let y: Vec<f64> = (0..10).map(|t| 10.0 + [1.0, -1.0, 2.0, -2.0][t % 4]).collect();
        let s = initial_states(&y, 4, &EtsSpec::parse("MNM").unwrap());
        assert_eq!(s.season.len(), 4);
        assert!(s.season.iter().all(|v| v.is_finite() && *v > 0.0));
        assert!((s.season.iter().sum::<f64>() - 4.0).abs() < 1e-9);
    }

    #[test]
    fn start_parameters_are_inside_the_bounds() {
        let p = initial_params(&EtsSpec::parse("AAdA").unwrap(), 12, &Bounds::default());
        assert!(p.beta < p.alpha && p.gamma < 1.0 - p.alpha && p.phi > 0.8 && p.phi < 0.98);
    }
}
