//! Automatic model choice by rolling-origin cross-validation.
//!
//! For each series the candidates are backtested on the last `n_windows` windows of
//! `horizon` steps (see [`backtest`](super::backtest)) and the one with the lowest mean MASE
//! is refitted on the whole series. Intermittent series (average inter-demand interval ≥
//! 1.32) are routed to the intermittent-demand candidates. The result names the chosen model
//! and lists every candidate's scores.

mod candidates;

pub use candidates::{Candidate, Thoroughness, arima_candidate, default_candidates, intermittent_candidates};

use std::fmt;

use serde::Serialize;

use super::backtest::{BacktestOptions, BacktestScores, backtest, origins};
use super::baseline::{Naive, SeasonalNaive};
use super::conformal::{Conformal, ConformalOptions};
use super::input::check_inputs;
use super::intermittent::{DemandProfile, classify};
use super::{Forecast, Forecaster, IntervalMethod, TimeSeries};
use crate::error::Result;

/// Settings of the automatic choice.
#[derive(Clone)]
pub struct AutoOptions {
    /// Which default candidate set to use (default [`Thoroughness::Fast`]).
    pub thoroughness: Thoroughness,
    /// Candidates for regular series; `None` (default) = [`default_candidates`].
    pub candidates: Option<Vec<Candidate>>,
    /// Add AutoARIMA ([`arima_candidate`]) to the default candidates of regular series
    /// (default `false`). It makes the choice many times slower on long daily series (see
    /// [`default_candidates`]); ignored when `candidates` is given.
    pub include_arima: bool,
    /// Candidates for intermittent series; `None` (default) = [`intermittent_candidates`].
    pub intermittent: Option<Vec<Candidate>>,
    /// Route intermittent series to the intermittent candidates (default true).
    pub route_intermittent: bool,
    /// Cross-validation windows (default 5; fewer when the series is short). More windows make
    /// the choice less noisy: on the seasonal sales collection of `benches/python/auto_choice.py`
    /// two windows chose clearly worse models than five.
    pub n_windows: usize,
    /// Observations between windows; `None` (default) = the horizon.
    pub step: Option<usize>,
    /// Interval levels of the final forecast (default `[80, 95]`).
    pub levels: Vec<f64>,
}

impl Default for AutoOptions {
    fn default() -> Self {
        AutoOptions {
            thoroughness: Thoroughness::Fast,
            candidates: None,
            include_arima: false,
            intermittent: None,
            route_intermittent: true,
            n_windows: 5,
            step: None,
            levels: vec![80.0, 95.0],
        }
    }
}

impl AutoOptions {
    /// The thorough setting: more candidates (see [`Thoroughness::Thorough`]).
    pub fn thorough() -> Self {
        AutoOptions { thoroughness: Thoroughness::Thorough, ..Default::default() }
    }
}

impl fmt::Debug for AutoOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |c: &Option<Vec<Candidate>>| c.as_ref().map(|v| v.iter().map(|m| m.name()).collect::<Vec<_>>());
        f.debug_struct("AutoOptions")
            .field("thoroughness", &self.thoroughness)
            .field("candidates", &names(&self.candidates))
            .field("include_arima", &self.include_arima)
            .field("intermittent", &names(&self.intermittent))
            .field("route_intermittent", &self.route_intermittent)
            .field("n_windows", &self.n_windows)
            .field("step", &self.step)
            .field("levels", &self.levels)
            .finish()
    }
}

/// Cross-validation result of one candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateScore {
    /// The candidate's name.
    pub model: String,
    /// Its backtest scores, when every window could be forecast.
    pub scores: Option<BacktestScores>,
    /// Why it could not be scored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Outcome of [`auto_forecast`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutoChoice {
    /// Name of the chosen candidate.
    pub chosen: String,
    /// Its forecast, refitted on the whole series.
    pub forecast: Forecast,
    /// Every candidate's cross-validation scores, in candidate order.
    pub candidates: Vec<CandidateScore>,
    /// Whether the series was treated as intermittent demand.
    pub intermittent: bool,
    /// Demand profile of the series (average inter-demand interval, CV², class).
    pub demand: DemandProfile,
}

/// Cross-validation windows that fit into `n` observations: the requested ones if possible,
/// else fewer, else one shorter window; `None` when even that does not fit.
fn cv_options(n: usize, season_length: usize, horizon: usize, options: &AutoOptions) -> Option<BacktestOptions> {
    let step = options.step.unwrap_or(horizon).max(1);
    let min_train = super::conformal::min_train(season_length).min(n / 2).max(2);
    for windows in (1..=options.n_windows.max(1)).rev() {
        let o = BacktestOptions { horizon, step, n_windows: windows, levels: Vec::new() };
        if let Ok(origins) = origins(n, &o)
            && origins.first().is_some_and(|&first| first >= min_train)
        {
            return Some(o);
        }
    }
    let short = (n.saturating_sub(min_train)).min(horizon);
    (short >= 1 && n >= min_train + short).then_some(BacktestOptions {
        horizon: short,
        step: 1,
        n_windows: 1,
        levels: Vec::new(),
    })
}

/// Picks a model for `y` by rolling-origin cross-validation and forecasts `horizon` steps.
///
/// Fallbacks (listed in the forecast's notes): a series too short to cross-validate is
/// forecast by seasonal naive (naive when shorter than a season); if no candidate could be
/// scored the same applies; if the chosen model cannot give intervals at `levels`, the point
/// forecast is returned without intervals.
///
/// ```
/// use storelytics::forecast::auto::{AutoOptions, auto_forecast};
/// let y: Vec<f64> = (0..84).map(|t| 100.0 + [20.0, -5.0, -5.0, -5.0, 0.0, 10.0, -15.0][t % 7]).collect();
/// let choice = auto_forecast(&y, 7, 14, &AutoOptions::default()).unwrap();
/// assert_eq!(choice.forecast.mean.len(), 14);
/// assert!(choice.candidates.len() >= 4);
/// ```
pub fn auto_forecast(y: &[f64], season_length: usize, horizon: usize, options: &AutoOptions) -> Result<AutoChoice> {
    check_inputs("automatic model choice", y, season_length, horizon, &options.levels)?;
    let demand = classify(y);
    let intermittent = options.route_intermittent && y.len() > 1 && super::intermittent::is_intermittent(y);
    let candidates: Vec<Candidate> = if intermittent {
        options.intermittent.clone().unwrap_or_else(|| intermittent_candidates(options.thoroughness))
    } else {
        options.candidates.clone().unwrap_or_else(|| {
            let mut list = default_candidates(season_length, options.thoroughness);
            if options.include_arima {
                list.push(arima_candidate());
            }
            list
        })
    };
    let mut notes = Vec::new();
    let mut scores = Vec::with_capacity(candidates.len());
    let mut best: Option<(usize, f64)> = None;
    match cv_options(y.len(), season_length, horizon, options) {
        Some(cv) => {
            if cv.horizon < horizon || cv.n_windows < options.n_windows {
                notes.push(format!(
                    "short series: cross-validated on {} window(s) of {} steps",
                    cv.n_windows, cv.horizon
                ));
            }
            for (i, c) in candidates.iter().enumerate() {
                let score = match backtest(c.as_ref(), y, season_length, &cv) {
                    Ok(b) => CandidateScore { model: c.name(), scores: b.scores, error: b.error },
                    Err(e) => CandidateScore { model: c.name(), scores: None, error: Some(e.to_string()) },
                };
                if let Some(s) = &score.scores
                    && s.mase.is_finite()
                    && best.is_none_or(|(_, m)| s.mase < m)
                {
                    best = Some((i, s.mase));
                }
                scores.push(score);
            }
        }
        None => notes.push("series too short for cross-validation".to_string()),
    }
    let fallback: Candidate = if y.len() > season_length && season_length > 1 {
        std::sync::Arc::new(SeasonalNaive)
    } else {
        std::sync::Arc::new(Naive)
    };
    let chosen: Candidate = match best {
        Some((i, _)) => candidates[i].clone(),
        None => {
            if !scores.is_empty() {
                notes.push("no candidate could be cross-validated".to_string());
            }
            notes.push(format!("fallback model {} used", fallback.name()));
            fallback
        }
    };
    let mut forecast = final_forecast(chosen.as_ref(), y, season_length, horizon, &options.levels, &mut notes)?;
    notes.append(&mut forecast.notes);
    forecast.notes = notes;
    Ok(AutoChoice { chosen: chosen.name(), forecast, candidates: scores, intermittent, demand })
}

/// The chosen model's forecast with intervals: its own, else conformal, else none (noted).
fn final_forecast(
    model: &dyn Forecaster,
    y: &[f64],
    season_length: usize,
    horizon: usize,
    levels: &[f64],
    notes: &mut Vec<String>,
) -> Result<Forecast> {
    match model.fit_predict(y, season_length, horizon, levels) {
        Ok(f) if levels.is_empty() || f.interval_method != IntervalMethod::None => return Ok(f),
        Ok(_) | Err(_) if !levels.is_empty() => {}
        Ok(f) => return Ok(f),
        Err(e) => return Err(e),
    }
    let wrapped = Conformal { model: ForecasterRef(model), options: ConformalOptions::default() };
    match wrapped.fit_predict(y, season_length, horizon, levels) {
        Ok(f) => Ok(f),
        Err(e) => {
            notes.push(format!("no prediction intervals: {e}"));
            model.fit_predict(y, season_length, horizon, &[])
        }
    }
}

/// Borrowed model usable where an owned `Forecaster` is expected.
struct ForecasterRef<'a>(&'a dyn Forecaster);

impl Forecaster for ForecasterRef<'_> {
    fn name(&self) -> String {
        self.0.name()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        self.0.fit_predict(y, season_length, horizon, levels)
    }
}

/// [`auto_forecast`] for many series (each with its own season length), in parallel with the
/// `parallel` feature. Results are in input order; series with missing values (NaN) fail
/// individually.
pub fn auto_forecast_many(series: &[TimeSeries], horizon: usize, options: &AutoOptions) -> Vec<Result<AutoChoice>> {
    let one = |s: &TimeSeries| auto_forecast(s.values(), s.season_length(), horizon, options);
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        series.par_iter().map(one).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        series.iter().map(one).collect()
    }
}

/// The automatic choice as a [`Forecaster`], so it can itself be backtested or nested.
///
/// ```
/// use storelytics::forecast::{Forecaster, auto::AutoForecaster};
/// let y: Vec<f64> = (0..40).map(|t| (t % 4) as f64 + 10.0).collect();
/// let f = AutoForecaster::default().fit_predict(&y, 4, 4, &[]).unwrap();
/// assert!(f.model.starts_with("Auto("));
/// ```
#[derive(Debug, Clone, Default)]
pub struct AutoForecaster {
    /// Settings; `levels` is replaced by the levels passed to `fit_predict`.
    pub options: AutoOptions,
}

impl Forecaster for AutoForecaster {
    fn name(&self) -> String {
        "Auto".into()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        let options = AutoOptions { levels: levels.to_vec(), ..self.options.clone() };
        let choice = auto_forecast(y, season_length, horizon, &options)?;
        let mut f = choice.forecast;
        f.model = format!("Auto({})", f.model);
        Ok(f)
    }
}

#[cfg(test)]
#[path = "timing_tests.rs"]
mod timing;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasonal_series_prefers_a_seasonal_model() {
        let y: Vec<f64> = (0..98).map(|t| 50.0 + [30.0, -10.0, -10.0, -10.0, 0.0, 10.0, -10.0][t % 7]).collect();
        let c = auto_forecast(&y, 7, 7, &AutoOptions::default()).unwrap();
        assert!(["SeasonalNaive", "MSTL", "Theta"].contains(&c.chosen.as_str()), "{}", c.chosen);
        let best = c.candidates.iter().filter_map(|s| s.scores.as_ref().map(|x| x.mase)).fold(f64::INFINITY, f64::min);
        let chosen = c.candidates.iter().find(|s| s.model == c.chosen).unwrap();
        assert_eq!(chosen.scores.as_ref().unwrap().mase, best);
        assert_eq!(c.forecast.intervals.len(), 2);
        assert!(!c.intermittent);
    }

    #[test]
    fn intermittent_series_routed() {
        let y: Vec<f64> = (0..60).map(|t| if t % 4 == 0 { 2.0 } else { 0.0 }).collect();
        let c = auto_forecast(&y, 7, 7, &AutoOptions::default()).unwrap();
        assert!(c.intermittent);
        assert!(["Croston", "CrostonOptimized", "SBA", "TSB"].contains(&c.chosen.as_str()), "{}", c.chosen);
        assert_eq!(c.forecast.interval_method, IntervalMethod::Conformal);
    }

    #[test]
    fn tiny_and_bad_series() {
        let c = auto_forecast(&[5.0], 7, 3, &AutoOptions::default()).unwrap();
        assert_eq!(c.forecast.mean, vec![5.0; 3]);
        assert!(c.forecast.intervals.is_empty());
        assert!(c.forecast.notes.iter().any(|n| n.contains("too short")));
        let c = auto_forecast(&[1.0, 2.0, 3.0, 4.0], 1, 2, &AutoOptions::default()).unwrap();
        assert_eq!(c.forecast.mean.len(), 2);
        assert!(auto_forecast(&[], 1, 1, &AutoOptions::default()).is_err());
        assert!(auto_forecast(&[1.0, f64::NAN], 1, 1, &AutoOptions::default()).is_err());
        let c = auto_forecast(&[0.0; 30], 7, 3, &AutoOptions::default()).unwrap();
        assert!(c.forecast.mean.iter().all(|v| *v == 0.0));
    }
}
