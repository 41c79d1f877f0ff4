//! Seasonality test and seasonal adjustment used by the Theta models.

use crate::decompose::{ClassicalDecomposition, SeasonalMode, classical};
use crate::forecast::stats::acf;
use crate::numeric::normal_quantile;

/// Whether `y` is seasonal at lag `m`: the lag-`m` autocorrelation exceeds the 90% two-sided
/// critical value under Bartlett's formula `√((1 + 2 Σ_{k<m} r_k²) / n)`. Needs `m ≥ 4` and
/// two full seasons; shorter or lower-frequency series count as non-seasonal.
pub(crate) fn is_seasonal(y: &[f64], m: usize) -> bool {
    if m < 4 || y.len() < 2 * m {
        return false;
    }
    let r = acf(y, m);
    let Some((last, head)) = r.split_last() else { return false };
    let stat = ((1.0 + 2.0 * head.iter().map(|v| v * v).sum::<f64>()) / y.len() as f64).sqrt();
    stat > 0.0 && last.abs() / stat > normal_quantile(0.95)
}

/// Classical decomposition for seasonal adjustment: multiplicative when the data are positive
/// and no seasonal index is below 0.01, otherwise additive.
pub(crate) fn adjust(y: &[f64], m: usize, prefer_multiplicative: bool) -> Option<ClassicalDecomposition> {
    let positive = y.iter().all(|v| *v > 0.0);
    if prefer_multiplicative
        && positive
        && let Ok(d) = classical(y, m, SeasonalMode::Multiplicative)
        && d.seasonal_indices.iter().all(|s| *s >= 0.01)
    {
        return Some(d);
    }
    classical(y, m, SeasonalMode::Additive).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_weekly_pattern_but_not_noise() {
        let y: Vec<f64> = (0..70).map(|t| [9.0, 2.0, 3.0, 2.5, 3.0, 8.0, 10.0][t % 7] + (t % 3) as f64 * 0.1).collect();
        assert!(is_seasonal(&y, 7));
        let noise: Vec<f64> = (0..70).map(|t| ((t * 7919 + 13) % 17) as f64).collect();
        assert!(!is_seasonal(&noise, 7));
        assert!(!is_seasonal(&y[..10], 7));
    }
}
