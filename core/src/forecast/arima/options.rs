//! Options of the automatic ARIMA search.

use serde::{Deserialize, Serialize};

pub use crate::forecast::InformationCriterion;

/// Box-Cox transformation before fitting.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoxCox {
    /// No transformation (default).
    #[default]
    None,
    /// A given lambda (0 = logarithm).
    Lambda(f64),
    /// Lambda chosen by Guerrero's method in [-1, 2] ([0, 2] with non-positive data); skipped
    /// with a note when the data are not all positive or too short.
    Auto,
}

/// Options of [`AutoArima`](super::AutoArima). `Default` follows statsforecast's `AutoARIMA`
/// (itself a port of R's `forecast::auto.arima`).
///
/// ```
/// use storelytics::forecast::arima::AutoArimaOptions;
/// let exhaustive = AutoArimaOptions { stepwise: false, ..Default::default() };
/// assert_eq!(exhaustive.max_p, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoArimaOptions {
    /// Largest non-seasonal AR order (default 5; also at most n/3, and m-1 for seasonal data).
    pub max_p: usize,
    /// Largest non-seasonal MA order (default 5).
    pub max_q: usize,
    /// Largest seasonal AR order (default 2).
    pub max_seasonal_p: usize,
    /// Largest seasonal MA order (default 2).
    pub max_seasonal_q: usize,
    /// Largest `p + q + P + Q` in the exhaustive search (default 5).
    pub max_order: usize,
    /// Largest number of regular differences (default 2).
    pub max_d: usize,
    /// Largest number of seasonal differences (default 1).
    pub max_seasonal_d: usize,
    /// Stepwise start: p (default 2).
    pub start_p: usize,
    /// Stepwise start: q (default 2).
    pub start_q: usize,
    /// Stepwise start: P (default 1).
    pub start_seasonal_p: usize,
    /// Stepwise start: Q (default 1).
    pub start_seasonal_q: usize,
    /// Fixed number of regular differences; `None` (default) chooses by KPSS tests at 5%.
    pub d: Option<usize>,
    /// Fixed number of seasonal differences; `None` (default) chooses by seasonal strength.
    pub seasonal_d: Option<usize>,
    /// Only stationary models (no differences) (default `false`).
    pub stationary: bool,
    /// Consider seasonal models (default `true`).
    pub seasonal: bool,
    /// Seasonal strength above which a seasonal difference is taken (default 0.64).
    pub seasonal_strength_threshold: f64,
    /// Ranking criterion (default AICc).
    pub criterion: InformationCriterion,
    /// Stepwise search (default `true`); `false` fits every model within the order limits.
    pub stepwise: bool,
    /// Largest number of models the stepwise search fits (default 94).
    pub max_models: usize,
    /// Rank candidates by the conditional-sum-of-squares likelihood, then refit the best with
    /// exact likelihood. `None` = when n > 150 or m > 12; default `Some(false)` (statsforecast).
    pub approximation: Option<bool>,
    /// Allow a drift term when `d + D = 1` (default `true`).
    pub allow_drift: bool,
    /// Allow a mean when `d + D = 0` (default `true`).
    pub allow_mean: bool,
    /// Box-Cox transformation (default none).
    pub box_cox: BoxCox,
    /// Back-transform Box-Cox forecasts to means instead of medians (default `false`).
    pub bias_adjust: bool,
    /// Fill NaN values: leading ones dropped, inner ones interpolated linearly, trailing ones
    /// carried forward; reported in the notes. Default `false`: NaN is an error.
    pub interpolate_missing: bool,
}

impl Default for AutoArimaOptions {
    fn default() -> Self {
        AutoArimaOptions {
            max_p: 5,
            max_q: 5,
            max_seasonal_p: 2,
            max_seasonal_q: 2,
            max_order: 5,
            max_d: 2,
            max_seasonal_d: 1,
            start_p: 2,
            start_q: 2,
            start_seasonal_p: 1,
            start_seasonal_q: 1,
            d: None,
            seasonal_d: None,
            stationary: false,
            seasonal: true,
            seasonal_strength_threshold: super::unitroot::SEASONAL_STRENGTH_THRESHOLD,
            criterion: InformationCriterion::Aicc,
            stepwise: true,
            max_models: 94,
            approximation: Some(false),
            allow_drift: true,
            allow_mean: true,
            box_cox: BoxCox::None,
            bias_adjust: false,
            interpolate_missing: false,
        }
    }
}
