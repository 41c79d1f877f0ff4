//! [`AutoArima`]: differences by tests, ARMA orders by information-criterion search.

use super::boxcox;
use super::fit::{Regressor, deterministic_estimate, estimate};
use super::model::{ArimaFit, Prepared, check_series, constant_value};
use super::options::{AutoArimaOptions, BoxCox, InformationCriterion};
use super::order::{ArimaOrder, EstimationMethod};
use super::search::{Candidate, Limits, SearchContext, exhaustive, select, stepwise};
use super::unitroot::{ndiffs, nsdiffs};
use crate::error::{Error, Result};
use crate::forecast::{Forecast, Forecaster, validate_horizon, validate_levels};

/// Automatic seasonal ARIMA (Hyndman and Khandakar 2008), as R's `forecast::auto.arima` and
/// statsforecast's `AutoARIMA`.
///
/// 1. Seasonal differences `D` from the STL seasonal strength (above 0.64: difference), regular
///    differences `d` from repeated KPSS tests at 5%.
/// 2. A stepwise search over `(p, q, P, Q)` and the constant (mean when `d + D = 0`, drift
///    when `d + D = 1`), ranking models by AICc and rejecting those with AR or MA roots
///    within 1.01 of the unit circle; or an exhaustive search. Candidate fits keep their
///    seasonal MA roots outside 1.01, so a seasonal MA driven towards a unit root by the
///    seasonal difference is ranked at the boundary instead of rejected.
///
/// ```
/// use storelytics::forecast::{Forecaster, arima::AutoArima};
/// let y: Vec<f64> = (0..84).map(|t| 50.0 + [9.0, 2.0, 0.0, 1.0, 3.0, 12.0, 15.0][t % 7] + (t % 5) as f64).collect();
/// let forecast = AutoArima::default().fit_predict(&y, 7, 14, &[80.0, 95.0]).unwrap();
/// assert_eq!(forecast.mean.len(), 14);
/// assert!(forecast.model.starts_with("ARIMA"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AutoArima {
    /// Search options.
    pub options: AutoArimaOptions,
}

impl AutoArima {
    /// AutoARIMA with the given options.
    pub fn new(options: AutoArimaOptions) -> Self {
        AutoArima { options }
    }

    /// Chooses and fits a model for `y` with season length `season_length` (1 = none).
    pub fn fit(&self, y: &[f64], season_length: usize) -> Result<ArimaFit> {
        let o = &self.options;
        if season_length == 0 {
            return Err(Error::invalid_parameter("season_length", "must be at least 1"));
        }
        let mut notes = Vec::new();
        let filled;
        let y = if o.interpolate_missing {
            filled = fill_missing(y, &mut notes)?;
            &filled[..]
        } else {
            y
        };
        check_series(y)?;
        if let Some(value) = constant_value(y) {
            notes.push("constant series: forecasts repeat the value with zero-width intervals".into());
            return Ok(ArimaFit::constant(ArimaOrder::new(0, 0, 0), value, y.len(), notes));
        }
        let lambda = match o.box_cox {
            BoxCox::None => None,
            BoxCox::Lambda(l) => Some(l),
            BoxCox::Auto => {
                let l = if y.iter().all(|&v| v > 0.0) { boxcox::guerrero(y, season_length) } else { None };
                if l.is_none() {
                    notes.push(
                        "Box-Cox lambda could not be chosen (data not all positive or too short): none used".into(),
                    );
                }
                l
            }
        };
        let prepared = Prepared::new(y, lambda, &mut notes)?;
        let x = &prepared.values;
        let n = x.len();
        let mut m = if o.seasonal { season_length } else { 1 };
        let mut limits = Limits {
            max_p: o.max_p.min(n / 3),
            max_q: o.max_q.min(n / 3),
            max_sp: o.max_seasonal_p.min(n / 3 / m),
            max_sq: o.max_seasonal_q.min(n / 3 / m),
            max_order: o.max_order,
            max_models: o.max_models.max(1),
        };
        let criterion = if n <= 3 { InformationCriterion::Aic } else { o.criterion };
        let (mut d, mut seasonal_d) = (o.d, o.seasonal_d);
        if o.stationary {
            d = Some(0);
            seasonal_d = Some(0);
        }
        if m > 1 && n <= 2 * m {
            notes.push(format!(
                "series of {n} observations is not longer than two seasons of {m}: seasonal part dropped"
            ));
            m = 1;
        }
        if m == 1 {
            seasonal_d = Some(0);
            limits.max_sp = 0;
            limits.max_sq = 0;
        }
        let seasonal_d = seasonal_d.unwrap_or_else(|| nsdiffs(x, m, o.max_seasonal_d, o.seasonal_strength_threshold));
        let mut dx = x.clone();
        for _ in 0..seasonal_d {
            dx = dx.iter().skip(m).zip(&dx).map(|(a, b)| a - b).collect();
        }
        let d = d.unwrap_or_else(|| ndiffs(&dx, o.max_d));
        for _ in 0..d {
            dx = dx.iter().skip(1).zip(&dx).map(|(a, b)| a - b).collect();
        }
        if dx.is_empty() {
            return Err(Error::insufficient_data(
                "AutoARIMA",
                format!("{n} observations leave nothing after {d} regular and {seasonal_d} seasonal differences"),
            ));
        }
        if let Some(c) = constant_value(&dx) {
            let order = ArimaOrder::new(0, d, 0).with_seasonal(0, seasonal_d, 0, m);
            let (regressor, beta) = match (d, seasonal_d) {
                (0, 1) => (Regressor::Drift, c / m as f64),
                (1, 0) => (Regressor::Drift, c),
                _ => (Regressor::None, 0.0),
            };
            let est = deterministic_estimate(x, &order, regressor, beta)?;
            return Ok(ArimaFit::from_estimate(order, est, &prepared, o.bias_adjust, notes));
        }
        if m > 1 {
            limits.max_p = limits.max_p.min(m - 1);
            limits.max_q = limits.max_q.min(m - 1);
        }
        let approximation = o.approximation.unwrap_or(n > 150 || m > 12);
        let mut ctx = SearchContext { y: x, m, d, seasonal_d, criterion, approximation, offset: 0.0 };
        if approximation {
            let base = ArimaOrder::new(0, d, 0).with_seasonal(0, seasonal_d, 0, m);
            let reg = if d + seasonal_d == 0 { Regressor::Intercept } else { Regressor::None };
            if let Ok(fit) = estimate(x, &base, reg, EstimationMethod::Css, false) {
                ctx.offset = -2.0 * fit.loglik - n as f64 * fit.sigma2.ln();
            }
        }
        let allow_constant = (o.allow_drift && d + seasonal_d == 1) || (o.allow_mean && d + seasonal_d == 0);
        let results = if o.stepwise {
            let small = n < 10;
            let start = Candidate {
                p: o.start_p.min(if small { 1 } else { usize::MAX }).min(limits.max_p),
                q: o.start_q.min(if small { 1 } else { usize::MAX }).min(limits.max_q),
                sp: if small { 0 } else { o.start_seasonal_p.min(limits.max_sp) },
                sq: if small { 0 } else { o.start_seasonal_q.min(limits.max_sq) },
                constant: allow_constant,
            };
            stepwise(&ctx, start, limits, allow_constant)
        } else {
            exhaustive(&ctx, limits, allow_constant)
        };
        let best = select(&ctx, results).and_then(|s| s.fit.map(|f| (s.candidate, f)));
        let (order, est) = match best {
            Some((c, fit)) => (ctx.order(&c), fit),
            None => {
                notes.push("no candidate model passed the checks: fell back to the differencing model".into());
                let order = ArimaOrder::new(0, d, 0).with_seasonal(0, seasonal_d, 0, m);
                let est = estimate(x, &order, ctx.regressor(allow_constant), EstimationMethod::CssMl, false)?;
                (order, est)
            }
        };
        Ok(ArimaFit::from_estimate(order, est, &prepared, o.bias_adjust, notes))
    }
}

impl Forecaster for AutoArima {
    fn name(&self) -> String {
        "AutoARIMA".into()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        validate_horizon(horizon)?;
        validate_levels(levels)?;
        self.fit(y, season_length)?.forecast(horizon, levels)
    }
}

/// Drops leading NaN, interpolates inner gaps linearly and carries the last value forward.
fn fill_missing(y: &[f64], notes: &mut Vec<String>) -> Result<Vec<f64>> {
    if y.iter().any(|v| v.is_infinite()) {
        return Ok(y.to_vec()); // reported by check_series
    }
    let Some(first) = y.iter().position(|v| !v.is_nan()) else {
        return Err(Error::insufficient_data("AutoARIMA", "every value is missing (NaN)"));
    };
    let mut out = y[first..].to_vec();
    let missing = out.iter().filter(|v| v.is_nan()).count();
    if first > 0 {
        notes.push(format!("{first} leading missing values dropped"));
    }
    if missing == 0 {
        return Ok(out);
    }
    let mut last = 0usize;
    for t in 1..out.len() {
        if out[t].is_nan() {
            continue;
        }
        if t > last + 1 {
            let (a, b) = (out[last], out[t]);
            for (k, v) in out.iter_mut().enumerate().take(t).skip(last + 1) {
                *v = a + (b - a) * (k - last) as f64 / (t - last) as f64;
            }
        }
        last = t;
    }
    let carried = out[last];
    out[last + 1..].iter_mut().for_each(|v| *v = carried);
    notes.push(format!("{missing} missing values filled (linear interpolation, last value carried forward)"));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_gaps() {
        let mut notes = Vec::new();
        let out = fill_missing(&[f64::NAN, 1.0, f64::NAN, 3.0, f64::NAN], &mut notes).unwrap();
        assert_eq!(out, vec![1.0, 2.0, 3.0, 3.0]);
        assert_eq!(notes.len(), 2);
    }
}
