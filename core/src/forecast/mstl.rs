//! MSTL forecasts: seasonal components by seasonal naive, the rest by a trend model.

use std::fmt;
use std::sync::Arc;

use super::baseline::{Naive, RandomWalkWithDrift};
use super::input::check_inputs;
use super::intervals::ensure_finite;
use super::ses::Ses;
use super::theta::{AutoTheta, ThetaVariant};
use super::{Forecast, Forecaster};
use crate::decompose::{MstlOptions, mstl};
use crate::error::Result;

/// The model that forecasts the seasonally adjusted series (trend + remainder).
#[derive(Clone, Default)]
pub enum TrendModel {
    /// Non-seasonal Theta (SES with drift): STM or OTM, whichever fits better (default).
    #[default]
    Theta,
    /// Simple exponential smoothing with optimised smoothing.
    Ses,
    /// Random walk with drift.
    Drift,
    /// Naive (last value).
    Naive,
    /// Any other model, e.g. a non-seasonal AutoETS or AutoARIMA; called with season length 1.
    Custom(Arc<dyn Forecaster>),
}

impl fmt::Debug for TrendModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrendModel::Theta => f.write_str("Theta"),
            TrendModel::Ses => f.write_str("Ses"),
            TrendModel::Drift => f.write_str("Drift"),
            TrendModel::Naive => f.write_str("Naive"),
            TrendModel::Custom(m) => write!(f, "Custom({})", m.name()),
        }
    }
}

impl TrendModel {
    fn fit_predict(&self, y: &[f64], horizon: usize, levels: &[f64]) -> Result<Forecast> {
        match self {
            TrendModel::Theta => AutoTheta { variants: vec![ThetaVariant::Standard, ThetaVariant::Optimized] }
                .fit_predict(y, 1, horizon, levels),
            TrendModel::Ses => Ses::default().fit_predict(y, 1, horizon, levels),
            TrendModel::Drift => RandomWalkWithDrift.fit_predict(y, 1, horizon, levels),
            TrendModel::Naive => Naive.fit_predict(y, 1, horizon, levels),
            TrendModel::Custom(m) => m.fit_predict(y, 1, horizon, levels),
        }
    }
}

/// MSTL forecaster (Bandara, Hyndman & Bergmeir 2021): decomposes the series with
/// [`mstl`](crate::decompose::mstl), forecasts each seasonal component by repeating its last
/// cycle and the seasonally adjusted series with [`TrendModel`]; intervals are the trend
/// model's, shifted by the seasonal forecast.
///
/// Fallback: periods that do not fit twice into the series are dropped (noted); with none
/// left the trend model forecasts the series alone.
///
/// ```
/// use storelytics::forecast::{Forecaster, mstl::MstlForecaster};
/// let y: Vec<f64> = (0..120).map(|t| 50.0 + [6.0, -2.0, -2.0, -2.0, 0.0, 0.0, 0.0][t % 7]).collect();
/// let f = MstlForecaster::default().fit_predict(&y, 7, 7, &[95.0]).unwrap();
/// assert!((f.mean[6] - 56.0).abs() < 1.0);
/// ```
#[derive(Debug, Clone, Default)]
pub struct MstlForecaster {
    /// Seasonal periods, e.g. `[7, 365]` for daily data; empty (default) = the season length
    /// passed to `fit_predict`.
    pub periods: Vec<usize>,
    /// Model for the seasonally adjusted series (default [`TrendModel::Theta`]).
    pub trend: TrendModel,
    /// Decomposition settings.
    pub options: MstlOptions,
}

impl Forecaster for MstlForecaster {
    fn name(&self) -> String {
        "MSTL".into()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        check_inputs("MSTL", y, season_length, horizon, levels)?;
        let periods = if self.periods.is_empty() { vec![season_length] } else { self.periods.clone() };
        let decomposition = mstl(y, &periods, &self.options)?;
        let mut notes = Vec::new();
        let dropped: Vec<usize> = decomposition.dropped_periods.iter().copied().filter(|p| *p > 1).collect();
        if !dropped.is_empty() {
            notes.push(format!("seasonal periods {dropped:?} dropped: the series does not cover two of them"));
        }
        let adjusted = decomposition.deseasonalized();
        let mut forecast = self.trend.fit_predict(&adjusted, horizon, levels)?;
        let n = y.len();
        let seasonal_forecast: Vec<f64> = (0..horizon)
            .map(|h| {
                decomposition.periods.iter().zip(&decomposition.seasonals).map(|(&p, s)| s[n - p + h % p]).sum::<f64>()
            })
            .collect();
        for (v, s) in forecast.mean.iter_mut().zip(&seasonal_forecast) {
            *v += s;
        }
        for interval in &mut forecast.intervals {
            for ((lo, hi), s) in interval.lower.iter_mut().zip(interval.upper.iter_mut()).zip(&seasonal_forecast) {
                *lo += s;
                *hi += s;
            }
        }
        forecast.model = format!("MSTL({:?}, trend={})", decomposition.periods, forecast.model);
        forecast.fitted = None;
        notes.append(&mut forecast.notes);
        forecast.notes = notes;
        ensure_finite("MSTL", forecast)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_seasonalities_are_carried_forward() {
        let week = [4.0, 0.0, -1.0, -1.0, -1.0, 0.0, -1.0];
        let y: Vec<f64> = (0..200).map(|t| 30.0 + week[t % 7] + if (t / 5) % 2 == 0 { 3.0 } else { -3.0 }).collect();
        let m = MstlForecaster { periods: vec![7, 10], trend: TrendModel::Naive, ..Default::default() };
        let f = m.fit_predict(&y, 7, 14, &[90.0]).unwrap();
        for h in 0..14 {
            let t = 200 + h;
            let expected = 30.0 + week[t % 7] + if (t / 5) % 2 == 0 { 3.0 } else { -3.0 };
            assert!((f.mean[h] - expected).abs() < 1.5, "h={h} {} vs {expected}", f.mean[h]);
        }
        assert!(f.interval(90.0).is_some());
    }

    #[test]
    fn short_series_drops_periods_with_note() {
        let y: Vec<f64> = (0..20).map(|t| t as f64).collect();
        let f = MstlForecaster { periods: vec![7, 365], ..Default::default() }.fit_predict(&y, 7, 3, &[]).unwrap();
        assert!(f.notes.iter().any(|n| n.contains("365")));
        let f = MstlForecaster::default().fit_predict(&[1.0, 2.0, 3.0, 4.0, 5.0], 7, 2, &[]).unwrap();
        assert!(f.model.starts_with("MSTL([]"));
        let custom = MstlForecaster { trend: TrendModel::Custom(Arc::new(Naive)), ..Default::default() };
        assert_eq!(custom.fit_predict(&[1.0, 2.0], 1, 1, &[]).unwrap().mean, vec![2.0]);
    }
}
