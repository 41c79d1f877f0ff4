//! Exponential smoothing state-space models (ETS) and their automatic selection (AutoETS).
//!
//! The models are the innovations state-space forms of Hyndman, Koehler, Ord & Snyder,
//! *Forecasting with Exponential Smoothing* (2008): additive or multiplicative error; no,
//! additive, additive damped, multiplicative or multiplicative damped trend; no, additive or
//! multiplicative season of any length. Parameters and initial states are estimated by
//! maximum likelihood (a bounded Nelder–Mead simplex) under the usual bounds
//! (`1e-4 ≤ α ≤ 0.9999`, `β ≤ α`, `γ ≤ 1 − α`, `0.8 ≤ φ ≤ 0.98`) and the admissibility
//! conditions, as R `forecast::ets` and statsforecast `AutoETS` do. [`auto_ets`] fits every
//! admissible combination and keeps the one with the smallest AICc.
//!
//! The optimiser's likelihood pass is compiled once per model kind (no branching on the model,
//! no allocation, seasonal states in a ring buffer); the two starting points' searches advance
//! in lockstep with their likelihood passes interleaved, and only the better optimum is
//! restarted. AutoETS optimises every candidate first within statsforecast's iteration cap and
//! restarts only the candidates near the best one with the full budget
//! ([`AutoEtsOptions::restart_within`]). With the `parallel` feature AutoETS fits its
//! candidates on several threads; the choice does not depend on the number of threads.
//!
//! Prediction intervals are analytic for models whose trend and season are additive or absent
//! (classes 1 and 2 of the book, with either error type) and come from simulated sample paths
//! (seeded, reproducible) for models with a multiplicative trend or season; the forecast notes
//! say which.
//!
//! ```
//! use storelytics::forecast::ets::{AutoEts, AutoEtsOptions};
//! use storelytics::forecast::Forecaster;
//!
//! // Three years of monthly sales with a yearly pattern and growth.
//! let y: Vec<f64> = (0..36)
//!     .map(|t| 100.0 + 2.0 * t as f64 + 15.0 * (t as f64 * std::f64::consts::TAU / 12.0).sin())
//!     .collect();
//! let fc = AutoEts::default().fit_predict(&y, 12, 6, &[80.0, 95.0]).unwrap();
//! assert_eq!(fc.mean.len(), 6);
//! assert!(fc.model.starts_with("ETS("));
//! assert!(fc.interval(95.0).unwrap().lower[0] < fc.mean[0]);
//! ```

mod admissible;
mod auto;
#[cfg(test)]
mod coverage_tests;
mod fit;
mod forecaster;
mod init;
mod intervals;
mod likelihood;
mod prepare;
mod random;
mod recursion;
mod spec;

pub use auto::{AutoEtsFit, Candidate, auto_ets};
pub use fit::EtsFit;
pub use forecaster::{AutoEts, Ets, apply_ets, fit_ets};
pub use recursion::{EtsParams, EtsStates};
pub use spec::{ErrorType, EtsSpec, SeasonType, TrendType};

use serde::{Deserialize, Serialize};

/// Estimation settings shared by fixed and automatic ETS fits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EtsOptions {
    /// Nelder–Mead iterations per optimisation run (the optimiser restarts once from its best
    /// point with a fresh, wider simplex; the second start and its restart get half as many).
    /// Default 2000, as R `optim`.
    pub max_iterations: usize,
    /// Sample paths simulated for the intervals of models with a multiplicative trend or
    /// season. Default 5000.
    pub simulation_paths: usize,
    /// Seed of the simulation (results are reproducible for a given seed). Default 0.
    pub seed: u64,
    /// Longest season whose `m - 1` initial seasonal states are optimised; for longer seasons
    /// they stay at their classical-decomposition estimates (noted in the result), which keeps
    /// the optimisation small. Default 24 (R `forecast::ets` refuses longer seasons).
    pub max_optimised_season_length: usize,
    /// Also optimise from a second starting point with mid-range smoothing parameters (its run
    /// advances in lockstep with the first, the two likelihood passes interleaved) and restart
    /// only from the better of the two optima (guards against local minima, for less than
    /// twice the fitting time of a single start). Default true.
    pub second_start: bool,
}

impl Default for EtsOptions {
    fn default() -> Self {
        EtsOptions {
            max_iterations: 2000,
            simulation_paths: 5000,
            seed: 0,
            max_optimised_season_length: 24,
            second_start: true,
        }
    }
}

pub use crate::forecast::InformationCriterion;

/// Options of [`auto_ets`] / [`AutoEts`].
///
/// The default searches like statsforecast `AutoETS(model="ZZZ")`: both error types, no /
/// additive / additive damped trend, no / additive / multiplicative season, excluding the
/// unstable combinations and multiplicative components for data that are not strictly
/// positive, choosing by AICc.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoEtsOptions {
    /// Model pattern: three letters for error (`A`, `M`, `Z`), trend (`N`, `A`, `M`, `Z`) and
    /// season (`N`, `A`, `M`, `Z`); `Z` = choose. Default `"ZZZ"`.
    pub model: String,
    /// `Some(true)` / `Some(false)` to force a damped / undamped trend; `None` (default) tries
    /// both.
    pub damped: Option<bool>,
    /// Also try multiplicative trends when the trend letter is `Z`. Default false.
    pub allow_multiplicative_trend: bool,
    /// Skip the numerically unstable combinations (additive error with a multiplicative trend
    /// or season; multiplicative error and trend with an additive season). Default true.
    pub restrict: bool,
    /// Selection criterion. Default AICc.
    pub criterion: InformationCriterion,
    /// Estimation settings of each candidate.
    pub fit: EtsOptions,
    /// Every candidate is first optimised without the restart from its optimum, its first
    /// start's run within [`AutoEtsOptions::first_iterations`] iterations; only candidates
    /// whose criterion is then within this many units of the best candidate's are restarted
    /// (with [`EtsOptions::max_iterations`]). The others keep their first optimum in
    /// [`AutoEtsFit::candidates`]. With the defaults AutoETS chose the same model as with
    /// the full fit of every candidate on 39 of the 41 series of `benches/python/ets.py`
    /// (mean holdout MASE 0.748 instead of 0.750 on the monthly, 0.739 instead of 0.738 on
    /// the daily ones) in 58-73% of the time. Default 20; `f64::INFINITY` restarts every
    /// candidate.
    pub restart_within: f64,
    /// Iteration cap of each candidate's first Nelder–Mead run (the second start's run gets
    /// half), at most [`EtsOptions::max_iterations`]. Default 1000, the cap statsforecast's
    /// `AutoETS` gives each fit; the restart of the candidates near the best then runs with
    /// the full [`EtsOptions::max_iterations`]. With `max_iterations` here (and an infinite
    /// `restart_within`) every candidate gets exactly its fixed-model fit ([`fit_ets`]).
    pub first_iterations: usize,
}

impl Default for AutoEtsOptions {
    fn default() -> Self {
        AutoEtsOptions {
            model: "ZZZ".to_string(),
            damped: None,
            allow_multiplicative_trend: false,
            restrict: true,
            criterion: InformationCriterion::Aicc,
            fit: EtsOptions::default(),
            restart_within: 20.0,
            first_iterations: 1000,
        }
    }
}
