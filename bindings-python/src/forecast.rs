//! `forecast`: the automatic model choice on a series built from sales.

use std::sync::Arc;

use chrono::NaiveDate;
use pyo3::prelude::*;
use serde::Serialize;
use storelytics::forecast::TimeSeries;
use storelytics::forecast::auto::{AutoChoice, AutoOptions, Thoroughness, auto_forecast};

use crate::convert;
use crate::errors::{guard, invalid_parameter, run};
use crate::sales::PySales;

/// The series the forecast was fitted on, with its bucket start dates.
#[derive(Serialize)]
struct Series {
    label: String,
    granularity: &'static str,
    season_length: usize,
    dates: Vec<NaiveDate>,
    values: Vec<f64>,
}

/// The automatic choice with the series and the start date of each forecast bucket.
#[derive(Serialize)]
struct Answer {
    series: Series,
    dates: Vec<NaiveDate>,
    choice: AutoChoice,
}

fn thoroughness(text: &str) -> PyResult<Thoroughness> {
    match text {
        "fast" => Ok(Thoroughness::Fast),
        "thorough" => Ok(Thoroughness::Thorough),
        other => Err(invalid_parameter("thoroughness", format!("`{other}` is not one of fast, thorough"))),
    }
}

/// The automatic choice (`forecast::auto::auto_forecast`) on `TimeSeries::from_sales`, as JSON.
#[pyfunction]
#[pyo3(signature = (
    sales, horizon, metric="net_revenue", granularity="day", period=None, store=None, product=None,
    season_length=None, keep_partial_buckets=false, thoroughness="fast", include_arima=false,
    route_intermittent=true, n_windows=5, step=None, levels=vec![80.0, 95.0]
))]
#[allow(clippy::too_many_arguments)]
fn forecast_json(
    py: Python<'_>,
    sales: &PySales,
    horizon: usize,
    metric: &str,
    granularity: &str,
    period: Option<(String, String)>,
    store: Option<Bound<'_, PyAny>>,
    product: Option<Bound<'_, PyAny>>,
    season_length: Option<usize>,
    keep_partial_buckets: bool,
    thoroughness: &str,
    include_arima: bool,
    route_intermittent: bool,
    n_windows: usize,
    step: Option<usize>,
    levels: Vec<f64>,
) -> PyResult<String> {
    let (series_options, auto_options) = guard(|| {
        let series = convert::series_options(
            metric,
            granularity,
            period,
            store.as_ref(),
            product.as_ref(),
            season_length,
            keep_partial_buckets,
        )?;
        let auto = AutoOptions {
            thoroughness: self::thoroughness(thoroughness)?,
            include_arima,
            route_intermittent,
            n_windows,
            step,
            levels,
            ..Default::default()
        };
        Ok((series, auto))
    })?;
    let sales = Arc::clone(&sales.inner);
    let answer = run(py, move || {
        let series = TimeSeries::from_sales(&sales, &series_options)?;
        let choice = auto_forecast(series.values(), series.season_length(), horizon, &auto_options)?;
        let n = series.len();
        let dates = (n..n + choice.forecast.mean.len()).map(|i| series.bucket_start(i)).collect();
        let history = Series {
            label: series.label().to_string(),
            granularity: series.granularity().as_str(),
            season_length: series.season_length(),
            dates: (0..n).map(|i| series.bucket_start(i)).collect(),
            values: series.values().to_vec(),
        };
        Ok(Answer { series: history, dates, choice })
    })?;
    convert::json(&answer)
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(forecast_json, m)?)
}
