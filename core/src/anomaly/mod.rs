//! Anomaly detection on any metric series (net revenue, orders, units, AOV, return rate, ...)
//! of a store or product, at any granularity.
//!
//! One entry point, [`detect`], runs one of several [`Detector`]s on a [`TimeSeries`] and
//! returns an [`AnomalyReport`]: each [`Anomaly`] says when (index and date), how big (actual,
//! expected, normal range, score), which direction (spike or drop) and how sure (severity),
//! plus a per-series [`AnomalySummary`]. [`detect_many`] runs many series at once (in
//! parallel with the `parallel` feature; the results do not depend on the thread count).
//!
//! - [`Detector::SeasonalEsd`] (default): seasonal hybrid ESD — robust STL decomposition,
//!   median / MAD scoring and Rosner's generalized ESD test on the remainder.
//! - [`Detector::ForecastInterval`]: outside the interval of a rolling one-step-ahead forecast.
//! - [`Detector::LevelShift`]: change points of the level (PELT), reported as
//!   [`AnomalyKind::LevelShift`].
//! - [`Detector::RollingZScore`], [`Detector::RollingIqr`]: non-seasonal baselines.
//!
//! **Missing buckets** (NaN) and **closed buckets** (see [`ClosedDays`]: a weekly zero pattern is
//! recognised by default, the caller may list dates) are never tested or reported; the models
//! see them as gaps filled by linear interpolation. Their counts are in the summary. A series
//! needs at least 8 open observed buckets, otherwise the result is
//! [`Error::InsufficientData`](crate::Error::InsufficientData). Series shorter than three
//! seasons are analysed without a seasonal component (noted in [`AnomalyReport::notes`]).
//!
//! Non-negative metrics are compared on a multiplicative (log) scale by default, because
//! sales noise and seasonal swings grow with the level; see [`MetricScale`]. Scores are in
//! robust noise standard deviations on that scale; `expected`, `lower` and `upper` are always
//! reported in the metric's own units.
//!
//! ```
//! use chrono::NaiveDate;
//! use storelytics::anomaly::{AnomalyDirection, AnomalyOptions, detect};
//! use storelytics::{calendar::Granularity, forecast::TimeSeries};
//!
//! // Eight weeks of daily revenue with a weekend peak and one bad day.
//! let mut revenue: Vec<f64> = (0..56)
//!     .map(|d| [100.0, 98.0, 103.0, 101.0, 120.0, 150.0, 140.0][d % 7] + (d % 5) as f64)
//!     .collect();
//! revenue[30] = 20.0;
//! let start = NaiveDate::from_ymd_opt(2024, 3, 4).unwrap();
//! let series = TimeSeries::new("store 1 net revenue", start, Granularity::Day, revenue, 7)?;
//! let report = detect(&series, &AnomalyOptions::default())?;
//! assert_eq!(report.anomalies.len(), 1);
//! assert_eq!(report.anomalies[0].date, NaiveDate::from_ymd_opt(2024, 4, 3).unwrap());
//! assert_eq!(report.anomalies[0].direction, AnomalyDirection::Drop);
//! # Ok::<(), storelytics::Error>(())
//! ```

mod decompose;
mod esd;
pub mod evaluation;
mod forecast_interval;
pub mod kernels;
mod level_shift;
mod options;
mod prepare;
mod report;
mod robust;
mod rolling;
mod seasonal_esd;
mod trend_series;

pub use options::{AnomalyOptions, ClosedDays, Detector, Direction, MetricScale};
pub use report::{Anomaly, AnomalyDirection, AnomalyKind, AnomalyReport, AnomalySummary, Severity};
pub use trend_series::{season_length, series_from_trend};

use crate::error::{Error, Result};
use crate::forecast::TimeSeries;
use crate::trend::Trend;

use prepare::{Bucket, Prepared};
use rolling::Baseline;

/// Largest magnitude accepted in a series; beyond it squares overflow.
const MAX_MAGNITUDE: f64 = 1e150;

/// A flagged bucket before direction, cap and severity are applied; values on the model scale.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub(crate) index: usize,
    pub(crate) kind: AnomalyKind,
    pub(crate) actual: f64,
    pub(crate) expected: f64,
    pub(crate) lower: f64,
    pub(crate) upper: f64,
    pub(crate) score: f64,
    /// The score the detector required (for the severity).
    pub(crate) threshold: f64,
}

/// Detects the anomalies of one series with the detector and sensitivity of `options`.
///
/// Errors: [`Error::InvalidParameter`] for options out of range or values beyond ±1e150,
/// [`Error::InsufficientData`] with fewer than 8 open observed buckets, and any error of a
/// caller-supplied forecaster. See the [module documentation](self) for an example.
pub fn detect(series: &TimeSeries, options: &AnomalyOptions) -> Result<AnomalyReport> {
    let thresholds = options.validate()?;
    if let Some(i) = series.values().iter().position(|v| v.abs() > MAX_MAGNITUDE) {
        return Err(Error::invalid_parameter(
            "values",
            format!("value at index {i} exceeds the supported magnitude {MAX_MAGNITUDE:e}"),
        ));
    }
    let prepared = Prepared::new(series, &options.closed_days, options.scale, "anomaly detection")?;
    let mut notes = prepared.notes.clone();
    let candidates = match options.detector {
        Detector::SeasonalEsd => seasonal_esd::seasonal_esd(&prepared, options, &thresholds, &mut notes),
        Detector::ForecastInterval => {
            forecast_interval::forecast_interval(&prepared, options, &thresholds, &mut notes)?
        }
        Detector::LevelShift => level_shift::level_shift(&prepared, options, &thresholds, &mut notes),
        Detector::RollingZScore => rolling::rolling(&prepared, options, &thresholds, Baseline::ZScore),
        Detector::RollingIqr => rolling::rolling(&prepared, options, &thresholds, Baseline::Iqr),
    };
    Ok(build_report(series, options, &prepared, candidates, notes))
}

/// Detects the anomalies of a [`Trend`] (one metric of one store by calendar bucket): the
/// trend becomes a series with [`series_from_trend`] and goes through [`detect`].
///
/// ```
/// use storelytics::anomaly::{AnomalyOptions, ClosedDays, detect_trend};
/// use storelytics::generator::{GeneratorConfig, generate};
/// use storelytics::trend::{TrendOptions, trend};
/// let data = generate(&GeneratorConfig { lines: 30_000, stores: 1, ..Default::default() })?;
/// let store = data.sales.stores()[0].id.clone();
/// let daily = trend(&data.sales, &TrendOptions { store: Some(store), moving_average: 0, ..Default::default() })?;
/// // The generator's stores close on 25 December and 1 January: not anomalies.
/// let closed_days = ClosedDays { dates: data.closed_days.clone(), ..Default::default() };
/// let report = detect_trend(&daily, &AnomalyOptions { closed_days, ..Default::default() })?;
/// assert!(report.summary.count > 0);
/// for anomaly in report.recent(90) {
///     println!("{} {:?} {:.0} (expected {:.0})", anomaly.date, anomaly.direction, anomaly.actual, anomaly.expected);
/// }
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn detect_trend(trend: &Trend, options: &AnomalyOptions) -> Result<AnomalyReport> {
    detect(&series_from_trend(trend)?, options)
}

/// Runs [`detect`] on each series, in parallel with the `parallel` feature. Results are in
/// input order and identical whatever the number of threads.
pub fn detect_many(series: &[TimeSeries], options: &AnomalyOptions) -> Vec<Result<AnomalyReport>> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        series.par_iter().map(|s| detect(s, options)).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        series.iter().map(|s| detect(s, options)).collect()
    }
}

fn build_report(
    series: &TimeSeries,
    options: &AnomalyOptions,
    prepared: &Prepared,
    mut candidates: Vec<Candidate>,
    notes: Vec<String>,
) -> AnomalyReport {
    let tested = prepared.tested();
    candidates.retain(|c| match options.direction {
        Direction::Both => true,
        Direction::Spikes => c.actual > c.expected,
        Direction::Drops => c.actual < c.expected,
    });
    // Cap at the maximum share, keeping the highest scores (ESD already respects it).
    let cap = ((options.max_anomalies * tested as f64).floor() as usize).max(1);
    if candidates.len() > cap {
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
        candidates.truncate(cap);
    }
    candidates.sort_by_key(|c| c.index);
    let back = |x: f64| prepared.transform.inverse(x);
    let anomalies: Vec<Anomaly> = candidates
        .into_iter()
        .map(|c| Anomaly {
            index: c.index,
            date: series.bucket_start(c.index),
            kind: c.kind,
            actual: match c.kind {
                AnomalyKind::Point => prepared.raw.get(c.index).copied().unwrap_or(f64::NAN),
                AnomalyKind::LevelShift => back(c.actual),
            },
            expected: back(c.expected),
            lower: back(c.lower),
            upper: back(c.upper),
            score: c.score,
            direction: if c.actual >= c.expected { AnomalyDirection::Spike } else { AnomalyDirection::Drop },
            severity: report::Severity::of(c.score, c.threshold),
        })
        .collect();
    let count = anomalies.len();
    let spikes = anomalies.iter().filter(|a| a.direction == AnomalyDirection::Spike).count();
    let worst = anomalies.iter().max_by(|a, b| a.score.total_cmp(&b.score).then(b.index.cmp(&a.index))).cloned();
    let summary = AnomalySummary {
        buckets: series.len(),
        tested,
        missing: prepared.buckets.iter().filter(|b| **b == Bucket::Missing).count(),
        closed: prepared.buckets.iter().filter(|b| **b == Bucket::Closed).count(),
        count,
        share: if tested > 0 { count as f64 / tested as f64 } else { 0.0 },
        spikes,
        drops: count - spikes,
        worst,
    };
    AnomalyReport { label: series.label().to_string(), detector: options.detector, anomalies, summary, notes }
}
