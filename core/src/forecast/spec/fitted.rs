//! [`forecast_model`]: a [`ModelSpec`]'s forecast with its fitted parameters, and
//! [`backtest_models`] for several specs.

use serde::Serialize;

use super::ModelSpec;
use crate::error::{Error, Result};
use crate::forecast::arima::{ArimaCoefficients, ArimaFit, ArimaOrder, AutoArima};
use crate::forecast::backtest::{self, BacktestOptions, ModelBacktest};
use crate::forecast::conformal::{Conformal, ConformalOptions, conformal_intervals};
use crate::forecast::ets::{EtsFit, EtsParams, EtsStates, auto_ets, fit_ets};
use crate::forecast::input::check_values;
use crate::forecast::{Forecast, Forecaster, IntervalMethod, validate_horizon, validate_levels};

/// Where the prediction intervals come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Intervals {
    /// The model's own intervals (analytic for most models; conformal for the intermittent
    /// ones, which have no error distribution) (default).
    #[default]
    Model,
    /// Conformal intervals from rolling-origin backtest errors, for any model.
    Conformal(ConformalOptions),
}

/// Estimated ARIMA model (fixed order or chosen by AutoARIMA).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArimaParameters {
    /// Model orders after any fallback.
    pub order: ArimaOrder,
    /// Estimated coefficients.
    pub coefficients: ArimaCoefficients,
    /// Innovation variance.
    pub sigma2: f64,
    /// Log-likelihood.
    pub loglik: f64,
    /// AIC (`null` in JSON when undefined, e.g. CSS fits).
    pub aic: f64,
    /// AICc.
    pub aicc: f64,
    /// BIC.
    pub bic: f64,
    /// Observations after differencing.
    pub nobs: usize,
    /// Box-Cox parameter used, if any.
    pub box_cox_lambda: Option<f64>,
}

/// Information criteria of one AutoETS candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EtsCandidate {
    /// Short code, e.g. `"AAdN"`.
    pub spec: String,
    /// Log-likelihood.
    pub loglik: f64,
    /// AIC.
    pub aic: f64,
    /// AICc.
    pub aicc: f64,
    /// BIC.
    pub bic: f64,
}

/// Estimated ETS model (given form or chosen by AutoETS).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EtsParameters {
    /// Short code of the model form, e.g. `"MAdM"`.
    pub spec: String,
    /// Smoothing parameters (`alpha`, `beta`, `gamma`, `phi`).
    pub params: EtsParams,
    /// Initial states.
    pub initial_states: EtsStates,
    /// Log-likelihood.
    pub loglik: f64,
    /// AIC.
    pub aic: f64,
    /// AICc.
    pub aicc: f64,
    /// BIC.
    pub bic: f64,
    /// Innovation variance.
    pub sigma2: f64,
    /// In-sample mean squared one-step error.
    pub mse: f64,
    /// Estimated parameters and initial states.
    pub n_params: usize,
    /// AutoETS: every candidate estimated, in the order tried (empty for a given form).
    pub candidates: Vec<EtsCandidate>,
}

/// The fitted parameters a model reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Parameters {
    /// ARIMA and AutoARIMA.
    Arima(ArimaParameters),
    /// ETS and AutoETS.
    Ets(EtsParameters),
}

/// A model's forecast and, for the models that have them, its parameters and information
/// criteria.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelForecast {
    /// The forecast; `forecast.interval_method` says whether the intervals are analytic or
    /// conformal.
    pub forecast: Forecast,
    /// Fitted parameters (ARIMA, ETS); `None` for the other models, whose few parameters are
    /// in the model description (e.g. `SES(alpha=0.300)`).
    pub parameters: Option<Parameters>,
}

fn arima_parameters(fit: &ArimaFit) -> Parameters {
    Parameters::Arima(ArimaParameters {
        order: fit.order,
        coefficients: fit.coefficients.clone(),
        sigma2: fit.sigma2,
        loglik: fit.loglik,
        aic: fit.aic,
        aicc: fit.aicc,
        bic: fit.bic,
        nobs: fit.nobs,
        box_cox_lambda: fit.box_cox_lambda,
    })
}

fn ets_parameters(fit: &EtsFit, candidates: Vec<EtsCandidate>) -> Parameters {
    Parameters::Ets(EtsParameters {
        spec: fit.spec.code(),
        params: fit.params,
        initial_states: fit.initial_states.clone(),
        loglik: fit.loglik,
        aic: fit.aic,
        aicc: fit.aicc,
        bic: fit.bic,
        sigma2: fit.sigma2,
        mse: fit.mse,
        n_params: fit.n_params,
        candidates,
    })
}

/// Checks the arguments every model shares and the spec's own options that can be checked
/// without data.
fn check(spec: &ModelSpec, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<()> {
    validate_horizon(horizon)?;
    validate_levels(levels)?;
    if season_length == 0 {
        return Err(Error::invalid_parameter("season_length", "must be at least 1 (1 = no seasonality)"));
    }
    spec.validate()?;
    match spec {
        // AutoARIMA may fill NaN gaps itself (`interpolate_missing`) and reports the rest.
        ModelSpec::AutoArima(o) if o.interpolate_missing => Ok(()),
        _ => check_values(&spec.name(), y),
    }
}

/// Fits `spec` to `y` and forecasts `horizon` steps with intervals at `levels` percent.
///
/// The forecast equals `spec.fit_predict(..)` with [`Intervals::Model`]; with
/// [`Intervals::Conformal`] the intervals are replaced by conformal ones (see
/// [`conformal`](crate::forecast::conformal)).
pub fn forecast_model(
    spec: &ModelSpec,
    y: &[f64],
    season_length: usize,
    horizon: usize,
    levels: &[f64],
    intervals: Intervals,
) -> Result<ModelForecast> {
    check(spec, y, season_length, horizon, levels)?;
    let model_levels = match intervals {
        Intervals::Model => levels,
        Intervals::Conformal(_) => &[],
    };
    let (mut forecast, parameters) = match spec {
        ModelSpec::Arima(model) => {
            let mut model = model.clone();
            let o = model.order;
            model.order.season_length = if o.seasonal_p + o.seasonal_d + o.seasonal_q > 0 { season_length } else { 1 };
            let fit = model.fit(y)?;
            (fit.forecast(horizon, model_levels)?, Some(arima_parameters(&fit)))
        }
        ModelSpec::AutoArima(options) => {
            let fit = AutoArima::new(options.clone()).fit(y, season_length)?;
            (fit.forecast(horizon, model_levels)?, Some(arima_parameters(&fit)))
        }
        ModelSpec::Ets(model) => {
            let fit = fit_ets(y, season_length, model.parsed()?, &model.options)?;
            (fit.forecast(horizon, model_levels)?, Some(ets_parameters(&fit, Vec::new())))
        }
        ModelSpec::AutoEts(options) => {
            let auto = auto_ets(y, season_length, options)?;
            let candidates = auto
                .candidates
                .iter()
                .map(|c| EtsCandidate { spec: c.spec.code(), loglik: c.loglik, aic: c.aic, aicc: c.aicc, bic: c.bic })
                .collect();
            (auto.best.forecast(horizon, model_levels)?, Some(ets_parameters(&auto.best, candidates)))
        }
        other => (other.fit_predict(y, season_length, horizon, model_levels)?, None),
    };
    if let Intervals::Conformal(options) = intervals
        && !levels.is_empty()
    {
        let point = |train: &[f64]| spec.fit_predict(train, season_length, horizon, &[]).map(|f| f.mean);
        forecast.intervals = conformal_intervals(&point, y, season_length, &forecast.mean, levels, options)?;
        forecast.interval_method = IntervalMethod::Conformal;
    }
    Ok(ModelForecast { forecast, parameters })
}

/// Rolling-origin backtests ([`backtest::backtest`]) of several specs on one series; a model
/// that fails in some window is reported in its [`ModelBacktest::error`], not fatal. With
/// [`Intervals::Conformal`] every model's intervals (scored by the coverage) are conformal.
///
/// ```
/// use storelytics::forecast::backtest::BacktestOptions;
/// use storelytics::forecast::spec::{ModelSpec, Intervals, backtest_models};
/// let y: Vec<f64> = (0..60).map(|t| [5.0, 3.0, 4.0, 6.0, 8.0, 9.0, 2.0][t % 7]).collect();
/// let specs = [ModelSpec::Naive, ModelSpec::SeasonalNaive];
/// let out = backtest_models(&specs, &y, 7, &BacktestOptions::default(), Intervals::Model).unwrap();
/// assert_eq!(out[1].scores.as_ref().unwrap().mase, 0.0);
/// ```
pub fn backtest_models(
    specs: &[ModelSpec],
    y: &[f64],
    season_length: usize,
    options: &BacktestOptions,
    intervals: Intervals,
) -> Result<Vec<ModelBacktest>> {
    if season_length == 0 {
        return Err(Error::invalid_parameter("season_length", "must be at least 1 (1 = no seasonality)"));
    }
    for spec in specs {
        spec.validate()?;
    }
    match intervals {
        Intervals::Model => {
            let models: Vec<&dyn Forecaster> = specs.iter().map(|s| s as &dyn Forecaster).collect();
            backtest::backtest_models(&models, y, season_length, options)
        }
        Intervals::Conformal(conformal) => {
            let wrapped: Vec<Conformal<ModelSpec>> =
                specs.iter().map(|s| Conformal { model: s.clone(), options: conformal }).collect();
            let models: Vec<&dyn Forecaster> = wrapped.iter().map(|s| s as &dyn Forecaster).collect();
            backtest::backtest_models(&models, y, season_length, options)
        }
    }
}
