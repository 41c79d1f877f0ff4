//! STL: seasonal-trend decomposition by LOESS, through the `stlrs` crate.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::forecast::input;

/// STL settings. Lengths are numbers of observations (made odd); `None` picks the usual
/// default from the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StlOptions {
    /// Seasonal smoother length (default 7, must be at least 3).
    pub seasonal_window: usize,
    /// Degree of the seasonal LOESS, 0 or 1 (default 1).
    pub seasonal_degree: u8,
    /// Trend smoother length (default: the smallest odd integer ≥ 1.5·period / (1 − 1.5/seasonal_window)).
    pub trend_window: Option<usize>,
    /// Low-pass filter length (default: the smallest odd integer > period).
    pub low_pass_window: Option<usize>,
    /// Robust fitting that down-weights outliers (default false).
    pub robust: bool,
}

impl Default for StlOptions {
    fn default() -> Self {
        StlOptions { seasonal_window: 7, seasonal_degree: 1, trend_window: None, low_pass_window: None, robust: false }
    }
}

/// Components of an STL decomposition (`data = trend + seasonal + remainder`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stl {
    /// Trend component.
    pub trend: Vec<f64>,
    /// Seasonal component.
    pub seasonal: Vec<f64>,
    /// What is left.
    pub remainder: Vec<f64>,
}

fn odd_at_least(v: usize) -> usize {
    if v.is_multiple_of(2) { v + 1 } else { v }
}

/// Decomposes `y` with seasonal `period` (at least 2; needs two full periods).
///
/// Defaults follow Cleveland et al. (1990) as implemented by statsmodels: every LOESS is
/// evaluated at every point, 5 inner iterations (2 with 15 robustness iterations when robust).
///
/// ```
/// use storelytics::decompose::{StlOptions, stl};
/// let y: Vec<f64> = (0..56).map(|t| t as f64 * 0.1 + [3.0, 0.0, 0.0, 0.0, 0.0, 0.0, -3.0][t % 7]).collect();
/// let d = stl(&y, 7, StlOptions::default()).unwrap();
/// assert!((d.seasonal[28] - 3.0).abs() < 0.5);
/// ```
pub fn stl(y: &[f64], period: usize, options: StlOptions) -> Result<Stl> {
    input::check_values("STL", y)?;
    if period < 2 {
        return Err(Error::invalid_parameter("period", "must be at least 2"));
    }
    if y.len() < 2 * period {
        return Err(Error::insufficient_data(
            "STL",
            format!("needs two full periods ({} observations), got {}", 2 * period, y.len()),
        ));
    }
    if options.seasonal_window < 3 {
        return Err(Error::invalid_parameter("seasonal_window", "must be at least 3"));
    }
    if options.seasonal_degree > 1 {
        return Err(Error::invalid_parameter("seasonal_degree", "must be 0 or 1"));
    }
    let ns = odd_at_least(options.seasonal_window);
    let nt = odd_at_least(
        options.trend_window.unwrap_or_else(|| (1.5 * period as f64 / (1.0 - 1.5 / ns as f64)).ceil() as usize).max(3),
    );
    let nl = odd_at_least(options.low_pass_window.unwrap_or(period + 1).max(3));
    let (inner, outer) = if options.robust { (2, 15) } else { (5, 0) };
    let fit = stlrs::params()
        .seasonal_length(ns)
        .trend_length(nt)
        .low_pass_length(nl)
        .seasonal_degree(i32::from(options.seasonal_degree))
        .trend_degree(1)
        .low_pass_degree(1)
        .seasonal_jump(1)
        .trend_jump(1)
        .low_pass_jump(1)
        .inner_loops(inner)
        .outer_loops(outer)
        .robust(options.robust)
        .fit(y, period)
        .map_err(|e| Error::Numerical { analysis: "STL".into(), problem: e.to_string() })?;
    let (seasonal, trend, remainder, _) = fit.into_parts();
    if seasonal.iter().chain(&trend).any(|v| !v.is_finite()) {
        return Err(Error::Numerical { analysis: "STL".into(), problem: "components are not finite".into() });
    }
    Ok(Stl { trend, seasonal, remainder })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_add_up() {
        let y: Vec<f64> = (0..60).map(|t| (t as f64).sqrt() + [1.0, 2.0, -3.0, 0.0][t % 4]).collect();
        let d = stl(&y, 4, StlOptions::default()).unwrap();
        for (t, v) in y.iter().enumerate() {
            assert!((d.trend[t] + d.seasonal[t] + d.remainder[t] - v).abs() < 1e-9);
        }
    }

    #[test]
    fn short_series_and_bad_options_are_errors() {
        assert_eq!(stl(&[1.0; 7], 4, StlOptions::default()).unwrap_err().kind(), "insufficient_data");
        assert!(stl(&[1.0; 20], 1, StlOptions::default()).is_err());
        let bad = StlOptions { seasonal_degree: 2, ..Default::default() };
        assert!(stl(&[1.0; 20], 4, bad).is_err());
        assert!(stl(&[1.0; 20], 4, StlOptions::default()).is_ok());
    }
}
