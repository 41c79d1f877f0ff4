//! Input checks and documented fallbacks shared by fixed and automatic ETS fits.

use crate::error::{Error, Result};

use super::EtsOptions;
use super::fit::EtsFit;
use super::recursion::{EtsParams, EtsStates};
use super::spec::{ErrorType, EtsSpec, SeasonType, TrendType};

/// Fewest observations any ETS model can be estimated from (level and `alpha` plus the
/// error variance need `n - 1 > 2`).
pub(crate) const MIN_OBSERVATIONS: usize = 4;

/// Magnitude above which the series is divided by its largest absolute value before fitting.
const RESCALE_ABOVE: f64 = 1e10;

/// A validated series ready for fitting.
pub(crate) struct Prepared {
    /// Observations, divided by `scale`.
    pub(crate) y: Vec<f64>,
    /// Divisor applied to the observations (1 unless they were huge).
    pub(crate) scale: f64,
    /// Season length to use (1 when the seasonal component had to be dropped).
    pub(crate) season_length: usize,
    /// Whether every observation is strictly positive.
    pub(crate) positive: bool,
    /// Whether all observations are equal.
    pub(crate) constant: bool,
    /// Fallbacks used so far.
    pub(crate) notes: Vec<String>,
}

/// Checks `y` and `season_length`; decides on rescaling and on dropping the season.
pub(crate) fn prepare(y: &[f64], season_length: usize, analysis: &str) -> Result<Prepared> {
    if season_length == 0 {
        return Err(Error::invalid_parameter("season_length", "must be at least 1 (1 = no seasonality)"));
    }
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        let what = if y[i].is_nan() { "missing (NaN)" } else { "infinite" };
        return Err(Error::invalid_parameter(
            "y",
            format!("observation {i} is {what}; fill or drop it before forecasting"),
        ));
    }
    let n = y.len();
    if n < MIN_OBSERVATIONS {
        return Err(Error::insufficient_data(
            analysis,
            format!("needs at least {MIN_OBSERVATIONS} observations, got {n}"),
        ));
    }
    let mut notes = Vec::new();
    let max_abs = y.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    let scale = if max_abs > RESCALE_ABOVE {
        notes.push(format!(
            "values up to {max_abs:e} were divided by that magnitude while fitting; results are in the original units"
        ));
        max_abs
    } else {
        1.0
    };
    let scaled: Vec<f64> = y.iter().map(|v| v / scale).collect();
    let mut m = season_length;
    if m > 1 && n < 2 * m {
        notes
            .push(format!("series of {n} observations is shorter than two seasons of {m}: seasonal component dropped"));
        m = 1;
    }
    let positive = y.iter().all(|v| *v > 0.0);
    let constant = y.iter().all(|v| *v == y[0]);
    Ok(Prepared { y: scaled, scale, season_length: m, positive, constant, notes })
}

/// The fit used for a constant series: ETS(A,N,N) with `alpha = 0.9999` and the level at the
/// constant, zero error variance (forecasts repeat the value; intervals have zero width).
pub(crate) fn constant_fit(y: &[f64], options: &EtsOptions) -> EtsFit {
    let level = y.first().copied().unwrap_or(0.0);
    let n = y.len();
    let states = EtsStates { level, growth: 0.0, season: Vec::new() };
    let spec = EtsSpec { error: ErrorType::Additive, trend: TrendType::None, damped: false, season: SeasonType::None };
    EtsFit {
        spec,
        season_length: 1,
        params: EtsParams { alpha: 0.9999, beta: 0.0, gamma: 0.0, phi: 1.0 },
        initial_states: states.clone(),
        final_states: states,
        loglik: f64::INFINITY,
        aic: f64::NEG_INFINITY,
        aicc: f64::NEG_INFINITY,
        bic: f64::NEG_INFINITY,
        sigma2: 0.0,
        mse: 0.0,
        n_params: 3,
        fitted: vec![level; n],
        residuals: vec![0.0; n],
        notes: vec![format!(
            "constant series: ETS(A,N,N) with alpha 0.9999 at the constant level {level}; zero error variance, so intervals have zero width"
        )],
        simulation_paths: options.simulation_paths,
        seed: options.seed,
        scale: 1.0,
        unit_sigma2: 0.0,
    }
}
