//! Every forecasting model by name, with its options: the form in which bindings and
//! configuration files choose a model.
//!
//! [`ModelSpec`] is a serde enum tagged by `"name"` (the model's snake-case name) whose other
//! fields are the Rust model's options; missing fields take the Rust defaults. It implements
//! [`Forecaster`], and [`forecast_model`] additionally returns the fitted parameters and
//! information criteria of the models that have them (ARIMA, ETS) and can replace any model's
//! intervals by conformal ones. [`backtest_models`] runs the rolling-origin backtest of
//! several specs.
//!
//! ```
//! use storelytics::forecast::spec::{ModelSpec, Intervals, forecast_model};
//! let spec: ModelSpec = serde_json::from_str(r#"{"name": "auto_ets", "damped": false}"#).unwrap();
//! let y: Vec<f64> = (0..56).map(|t| 40.0 + [9.0, 2.0, 0.0, 1.0, 3.0, 12.0, 15.0][t % 7]).collect();
//! let out = forecast_model(&spec, &y, 7, 14, &[80.0, 95.0], Intervals::Model).unwrap();
//! assert_eq!(out.forecast.mean.len(), 14);
//! assert!(out.parameters.is_some()); // smoothing parameters and AICc of the chosen ETS model
//! ```

mod fitted;

pub use fitted::{
    ArimaParameters, EtsCandidate, EtsParameters, Intervals, ModelForecast, Parameters, backtest_models, forecast_model,
};

use serde::{Deserialize, Serialize};

use super::arima::{Arima, ArimaOrder, AutoArima, AutoArimaOptions};
use super::baseline::{HistoricMean, Naive, RandomWalkWithDrift, SeasonalNaive};
use super::ets::{AutoEts, AutoEtsOptions, Ets, EtsOptions, EtsSpec};
use super::intermittent::{Croston, CrostonOptimized, Sba, Tsb};
use super::mstl::{MstlForecaster, TrendModel};
use super::ses::Ses;
use super::theta::{AutoTheta, Theta};
use super::{Forecast, Forecaster};
use crate::decompose::MstlOptions;
use crate::error::{Error, Result};

/// A forecasting model and its options, by name.
///
/// In JSON: `{"name": "<model>", ...options}`, e.g. `{"name": "naive"}`,
/// `{"name": "theta", "variant": "optimized"}`, `{"name": "arima", "order": {"p": 1, "d": 1, "q": 1}}`,
/// `{"name": "auto_arima", "max_p": 3}`, `{"name": "ets", "spec": "AAdN"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "snake_case")]
pub enum ModelSpec {
    /// [`Naive`]: the last value.
    Naive,
    /// [`SeasonalNaive`]: the value one season earlier.
    SeasonalNaive,
    /// [`RandomWalkWithDrift`]: the last value plus the mean step.
    RandomWalkWithDrift,
    /// [`HistoricMean`]: the mean of the history.
    HistoricMean,
    /// [`Ses`]: simple exponential smoothing.
    Ses(Ses),
    /// [`Theta`]: one of the four Theta models.
    Theta(Theta),
    /// [`AutoTheta`]: the best of several Theta models.
    AutoTheta(AutoTheta),
    /// [`MstlForecaster`]: MSTL decomposition, seasonal naive seasons and a trend model.
    Mstl(MstlSpec),
    /// [`Croston`] (intermittent demand).
    Croston,
    /// [`CrostonOptimized`] (intermittent demand).
    CrostonOptimized,
    /// [`Sba`]: Syntetos–Boylan approximation (intermittent demand).
    Sba,
    /// [`Tsb`]: Teunter–Syntetos–Babai (intermittent demand).
    Tsb(Tsb),
    /// [`Arima`] of fixed order; the seasonal part uses the series' season length.
    Arima(Arima),
    /// [`AutoArima`]: automatic order search.
    AutoArima(AutoArimaOptions),
    /// [`Ets`] of a given form.
    Ets(EtsModel),
    /// [`AutoEts`]: automatic ETS model selection.
    AutoEts(AutoEtsOptions),
}

/// Options of [`ModelSpec::Mstl`]: the fields of [`MstlForecaster`] and its [`MstlOptions`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MstlSpec {
    /// Seasonal periods; empty (default) = the series' season length.
    pub periods: Vec<usize>,
    /// Model of the seasonally adjusted series (default [`MstlTrend::Theta`]).
    pub trend: MstlTrend,
    /// Passes over all periods (default 2).
    pub iterations: usize,
    /// Seasonal smoother length per period; `None` (default) = 11, 15, 19, …
    pub seasonal_windows: Option<Vec<usize>>,
    /// Robust STL fits (default false).
    pub robust: bool,
}

impl Default for MstlSpec {
    fn default() -> Self {
        let o = MstlOptions::default();
        MstlSpec {
            periods: Vec::new(),
            trend: MstlTrend::Theta,
            iterations: o.iterations,
            seasonal_windows: o.seasonal_windows,
            robust: o.robust,
        }
    }
}

/// The built-in trend models of [`TrendModel`], by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MstlTrend {
    /// [`TrendModel::Theta`] (default).
    #[default]
    Theta,
    /// [`TrendModel::Ses`].
    Ses,
    /// [`TrendModel::Drift`].
    Drift,
    /// [`TrendModel::Naive`].
    Naive,
}

/// Options of [`ModelSpec::Ets`]: the model's short code and the estimation settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EtsModel {
    /// Error, trend and season letters as [`EtsSpec::parse`] reads them, e.g. `"AAdN"`
    /// (default `"ANN"`, simple exponential smoothing).
    pub spec: String,
    /// Estimation settings.
    pub options: EtsOptions,
}

impl Default for EtsModel {
    fn default() -> Self {
        EtsModel { spec: "ANN".into(), options: EtsOptions::default() }
    }
}

impl EtsModel {
    /// The parsed model form; an unknown code is an invalid `spec`.
    pub fn parsed(&self) -> Result<EtsSpec> {
        EtsSpec::parse(&self.spec).map_err(|_| {
            Error::invalid_parameter(
                "spec",
                format!(
                    "`{}` is not an ETS model code: expected error A/M, trend N/A/Ad/M/Md, season N/A/M, e.g. `AAdM`",
                    self.spec
                ),
            )
        })
    }
}

impl ModelSpec {
    /// Every model with its default options, in the order of the enum.
    pub fn all() -> Vec<ModelSpec> {
        vec![
            ModelSpec::Naive,
            ModelSpec::SeasonalNaive,
            ModelSpec::RandomWalkWithDrift,
            ModelSpec::HistoricMean,
            ModelSpec::Ses(Ses::default()),
            ModelSpec::Theta(Theta::default()),
            ModelSpec::AutoTheta(AutoTheta::default()),
            ModelSpec::Mstl(MstlSpec::default()),
            ModelSpec::Croston,
            ModelSpec::CrostonOptimized,
            ModelSpec::Sba,
            ModelSpec::Tsb(Tsb::default()),
            ModelSpec::Arima(Arima::default()),
            ModelSpec::AutoArima(AutoArimaOptions::default()),
            ModelSpec::Ets(EtsModel::default()),
            ModelSpec::AutoEts(AutoEtsOptions::default()),
        ]
    }

    /// The snake-case name, as in JSON (`"auto_arima"`).
    pub fn key(&self) -> &'static str {
        match self {
            ModelSpec::Naive => "naive",
            ModelSpec::SeasonalNaive => "seasonal_naive",
            ModelSpec::RandomWalkWithDrift => "random_walk_with_drift",
            ModelSpec::HistoricMean => "historic_mean",
            ModelSpec::Ses(_) => "ses",
            ModelSpec::Theta(_) => "theta",
            ModelSpec::AutoTheta(_) => "auto_theta",
            ModelSpec::Mstl(_) => "mstl",
            ModelSpec::Croston => "croston",
            ModelSpec::CrostonOptimized => "croston_optimized",
            ModelSpec::Sba => "sba",
            ModelSpec::Tsb(_) => "tsb",
            ModelSpec::Arima(_) => "arima",
            ModelSpec::AutoArima(_) => "auto_arima",
            ModelSpec::Ets(_) => "ets",
            ModelSpec::AutoEts(_) => "auto_ets",
        }
    }

    /// Checks the options that can be checked without data: smoothing parameters in (0, 1],
    /// at least one Theta variant, an ETS code, ARIMA orders and positive MSTL periods. The
    /// error names the option.
    pub fn validate(&self) -> Result<()> {
        let unit = |name: &str, value: Option<f64>| match value {
            Some(v) if !(v > 0.0 && v <= 1.0) => Err(Error::invalid_parameter(name, format!("{v} is not in (0, 1]"))),
            _ => Ok(()),
        };
        match self {
            ModelSpec::Ses(m) => unit("alpha", m.alpha),
            ModelSpec::Tsb(m) => unit("alpha_d", m.alpha_d).and(unit("alpha_p", m.alpha_p)),
            ModelSpec::AutoTheta(m) if m.variants.is_empty() => {
                Err(Error::invalid_parameter("variants", "needs at least one Theta variant"))
            }
            ModelSpec::Ets(m) => m.parsed().map(|_| ()),
            ModelSpec::Arima(m) => {
                let o = m.order;
                // The season length comes from the series; 2 stands in for it when checking.
                let seasonal = o.seasonal_p + o.seasonal_d + o.seasonal_q > 0;
                ArimaOrder { season_length: if seasonal { 2 } else { 1 }, ..o }.validate()?;
                match m.box_cox_lambda {
                    Some(l) if !l.is_finite() => {
                        Err(Error::invalid_parameter("box_cox_lambda", format!("{l} is not a finite number")))
                    }
                    _ => Ok(()),
                }
            }
            ModelSpec::Mstl(m) if m.periods.contains(&0) => {
                Err(Error::invalid_parameter("periods", "every seasonal period must be at least 1"))
            }
            _ => Ok(()),
        }
    }

    /// The model as a [`Forecaster`].
    pub fn forecaster(&self) -> Result<Box<dyn Forecaster>> {
        Ok(match self {
            ModelSpec::Naive => Box::new(Naive),
            ModelSpec::SeasonalNaive => Box::new(SeasonalNaive),
            ModelSpec::RandomWalkWithDrift => Box::new(RandomWalkWithDrift),
            ModelSpec::HistoricMean => Box::new(HistoricMean),
            ModelSpec::Ses(m) => Box::new(*m),
            ModelSpec::Theta(m) => Box::new(*m),
            ModelSpec::AutoTheta(m) => Box::new(m.clone()),
            ModelSpec::Mstl(m) => Box::new(MstlForecaster {
                periods: m.periods.clone(),
                trend: match m.trend {
                    MstlTrend::Theta => TrendModel::Theta,
                    MstlTrend::Ses => TrendModel::Ses,
                    MstlTrend::Drift => TrendModel::Drift,
                    MstlTrend::Naive => TrendModel::Naive,
                },
                options: MstlOptions {
                    iterations: m.iterations,
                    seasonal_windows: m.seasonal_windows.clone(),
                    robust: m.robust,
                },
            }),
            ModelSpec::Croston => Box::new(Croston),
            ModelSpec::CrostonOptimized => Box::new(CrostonOptimized),
            ModelSpec::Sba => Box::new(Sba),
            ModelSpec::Tsb(m) => Box::new(*m),
            ModelSpec::Arima(m) => Box::new(m.clone()),
            ModelSpec::AutoArima(o) => Box::new(AutoArima::new(o.clone())),
            ModelSpec::Ets(m) => Box::new(Ets { spec: m.parsed()?, options: m.options.clone() }),
            ModelSpec::AutoEts(o) => Box::new(AutoEts { options: o.clone() }),
        })
    }
}

impl Forecaster for ModelSpec {
    /// The model's own name (`"AutoARIMA"`, `"ETS(A,Ad,N)"`, …); the code for an invalid ETS
    /// form.
    fn name(&self) -> String {
        match self.forecaster() {
            Ok(m) => m.name(),
            Err(_) => self.key().to_string(),
        }
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        self.forecaster()?.fit_predict(y, season_length, horizon, levels)
    }
}

#[cfg(test)]
mod tests;
