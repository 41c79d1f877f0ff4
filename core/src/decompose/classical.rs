//! Classical (moving-average) seasonal decomposition.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::forecast::input;

/// How the seasonal component combines with the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeasonalMode {
    /// `y = trend + seasonal + remainder`.
    Additive,
    /// `y = trend × seasonal × remainder` (positive data only).
    Multiplicative,
}

/// Result of [`classical`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassicalDecomposition {
    /// How the components combine.
    pub mode: SeasonalMode,
    /// Centred moving average; NaN in the first and last half season, where it is undefined.
    pub trend: Vec<f64>,
    /// One seasonal index per position in the season (mean 0 additive, mean 1 multiplicative).
    pub seasonal_indices: Vec<f64>,
    /// The seasonal index of every observation.
    pub seasonal: Vec<f64>,
}

impl ClassicalDecomposition {
    /// The seasonal index of observation `t` (also for `t` beyond the data).
    pub fn index_at(&self, t: usize) -> f64 {
        let m = self.seasonal_indices.len().max(1);
        self.seasonal_indices.get(t % m).copied().unwrap_or(0.0)
    }
}

/// Decomposes `y` with a centred moving average of one season (a 2×m average for even `m`)
/// and seasonal indices that average the detrended values at each position in the season.
///
/// Needs at least two full seasons; the multiplicative mode needs positive data.
///
/// ```
/// use storelytics::decompose::{SeasonalMode, classical};
/// let y: Vec<f64> = (0..24).map(|t| 10.0 + [1.0, -1.0, 2.0, -2.0][t % 4]).collect();
/// let d = classical(&y, 4, SeasonalMode::Additive).unwrap();
/// assert!((d.seasonal_indices[2] - 2.0).abs() < 1e-9);
/// ```
pub fn classical(y: &[f64], period: usize, mode: SeasonalMode) -> Result<ClassicalDecomposition> {
    input::check_values("classical decomposition", y)?;
    let n = y.len();
    if period < 2 {
        return Err(Error::invalid_parameter("period", "must be at least 2"));
    }
    if n < 2 * period {
        return Err(Error::insufficient_data(
            "classical decomposition",
            format!("needs two full seasons ({} observations), got {n}", 2 * period),
        ));
    }
    if mode == SeasonalMode::Multiplicative && y.iter().any(|v| *v <= 0.0) {
        return Err(Error::invalid_parameter("mode", "multiplicative decomposition needs positive data"));
    }
    // Centred moving-average weights.
    let weights: Vec<f64> = if period.is_multiple_of(2) {
        let mut w = vec![1.0 / period as f64; period + 1];
        w[0] /= 2.0;
        w[period] /= 2.0;
        w
    } else {
        vec![1.0 / period as f64; period]
    };
    let half = weights.len() / 2;
    let mut trend = vec![f64::NAN; n];
    for (t, slot) in trend.iter_mut().enumerate().take(n - half).skip(half) {
        *slot = weights.iter().enumerate().map(|(k, w)| w * y[t + k - half]).sum();
    }
    let mut sums = vec![0.0; period];
    let mut counts = vec![0usize; period];
    for t in 0..n {
        if trend[t].is_finite() {
            let d = match mode {
                SeasonalMode::Additive => y[t] - trend[t],
                SeasonalMode::Multiplicative => y[t] / trend[t],
            };
            sums[t % period] += d;
            counts[t % period] += 1;
        }
    }
    let mut indices: Vec<f64> = sums.iter().zip(&counts).map(|(s, c)| s / (*c).max(1) as f64).collect();
    let avg = indices.iter().sum::<f64>() / period as f64;
    for v in &mut indices {
        match mode {
            SeasonalMode::Additive => *v -= avg,
            SeasonalMode::Multiplicative => *v /= avg,
        }
    }
    if indices.iter().any(|v| !v.is_finite()) {
        return Err(Error::Numerical {
            analysis: "classical decomposition".into(),
            problem: "seasonal indices are not finite".into(),
        });
    }
    let seasonal = (0..n).map(|t| indices[t % period]).collect();
    Ok(ClassicalDecomposition { mode, trend, seasonal_indices: indices, seasonal })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiplicative_indices_average_one() {
        let y: Vec<f64> = (0..36).map(|t| (100.0 + t as f64) * [0.8, 1.0, 1.2][t % 3]).collect();
        let d = classical(&y, 3, SeasonalMode::Multiplicative).unwrap();
        assert!((d.seasonal_indices.iter().sum::<f64>() / 3.0 - 1.0).abs() < 1e-12);
        assert!((d.seasonal_indices[0] - 0.8).abs() < 0.01);
        assert!(d.trend[0].is_nan() && d.trend[1].is_finite());
    }

    #[test]
    fn errors() {
        assert!(classical(&[1.0, 2.0, 3.0], 2, SeasonalMode::Additive).is_err());
        assert!(classical(&[1.0, -2.0, 3.0, 4.0], 2, SeasonalMode::Multiplicative).is_err());
        assert!(classical(&[1.0, 2.0, 3.0, 4.0], 1, SeasonalMode::Additive).is_err());
    }
}
