//! MSTL: decomposition with several seasonal periods.

use serde::Serialize;

use super::stl::{StlOptions, stl};
use crate::error::{Error, Result};
use crate::forecast::input;

/// MSTL settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MstlOptions {
    /// Passes over all periods (default 2; one pass when there is a single period).
    pub iterations: usize,
    /// Seasonal smoother length per period in ascending period order; `None` uses
    /// 11, 15, 19, … (7 + 4·k, as R's `forecast::mstl`).
    pub seasonal_windows: Option<Vec<usize>>,
    /// Robust STL fits (default false).
    pub robust: bool,
}

impl Default for MstlOptions {
    fn default() -> Self {
        MstlOptions { iterations: 2, seasonal_windows: None, robust: false }
    }
}

/// Components of an MSTL decomposition: `data = trend + Σ seasonal + remainder`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mstl {
    /// The seasonal periods actually used, ascending.
    pub periods: Vec<usize>,
    /// Trend component.
    pub trend: Vec<f64>,
    /// One seasonal component per entry of `periods`.
    pub seasonals: Vec<Vec<f64>>,
    /// What is left.
    pub remainder: Vec<f64>,
    /// Periods left out because the series is shorter than two of them, or because they are 1.
    pub dropped_periods: Vec<usize>,
}

impl Mstl {
    /// The series without its seasonal components (`trend + remainder`).
    pub fn deseasonalized(&self) -> Vec<f64> {
        self.trend.iter().zip(&self.remainder).map(|(t, r)| t + r).collect()
    }
}

/// Decomposes `y` with the seasonal `periods` (Bandara, Hyndman & Bergmeir 2021): each
/// seasonal component is re-estimated by STL (seasonal LOESS of degree 0) on the series
/// without the other components, `iterations` times; the trend is that of the last STL fit.
///
/// Periods of 1 and periods longer than half the series are dropped (listed in
/// `dropped_periods`); with no period left the trend is the series itself, the remainder zero.
///
/// ```
/// use storelytics::decompose::{MstlOptions, mstl};
/// let y: Vec<f64> = (0..120).map(|t| [2.0, 0.0, -2.0][t % 3] + [5.0, 5.0, 5.0, 5.0, 5.0, -5.0, -5.0, -5.0, -5.0, -5.0][t % 10]).collect();
/// let d = mstl(&y, &[10, 3], &MstlOptions::default()).unwrap();
/// assert_eq!(d.periods, vec![3, 10]);
/// ```
pub fn mstl(y: &[f64], periods: &[usize], options: &MstlOptions) -> Result<Mstl> {
    input::check_values("MSTL", y)?;
    if periods.is_empty() {
        return Err(Error::invalid_parameter("periods", "needs at least one seasonal period"));
    }
    let n = y.len();
    let mut sorted: Vec<usize> = periods.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let (used, dropped): (Vec<usize>, Vec<usize>) = sorted.iter().partition(|&&p| p >= 2 && n >= 2 * p);
    let windows: Vec<usize> = match &options.seasonal_windows {
        Some(w) => {
            if w.len() != sorted.len() {
                return Err(Error::invalid_parameter(
                    "seasonal_windows",
                    format!("has {} entries but there are {} distinct periods", w.len(), sorted.len()),
                ));
            }
            used.iter().filter_map(|p| sorted.iter().position(|q| q == p).map(|i| w[i])).collect()
        }
        None => (1..=used.len()).map(|k| 7 + 4 * k).collect(),
    };
    if used.is_empty() {
        return Ok(Mstl {
            periods: Vec::new(),
            trend: y.to_vec(),
            seasonals: Vec::new(),
            remainder: vec![0.0; n],
            dropped_periods: dropped,
        });
    }
    let iterations = if used.len() == 1 { 1 } else { options.iterations.max(1) };
    let mut seasonals = vec![vec![0.0; n]; used.len()];
    let mut deseasonalized = y.to_vec();
    let mut trend = vec![0.0; n];
    for _ in 0..iterations {
        for (i, &period) in used.iter().enumerate() {
            for (d, s) in deseasonalized.iter_mut().zip(&seasonals[i]) {
                *d += s;
            }
            let stl_options = StlOptions {
                seasonal_window: windows[i],
                seasonal_degree: 0,
                robust: options.robust,
                ..Default::default()
            };
            let fit = stl(&deseasonalized, period, stl_options)?;
            for (d, s) in deseasonalized.iter_mut().zip(&fit.seasonal) {
                *d -= s;
            }
            seasonals[i] = fit.seasonal;
            trend = fit.trend;
        }
    }
    let remainder = deseasonalized.iter().zip(&trend).map(|(d, t)| d - t).collect();
    Ok(Mstl { periods: used, trend, seasonals, remainder, dropped_periods: dropped })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_two_seasonal_patterns() {
        let week = [3.0, 1.0, 0.0, -1.0, -2.0, -2.0, 1.0];
        let y: Vec<f64> = (0..364)
            .map(|t| 50.0 + 0.05 * t as f64 + week[t % 7] + 8.0 * (2.0 * std::f64::consts::PI * t as f64 / 91.0).sin())
            .collect();
        let d = mstl(&y, &[7, 91], &MstlOptions::default()).unwrap();
        assert_eq!(d.periods, vec![7, 91]);
        let mid = 182;
        assert!((d.seasonals[0][mid] - week[mid % 7]).abs() < 0.5, "{}", d.seasonals[0][mid]);
        for (t, v) in y.iter().enumerate() {
            let total = d.trend[t] + d.seasonals[0][t] + d.seasonals[1][t] + d.remainder[t];
            assert!((total - v).abs() < 1e-9);
        }
    }

    #[test]
    fn drops_periods_that_do_not_fit() {
        let y: Vec<f64> = (0..30).map(|t| (t % 7) as f64).collect();
        let d = mstl(&y, &[7, 365, 1], &MstlOptions::default()).unwrap();
        assert_eq!(d.periods, vec![7]);
        assert_eq!(d.dropped_periods, vec![1, 365]);
        let d = mstl(&y, &[365], &MstlOptions::default()).unwrap();
        assert!(d.seasonals.is_empty() && d.remainder.iter().all(|r| *r == 0.0));
        assert!(mstl(&y, &[], &MstlOptions::default()).is_err());
    }
}
