//! The fixed-order model [`Arima`] and its fitted form [`ArimaFit`].

use serde::{Deserialize, Serialize};

use super::boxcox;
use super::fit::{Estimate, Regressor, estimate};
use super::order::{ArimaOrder, EstimationMethod};
use crate::error::{Error, Result, Rows};
use crate::forecast::{Forecast, Forecaster, IntervalMethod, PredictionInterval, validate_horizon, validate_levels};
use crate::numeric::normal_quantile;

/// Series whose largest absolute value exceeds this are rescaled before fitting.
const RESCALE_ABOVE: f64 = 1e10;

/// A seasonal ARIMA model of fixed order, estimated by exact maximum likelihood.
///
/// Defaults follow R's `forecast::Arima` and statsforecast's `ARIMA`: a mean is estimated when
/// the model has no differences, no drift, `CSS-ML` estimation, no Box-Cox transformation.
///
/// ```
/// use storelytics::forecast::arima::{Arima, ArimaOrder};
/// let y: Vec<f64> = (0..48).map(|t| 100.0 + t as f64 + 10.0 * ((t % 12) as f64 - 5.5).abs()).collect();
/// let model = Arima::new(ArimaOrder::new(1, 0, 0).with_seasonal(0, 1, 0, 12));
/// let fit = model.fit(&y).unwrap();
/// let forecast = fit.forecast(12, &[80.0, 95.0]).unwrap();
/// assert_eq!(forecast.mean.len(), 12);
/// assert!(fit.aicc.is_finite());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Arima {
    /// Model orders.
    pub order: ArimaOrder,
    /// Estimate a mean when the model has no differences (default `true`).
    pub include_mean: bool,
    /// Estimate a drift (linear trend) when the model has exactly one difference (`d + D = 1`;
    /// default `false`). Ignored, with a note, otherwise.
    pub include_drift: bool,
    /// Estimation method (default [`EstimationMethod::CssMl`]).
    pub method: EstimationMethod,
    /// Box-Cox parameter; `None` (default) fits the data as they are, `Some(0.0)` their logs.
    pub box_cox_lambda: Option<f64>,
    /// Back-transform Box-Cox forecasts to means rather than medians (default `false`).
    pub bias_adjust: bool,
}

/// ARIMA(0,0,0) with a mean and the default settings of [`Arima::new`].
impl Default for Arima {
    fn default() -> Self {
        Arima::new(ArimaOrder::default())
    }
}

impl Arima {
    /// The model of `order` with default settings.
    pub fn new(order: ArimaOrder) -> Self {
        Arima {
            order,
            include_mean: true,
            include_drift: false,
            method: EstimationMethod::CssMl,
            box_cox_lambda: None,
            bias_adjust: false,
        }
    }

    /// Fits the model to `y` (regularly spaced, finite values).
    pub fn fit(&self, y: &[f64]) -> Result<ArimaFit> {
        self.order.validate()?;
        let mut order = self.order;
        let mut notes = Vec::new();
        check_series(y)?;
        if order.is_seasonal() && y.len() < 2 * order.season_length {
            notes.push(format!(
                "series of {} observations is shorter than two seasons of {}: seasonal part dropped",
                y.len(),
                order.season_length
            ));
            order = ArimaOrder::new(order.p, order.d, order.q);
        }
        let regressor = match order.differences() {
            0 if self.include_mean => Regressor::Intercept,
            1 if self.include_drift => Regressor::Drift,
            _ => Regressor::None,
        };
        if self.include_drift && order.differences() != 1 {
            notes.push("drift is only estimated with exactly one difference: no drift fitted".into());
        }
        let prepared = Prepared::new(y, self.box_cox_lambda, &mut notes)?;
        if let Some(value) = constant_value(y) {
            notes.push("constant series: forecasts repeat the value with zero-width intervals".into());
            return Ok(ArimaFit::constant(order, value, y.len(), notes));
        }
        let est = estimate(&prepared.values, &order, regressor, self.method, false)?;
        Ok(ArimaFit::from_estimate(order, est, &prepared, self.bias_adjust, notes))
    }
}

impl Forecaster for Arima {
    fn name(&self) -> String {
        "ARIMA".into()
    }

    /// Uses the model's orders with `season_length` as the season length of its seasonal part.
    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        validate_horizon(horizon)?;
        validate_levels(levels)?;
        let mut model = self.clone();
        model.order.season_length =
            if self.order.seasonal_p + self.order.seasonal_d + self.order.seasonal_q > 0 { season_length } else { 1 };
        model.fit(y)?.forecast(horizon, levels)
    }
}

/// Rejects empty series and non-finite values.
pub(crate) fn check_series(y: &[f64]) -> Result<()> {
    if y.is_empty() {
        return Err(Error::insufficient_data("ARIMA", "the series is empty"));
    }
    let bad = Rows::collect(y.iter().enumerate().filter(|(_, v)| !v.is_finite()).map(|(i, _)| i));
    if bad.count > 0 {
        return Err(Error::InvalidValue {
            column: "y".into(),
            problem: "a NaN or infinite value (fill gaps first, e.g. with AutoArimaOptions::interpolate_missing)"
                .into(),
            rows: bad,
        });
    }
    Ok(())
}

/// The value of a constant series.
pub(crate) fn constant_value(y: &[f64]) -> Option<f64> {
    let first = *y.first()?;
    y.iter().all(|&v| v == first).then_some(first)
}

/// The series as the model sees it: Box-Cox transformed, then divided by `scale`.
pub(crate) struct Prepared {
    pub(crate) values: Vec<f64>,
    pub(crate) lambda: Option<f64>,
    pub(crate) scale: f64,
}

impl Prepared {
    pub(crate) fn new(y: &[f64], lambda: Option<f64>, notes: &mut Vec<String>) -> Result<Self> {
        let mut values = match lambda {
            Some(l) if !l.is_finite() => return Err(Error::invalid_parameter("box_cox_lambda", "must be finite")),
            Some(l) => boxcox::transform(y, l).ok_or_else(|| {
                Error::invalid_parameter(
                    "box_cox_lambda",
                    format!("Box-Cox with lambda {l} needs positive data (non-negative for lambda > 0)"),
                )
            })?,
            None => y.to_vec(),
        };
        let largest = values.iter().fold(0.0_f64, |s, v| s.max(v.abs()));
        let scale = if largest > RESCALE_ABOVE {
            notes.push(format!("values up to {largest:e} rescaled by that factor for numerical stability"));
            values.iter_mut().for_each(|v| *v /= largest);
            largest
        } else {
            1.0
        };
        Ok(Prepared { values, lambda, scale })
    }
}

/// Estimated coefficients, in the order ar, ma, seasonal ar, seasonal ma, intercept / drift.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ArimaCoefficients {
    /// Non-seasonal AR coefficients `phi_1..phi_p` of `(1 - Σ phi_i B^i)`.
    pub ar: Vec<f64>,
    /// Non-seasonal MA coefficients `theta_1..theta_q` of `(1 + Σ theta_i B^i)`.
    pub ma: Vec<f64>,
    /// Seasonal AR coefficients.
    pub seasonal_ar: Vec<f64>,
    /// Seasonal MA coefficients.
    pub seasonal_ma: Vec<f64>,
    /// Mean of an undifferenced series, if estimated.
    pub intercept: Option<f64>,
    /// Drift (slope per step) of a once-differenced series, if estimated.
    pub drift: Option<f64>,
}

enum Engine {
    Model(Box<Estimate>),
    Constant(f64),
}

/// A fitted ARIMA model: coefficients, fit statistics, in-sample values, and forecasts.
///
/// Statistics refer to the (Box-Cox transformed) data the model was fitted to; `fitted` is on
/// the original scale, `residuals` on the fitted scale.
pub struct ArimaFit {
    /// Model orders (after any documented fallback such as dropping the seasonal part).
    pub order: ArimaOrder,
    /// Estimated coefficients.
    pub coefficients: ArimaCoefficients,
    /// Innovation variance, `Σ residual² / (n - d - mD - k)` with `k` estimated coefficients
    /// (infinite if it overflows for data near `f64::MAX`; forecasts are unaffected).
    pub sigma2: f64,
    /// Exact Gaussian log-likelihood (conditional for CSS fits).
    pub loglik: f64,
    /// Akaike information criterion (NaN for CSS fits).
    pub aic: f64,
    /// AIC with small-sample correction.
    pub aicc: f64,
    /// Bayesian information criterion.
    pub bic: f64,
    /// Observations after differencing, `n - d - mD`.
    pub nobs: usize,
    /// One-step-ahead in-sample predictions (original scale).
    pub fitted: Vec<f64>,
    /// Innovations (fitted scale).
    pub residuals: Vec<f64>,
    /// Box-Cox parameter used, if any.
    pub box_cox_lambda: Option<f64>,
    /// Fallbacks used, e.g. a dropped seasonal part.
    pub notes: Vec<String>,
    bias_adjust: bool,
    scale: f64,
    /// Innovation variance on the rescaled data (finite even where `sigma2` overflows).
    scaled_sigma2: f64,
    n: usize,
    engine: Engine,
}

impl std::fmt::Debug for ArimaFit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArimaFit")
            .field("model", &self.model_name())
            .field("coefficients", &self.coefficients)
            .field("sigma2", &self.sigma2)
            .field("loglik", &self.loglik)
            .field("aicc", &self.aicc)
            .field("notes", &self.notes)
            .finish_non_exhaustive()
    }
}

impl ArimaFit {
    pub(crate) fn constant(order: ArimaOrder, value: f64, n: usize, notes: Vec<String>) -> Self {
        ArimaFit {
            order: ArimaOrder::new(0, 0, 0).with_seasonal(0, 0, 0, order.season_length),
            coefficients: ArimaCoefficients { intercept: Some(value), ..Default::default() },
            sigma2: 0.0,
            loglik: f64::NAN,
            aic: f64::NAN,
            aicc: f64::NAN,
            bic: f64::NAN,
            nobs: n,
            fitted: vec![value; n],
            residuals: vec![0.0; n],
            box_cox_lambda: None,
            notes,
            bias_adjust: false,
            scale: 1.0,
            scaled_sigma2: 0.0,
            n,
            engine: Engine::Constant(value),
        }
    }

    pub(crate) fn from_estimate(
        order: ArimaOrder,
        est: Estimate,
        prepared: &Prepared,
        bias_adjust: bool,
        mut notes: Vec<String>,
    ) -> Self {
        let s = prepared.scale;
        let n = prepared.values.len();
        let nstar = est.n_used as f64;
        let k = est.n_coef as f64;
        let npar = k + 1.0;
        let ssr: f64 = est.residuals.iter().filter(|r| r.is_finite()).map(|r| r * r).sum();
        let sigma2 = if nstar - k > 0.0 { ssr / (nstar - k) } else { est.sigma2 };
        let log_scale = s.ln();
        let loglik = est.loglik - nstar * log_scale;
        let aic = est.aic + 2.0 * nstar * log_scale;
        let aicc = if nstar - npar - 1.0 > 0.0 {
            aic + 2.0 * npar * (npar + 1.0) / (nstar - npar - 1.0)
        } else {
            f64::INFINITY
        };
        let bic = aic + npar * (nstar.ln() - 2.0);
        let fitted = prepared
            .values
            .iter()
            .zip(&est.residuals)
            .map(|(v, r)| {
                let f = (v - if r.is_finite() { *r } else { 0.0 }) * s;
                prepared.lambda.map_or(f, |l| boxcox::inverse(f, l))
            })
            .collect();
        notes.extend(est.notes.iter().cloned());
        let beta = est.beta * s;
        ArimaFit {
            order,
            coefficients: ArimaCoefficients {
                ar: est.ar.clone(),
                ma: est.ma.clone(),
                seasonal_ar: est.sar.clone(),
                seasonal_ma: est.sma.clone(),
                intercept: (est.regressor == Regressor::Intercept).then_some(beta),
                drift: (est.regressor == Regressor::Drift).then_some(beta),
            },
            sigma2: sigma2 * s * s,
            loglik,
            aic,
            aicc,
            bic,
            nobs: est.n_used,
            fitted,
            residuals: est.residuals.iter().map(|r| r * s).collect(),
            box_cox_lambda: prepared.lambda,
            notes,
            bias_adjust,
            scale: s,
            scaled_sigma2: sigma2,
            n,
            engine: Engine::Model(Box::new(est)),
        }
    }

    /// Name in the style of R's `forecast` package, e.g. `ARIMA(0,1,1)(0,1,1)[12]` or
    /// `ARIMA(1,1,0) with drift`.
    pub fn model_name(&self) -> String {
        let mut name = self.order.to_string();
        if self.coefficients.drift.is_some() {
            name.push_str(" with drift");
        } else if self.coefficients.intercept.is_some() {
            name.push_str(" with non-zero mean");
        } else if self.order.differences() == 0 {
            name.push_str(" with zero mean");
        }
        name
    }

    /// Point forecasts and prediction intervals at `levels` percent for `horizon` steps.
    pub fn forecast(&self, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        validate_horizon(horizon)?;
        validate_levels(levels)?;
        let (mean, sd): (Vec<f64>, Vec<f64>) = match &self.engine {
            Engine::Constant(v) => (vec![*v; horizon], vec![0.0; horizon]),
            Engine::Model(est) => {
                let (means, vars) = est.model.forecast(&est.state, &est.cov, horizon);
                let s2 = self.scaled_sigma2;
                means
                    .iter()
                    .zip(&vars)
                    .enumerate()
                    .map(|(h, (m, v))| {
                        let m = m + est.beta * est.regressor.at(self.n + h);
                        (m * self.scale, (v * s2).sqrt() * self.scale)
                    })
                    .unzip()
            }
        };
        if mean.iter().chain(&sd).any(|v| !v.is_finite()) {
            return Err(Error::Numerical { analysis: self.model_name(), problem: "forecasts are not finite".into() });
        }
        let back = |x: f64| self.box_cox_lambda.map_or(x, |l| boxcox::inverse(x, l));
        let intervals = levels
            .iter()
            .map(|&level| {
                let z = normal_quantile(0.5 + level / 200.0);
                PredictionInterval {
                    level,
                    lower: mean.iter().zip(&sd).map(|(m, s)| back(m - z * s)).collect(),
                    upper: mean.iter().zip(&sd).map(|(m, s)| back(m + z * s)).collect(),
                }
            })
            .collect();
        let point = mean
            .iter()
            .zip(&sd)
            .map(|(m, s)| match self.box_cox_lambda {
                Some(l) if self.bias_adjust => boxcox::inverse_mean(*m, s * s, l),
                Some(l) => boxcox::inverse(*m, l),
                None => *m,
            })
            .collect();
        Ok(Forecast {
            model: self.model_name(),
            mean: point,
            intervals,
            interval_method: if levels.is_empty() { IntervalMethod::None } else { IntervalMethod::Analytic },
            fitted: Some(self.fitted.clone()),
            notes: self.notes.clone(),
        })
    }
}
