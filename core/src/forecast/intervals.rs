//! Building prediction intervals and checking finished forecasts.

use super::stats::z_for_level;
use super::{Forecast, IntervalMethod, PredictionInterval};
use crate::error::{Error, Result};

/// Normal intervals `mean ± z · sigma_h` at each level.
pub(crate) fn normal_intervals(mean: &[f64], sigma_h: &[f64], levels: &[f64]) -> Vec<PredictionInterval> {
    levels
        .iter()
        .map(|&level| {
            let z = z_for_level(level);
            PredictionInterval {
                level,
                lower: mean.iter().zip(sigma_h).map(|(m, s)| m - z * s).collect(),
                upper: mean.iter().zip(sigma_h).map(|(m, s)| m + z * s).collect(),
            }
        })
        .collect()
}

/// A forecast with analytic normal intervals (or none when `levels` is empty).
pub(crate) fn analytic_forecast(
    model: impl Into<String>,
    mean: Vec<f64>,
    sigma_h: &[f64],
    levels: &[f64],
    fitted: Option<Vec<f64>>,
    notes: Vec<String>,
) -> Forecast {
    let intervals = normal_intervals(&mean, sigma_h, levels);
    let interval_method = if levels.is_empty() { IntervalMethod::None } else { IntervalMethod::Analytic };
    Forecast { model: model.into(), mean, intervals, interval_method, fitted, notes }
}

/// A point forecast without intervals.
pub(crate) fn point_forecast(
    model: impl Into<String>,
    mean: Vec<f64>,
    fitted: Option<Vec<f64>>,
    notes: Vec<String>,
) -> Forecast {
    Forecast { model: model.into(), mean, intervals: Vec::new(), interval_method: IntervalMethod::None, fitted, notes }
}

/// Rejects a forecast whose point forecasts or interval bounds are not finite (e.g. after an
/// overflow on huge inputs), so no caller ever sees NaN or infinity.
pub(crate) fn ensure_finite(analysis: &str, forecast: Forecast) -> Result<Forecast> {
    let finite = forecast.mean.iter().all(|v| v.is_finite())
        && forecast.intervals.iter().all(|i| i.lower.iter().chain(&i.upper).all(|v| v.is_finite()));
    if finite {
        Ok(forecast)
    } else {
        Err(Error::Numerical {
            analysis: analysis.into(),
            problem: "the forecast is not finite (values too large for double precision?)".into(),
        })
    }
}
