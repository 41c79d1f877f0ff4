//! Forecasting many series at once.

use super::auto::AutoArima;
use super::options::AutoArimaOptions;
use crate::error::Result;
use crate::forecast::{Forecast, Forecaster};

/// Runs [`AutoArima`] on every series and forecasts `horizon` steps with intervals at `levels`.
///
/// Results are in input order, one per series, each independently an error or a forecast.
/// With the `parallel` feature the series are spread over rayon's thread pool; every series is
/// fitted by the same deterministic code with no shared state, so results do not depend on the
/// number of threads.
///
/// ```
/// use storelytics::forecast::arima::{AutoArimaOptions, forecast_many};
/// let stores: Vec<Vec<f64>> = (0..3)
///     .map(|s| (0..60).map(|t| 100.0 * (s + 1) as f64 + ((t * 7 + s) % 11) as f64).collect())
///     .collect();
/// let results = forecast_many(&stores, 7, 7, &[95.0], &AutoArimaOptions::default());
/// assert_eq!(results.len(), 3);
/// assert!(results.iter().all(|r| r.is_ok()));
/// ```
pub fn forecast_many<S>(
    series: &[S],
    season_length: usize,
    horizon: usize,
    levels: &[f64],
    options: &AutoArimaOptions,
) -> Vec<Result<Forecast>>
where
    S: AsRef<[f64]> + Sync,
{
    let model = AutoArima::new(options.clone());
    let run = |y: &S| model.fit_predict(y.as_ref(), season_length, horizon, levels);
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        series.par_iter().map(run).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        series.iter().map(run).collect()
    }
}
