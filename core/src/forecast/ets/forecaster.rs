//! Public entry points: fitting a fixed model, forecasting from a fit, and the two
//! [`Forecaster`] implementations.

use crate::error::{Error, Result};
use crate::forecast::{Forecast, Forecaster, IntervalMethod, validate_horizon, validate_levels};

use super::auto::auto_ets;
use super::fit::{EtsFit, evaluate, fit_spec, parameter_count};
use super::intervals::{IntervalKind, intervals};
use super::prepare::{constant_fit, prepare};
use super::recursion::{EtsParams, EtsStates, Kernel};
use super::spec::EtsSpec;
use super::{AutoEtsOptions, EtsOptions};

/// Longest horizon a forecast may ask for.
const MAX_HORIZON: usize = 100_000;

/// Fits one ETS model by maximum likelihood.
///
/// A seasonal spec on a series shorter than two seasons, or with `season_length` 1, is fitted
/// without its season (noted in [`EtsFit::notes`]); a constant series gets the constant
/// fallback. A spec with multiplicative components on data with zero or negative values is an
/// error, as is a model with at least `n - 1` parameters.
///
/// ```
/// use storelytics::forecast::ets::{fit_ets, EtsOptions, EtsSpec};
/// let y: Vec<f64> = (0..40).map(|t| 20.0 + 0.5 * t as f64 + (t % 3) as f64).collect();
/// let fit = fit_ets(&y, 1, EtsSpec::parse("AAdN").unwrap(), &EtsOptions::default()).unwrap();
/// assert!(fit.params.phi >= 0.8 && fit.params.phi <= 0.98);
/// assert!(fit.aicc.is_finite());
/// ```
pub fn fit_ets(y: &[f64], season_length: usize, spec: EtsSpec, options: &EtsOptions) -> Result<EtsFit> {
    let prepared = prepare(y, season_length, "ETS")?;
    let mut notes = prepared.notes.clone();
    let mut spec = spec;
    if spec.is_seasonal() && season_length == 1 {
        notes.push(format!("season length 1: seasonal component of {spec} dropped"));
    }
    if spec.is_seasonal() && prepared.season_length == 1 {
        spec = spec.without_season();
    }
    if spec.needs_positive_data() && !prepared.positive {
        return Err(Error::invalid_parameter(
            "model",
            format!(
                "{spec} has multiplicative components and needs strictly positive data; the series has zero or negative values"
            ),
        ));
    }
    if prepared.constant {
        let mut fit = constant_fit(y, options);
        notes.append(&mut fit.notes);
        fit.notes = notes;
        return Ok(fit);
    }
    let Some(mut fit) = fit_spec(&prepared.y, prepared.season_length, spec, options) else {
        return Err(Error::insufficient_data(
            format!("{spec}"),
            format!(
                "{} observations are too few for the model's parameters, or no finite likelihood was found",
                y.len()
            ),
        ));
    };
    if prepared.scale != 1.0 {
        fit.rescale(prepared.scale);
    }
    notes.append(&mut fit.notes);
    fit.notes = notes;
    Ok(fit)
}

/// Applies a known model (parameters and initial states, e.g. from an earlier [`EtsFit`]) to
/// `y` without re-estimating it: fitted values, likelihood and the final states to forecast
/// from. Useful to update forecasts with new observations.
///
/// `initial_states.season` must hold `season_length` states (most recent first) for a seasonal
/// spec and be empty otherwise.
///
/// ```
/// use storelytics::forecast::ets::{apply_ets, fit_ets, EtsOptions, EtsSpec};
/// let y: Vec<f64> = (0..30).map(|t| 10.0 + (t % 5) as f64 + 0.1 * t as f64).collect();
/// let fit = fit_ets(&y[..25], 5, EtsSpec::parse("AAA").unwrap(), &EtsOptions::default()).unwrap();
/// let updated = apply_ets(&y, 5, fit.spec, fit.params, fit.initial_states.clone(), &EtsOptions::default()).unwrap();
/// assert_eq!(updated.fitted.len(), 30);
/// assert!((updated.fitted[10] - fit.fitted[10]).abs() < 1e-9);
/// ```
pub fn apply_ets(
    y: &[f64],
    season_length: usize,
    spec: EtsSpec,
    params: EtsParams,
    initial_states: EtsStates,
    options: &EtsOptions,
) -> Result<EtsFit> {
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid_parameter("y", format!("observation {i} is not finite")));
    }
    if y.is_empty() {
        return Err(Error::insufficient_data("ETS", "the series is empty"));
    }
    let m = if spec.is_seasonal() { season_length } else { 1 };
    if m == 0 || initial_states.season.len() != if spec.is_seasonal() { m } else { 0 } {
        return Err(Error::invalid_parameter(
            "initial_states",
            format!(
                "{spec} with season length {season_length} needs {} seasonal states, got {}",
                if spec.is_seasonal() { m } else { 0 },
                initial_states.season.len()
            ),
        ));
    }
    let states_finite = initial_states.level.is_finite()
        && initial_states.growth.is_finite()
        && initial_states.season.iter().all(|v| v.is_finite());
    let p = params;
    if !states_finite || ![p.alpha, p.beta, p.gamma, p.phi].iter().all(|v| v.is_finite()) || p.alpha <= 0.0 {
        return Err(Error::invalid_parameter("params", "parameters and states must be finite, with alpha > 0"));
    }
    let kernel = Kernel { spec, m, p: EtsParams { phi: if spec.damped { p.phi } else { 1.0 }, ..p } };
    evaluate(y, kernel, initial_states, parameter_count(&spec, m), options, Vec::new()).ok_or_else(|| {
        Error::Numerical {
            analysis: format!("{spec}"),
            problem: "the model's one-step forecast is undefined on this series (negative multiplicative growth)"
                .to_string(),
        }
    })
}

impl EtsFit {
    /// Point forecasts and prediction intervals (at `levels` percent) for `horizon` steps (at
    /// most 100 000).
    ///
    /// Intervals are analytic for models without multiplicative trend or season and simulated
    /// otherwise; a note says which.
    pub fn forecast(&self, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        validate_horizon(horizon)?;
        validate_levels(levels)?;
        if horizon > MAX_HORIZON {
            return Err(Error::invalid_parameter("horizon", format!("must be at most {MAX_HORIZON}")));
        }
        let mean = self.kernel().point_forecasts(&self.final_states, horizon);
        let (intervals, kind) = intervals(self, &mean, levels);
        let mut notes = self.notes.clone();
        if !levels.is_empty() {
            notes.push(match kind {
                IntervalKind::Analytic => "prediction intervals: analytic (Gaussian state-space variances)".to_string(),
                IntervalKind::Simulated => format!(
                    "prediction intervals: quantiles of {} simulated sample paths (seed {})",
                    self.simulation_paths.max(10),
                    self.seed
                ),
            });
        }
        if mean.iter().any(|v| !v.is_finite()) {
            notes.push(
                "the model's forecast is undefined at some steps (negative multiplicative growth): NaN".to_string(),
            );
        }
        Ok(Forecast {
            model: self.spec.to_string(),
            mean,
            intervals,
            interval_method: if levels.is_empty() { IntervalMethod::None } else { IntervalMethod::Analytic },
            fitted: Some(self.fitted.clone()),
            notes,
        })
    }
}

/// A fixed ETS model as a [`Forecaster`].
///
/// ```
/// use storelytics::forecast::ets::{Ets, EtsSpec};
/// use storelytics::forecast::Forecaster;
/// let y: Vec<f64> = (0..30).map(|t| 10.0 + (t % 7) as f64).collect();
/// let fc = Ets::new(EtsSpec::parse("ANA").unwrap()).fit_predict(&y, 7, 7, &[90.0]).unwrap();
/// assert_eq!(fc.model, "ETS(A,N,A)");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Ets {
    /// The model.
    pub spec: EtsSpec,
    /// Estimation settings.
    pub options: EtsOptions,
}

impl Ets {
    /// The model `spec` with default estimation settings.
    pub fn new(spec: EtsSpec) -> Self {
        Ets { spec, options: EtsOptions::default() }
    }
}

impl Forecaster for Ets {
    fn name(&self) -> String {
        self.spec.to_string()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        validate_horizon(horizon)?;
        validate_levels(levels)?;
        fit_ets(y, season_length, self.spec, &self.options)?.forecast(horizon, levels)
    }
}

/// Automatic ETS model selection ([`auto_ets`]) as a [`Forecaster`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AutoEts {
    /// Search and estimation settings.
    pub options: AutoEtsOptions,
}

impl Forecaster for AutoEts {
    fn name(&self) -> String {
        "AutoETS".to_string()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        validate_horizon(horizon)?;
        validate_levels(levels)?;
        auto_ets(y, season_length, &self.options)?.best.forecast(horizon, levels)
    }
}
