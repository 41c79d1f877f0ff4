//! Estimation of one ARIMA model: regression starting values, conditional sum of squares, then
//! exact maximum likelihood through the Kalman filter (the `CSS-ML` scheme of R's `arima`).

use super::css::{css_residuals, difference_in_place};
use super::likelihood::arma_likelihood;
use super::order::{ArimaOrder, EstimationMethod};
use super::poly::{
    expand_ar, expand_ma, from_stationary, partial_autocorrelations, shrink_to_invertible, to_stationary,
};
use super::statespace::StateSpace;
use crate::error::{Error, Result};
use crate::optim::bfgs::minimize;

/// Variance of the diffuse prior of the differencing states.
const KAPPA: f64 = 1e6;
/// Iteration limit of each optimisation.
const MAX_ITER: usize = 100;
/// Radius outside which a search fit keeps its seasonal MA roots: just beyond the 1.01 of the
/// search's acceptance check, so a fit on the boundary still passes it.
pub(crate) const SEARCH_MA_RADIUS: f64 = 1.0105;

/// The deterministic regressor of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Regressor {
    /// None (zero mean of the differenced series).
    None,
    /// A constant column: the mean of an undifferenced series.
    Intercept,
    /// `1, 2, ..., n`: a linear trend, i.e. a constant of a once-differenced series.
    Drift,
}

impl Regressor {
    /// The regressor's value at 0-based time `t`.
    pub(crate) fn at(self, t: usize) -> f64 {
        match self {
            Regressor::None => 0.0,
            Regressor::Intercept => 1.0,
            Regressor::Drift => (t + 1) as f64,
        }
    }
}

/// An estimated model on the (possibly transformed and scaled) series.
#[derive(Debug, Clone)]
pub(crate) struct Estimate {
    pub(crate) ar: Vec<f64>,
    pub(crate) ma: Vec<f64>,
    pub(crate) sar: Vec<f64>,
    pub(crate) sma: Vec<f64>,
    pub(crate) regressor: Regressor,
    pub(crate) beta: f64,
    /// Innovation variance estimate `ssq / n_used` (CSS: `ssq / count`).
    pub(crate) sigma2: f64,
    pub(crate) loglik: f64,
    /// AIC from the exact likelihood; NaN for CSS fits.
    pub(crate) aic: f64,
    /// Number of free parameters excluding the variance.
    pub(crate) n_coef: usize,
    pub(crate) n_used: usize,
    pub(crate) residuals: Vec<f64>,
    pub(crate) model: StateSpace,
    pub(crate) state: Vec<f64>,
    pub(crate) cov: Vec<f64>,
    pub(crate) notes: Vec<String>,
}

impl Estimate {
    /// Expanded AR and MA polynomials.
    pub(crate) fn expanded(&self, m: usize) -> (Vec<f64>, Vec<f64>) {
        (expand_ar(&self.ar, &self.sar, m), expand_ma(&self.ma, &self.sma, m))
    }

    /// Number of free coefficients plus the variance.
    pub(crate) fn n_params(&self) -> usize {
        self.n_coef + 1
    }
}

/// Coefficients of the differencing operator as a regression on past values.
pub(crate) fn differencing_delta(order: &ArimaOrder) -> Vec<f64> {
    let mut poly = vec![1.0];
    let mut multiply = |factor: &[(usize, f64)]| {
        let deg = factor.iter().map(|f| f.0).max().unwrap_or(0);
        let mut out = vec![0.0; poly.len() + deg];
        for (i, &a) in poly.iter().enumerate() {
            for &(lag, c) in factor {
                out[i + lag] += a * c;
            }
        }
        poly = out;
    };
    for _ in 0..order.d {
        multiply(&[(0, 1.0), (1, -1.0)]);
    }
    for _ in 0..order.seasonal_d {
        multiply(&[(0, 1.0), (order.season_length, -1.0)]);
    }
    poly.iter().skip(1).map(|c| -c).collect()
}

/// Layout of the parameter vector: ar, ma, sar, sma, regressor.
struct Layout {
    p: usize,
    q: usize,
    sp: usize,
    sq: usize,
    m: usize,
    reg: bool,
    /// Every root of the seasonal MA polynomial `1 + Σ sma_j B^{mj}` (in `B`) lies outside this
    /// radius (1 = invertible); the non-seasonal MA part is only kept invertible.
    sma_radius: f64,
}

/// `coef_k * radius^(-k)` (`inverse`: `radius^k`): moves the roots of `1 + Σ coef_k z^k` from
/// outside the unit circle to outside `radius` (and back).
fn scale_roots(coef: &mut [f64], radius: f64, inverse: bool) {
    let step = if inverse { radius } else { radius.recip() };
    let mut f = 1.0;
    for c in coef.iter_mut() {
        f *= step;
        *c *= f;
    }
}

impl Layout {
    fn narma(&self) -> usize {
        self.p + self.q + self.sp + self.sq
    }
    fn len(&self) -> usize {
        self.narma() + usize::from(self.reg)
    }
    fn split<'a>(&self, par: &'a [f64]) -> (&'a [f64], &'a [f64], &'a [f64], &'a [f64], f64) {
        let (ar, rest) = par.split_at(self.p);
        let (ma, rest) = rest.split_at(self.q);
        let (sar, rest) = rest.split_at(self.sp);
        let (sma, rest) = rest.split_at(self.sq);
        (ar, ma, sar, sma, rest.first().copied().unwrap_or(0.0))
    }
    /// Unconstrained ML parameters to model coefficients (stationary AR, invertible MA).
    fn constrain(&self, raw: &[f64]) -> Vec<f64> {
        let (ar, ma, sar, sma, beta) = self.split(raw);
        let ma_part = |raw: &[f64], radius: f64| {
            let mut theta: Vec<f64> = to_stationary(raw).into_iter().map(|c| -c).collect();
            if radius != 1.0 {
                scale_roots(&mut theta, radius, false);
            }
            theta
        };
        let mut out = to_stationary(ar);
        out.extend(ma_part(ma, 1.0));
        out.extend(to_stationary(sar));
        out.extend(ma_part(sma, self.sma_radius.powi(self.m as i32)));
        if self.reg {
            out.push(beta);
        }
        out
    }
    /// The inverse of [`Layout::constrain`]; `None` if the AR parts are not stationary.
    fn unconstrain(&self, par: &[f64]) -> Option<Vec<f64>> {
        let (ar, ma, sar, sma, beta) = self.split(par);
        let inv_ma = |ma: &[f64], radius: f64| {
            let mut theta = ma.to_vec();
            if radius != 1.0 {
                scale_roots(&mut theta, radius, true);
            }
            shrink_to_invertible(&mut theta);
            let neg: Vec<f64> = theta.iter().map(|c| -c).collect();
            from_stationary(&neg).unwrap_or_else(|| vec![0.0; ma.len()])
        };
        let mut out = from_stationary(ar)?;
        out.extend(inv_ma(ma, 1.0));
        out.extend(from_stationary(sar)?);
        out.extend(inv_ma(sma, self.sma_radius.powi(self.m as i32)));
        if self.reg {
            out.push(beta);
        }
        Some(out)
    }
}

/// Least-squares slope of the differenced series on the differenced regressor, and its
/// standard error (the starting value and scale of the regression coefficient).
fn regression_start(y: &[f64], regressor: Regressor, order: &ArimaOrder) -> (f64, f64) {
    let mut dy = y.to_vec();
    let mut dx: Vec<f64> = (0..y.len()).map(|t| regressor.at(t)).collect();
    let lost = order.d + order.seasonal_d * order.season_length;
    difference_in_place(&mut dy, order.d, order.seasonal_d, order.season_length);
    difference_in_place(&mut dx, order.d, order.seasonal_d, order.season_length);
    let (dy, dx) = if y.len() > lost + 1 { (&dy[lost..], &dx[lost..]) } else { (y, &dx[..0]) };
    let dx: Vec<f64> = if dx.is_empty() { (0..dy.len()).map(|t| regressor.at(t)).collect() } else { dx.to_vec() };
    let sxx: f64 = dx.iter().map(|x| x * x).sum();
    let sxy: f64 = dx.iter().zip(dy).map(|(x, y)| x * y).sum();
    if sxx.is_nan() || sxx <= 0.0 {
        return (0.0, 1.0);
    }
    let beta = sxy / sxx;
    let rss: f64 = dx.iter().zip(dy).map(|(x, y)| (y - beta * x).powi(2)).sum();
    let dof = dy.len().saturating_sub(1).max(1) as f64;
    let se = (rss / dof / sxx).sqrt();
    let scale = if se.is_finite() && se > 0.0 { 10.0 * se } else { beta.abs().max(1.0) * 0.1 };
    (beta, scale)
}

/// Fits the model of `order` to `y` (no NaN). `search`: the fit of a model search, which
/// fails when the CSS starting values have a non-stationary AR part (instead of restarting ML
/// from zero) and keeps the seasonal MA roots outside [`SEARCH_MA_RADIUS`]: a seasonal
/// difference chosen by the seasonal-strength rule often leaves a seasonal MA converging to a
/// unit root, which the search's root check would reject for every seasonal MA order; the
/// search instead ranks the best fit that passes the check.
pub(crate) fn estimate(
    y: &[f64],
    order: &ArimaOrder,
    regressor: Regressor,
    method: EstimationMethod,
    search: bool,
) -> Result<Estimate> {
    let m = order.season_length.max(1);
    let layout = Layout {
        p: order.p,
        q: order.q,
        sp: order.seasonal_p,
        sq: order.seasonal_q,
        m,
        reg: regressor != Regressor::None,
        sma_radius: if search { SEARCH_MA_RADIUS } else { 1.0 },
    };
    let delta = differencing_delta(order);
    let n = y.len();
    let n_used = n.saturating_sub(delta.len());
    if n_used <= layout.len() {
        return Err(Error::insufficient_data(
            format!("{order}"),
            format!("needs more than {} observations after differencing, got {n_used}", layout.len()),
        ));
    }
    let mut notes = Vec::new();
    let mut par = vec![0.0; layout.len()];
    let mut parscale = vec![1.0; layout.len()];
    if layout.reg {
        let (beta, scale) = regression_start(y, regressor, order);
        par[layout.narma()] = beta;
        parscale[layout.narma()] = scale;
    }
    let xreg: Vec<f64> = (0..n).map(|t| regressor.at(t)).collect();
    let demean = |beta: f64| -> Vec<f64> { y.iter().zip(&xreg).map(|(v, x)| v - beta * x).collect() };
    let ncond = order.d + order.seasonal_d * m + order.p + order.seasonal_p * m;
    // Differencing is linear: the differenced series of `y - beta x` is `dy - beta dx`, both
    // computed once (full length; the first `d + mD` values are not used).
    let mut dy = y.to_vec();
    difference_in_place(&mut dy, order.d, order.seasonal_d, m);
    let mut dx = xreg.clone();
    difference_in_place(&mut dx, order.d, order.seasonal_d, m);
    let differenced = |beta: f64, w: &mut Vec<f64>| {
        w.clear();
        w.extend(dy.iter().zip(&dx).map(|(a, x)| a - beta * x));
    };
    let mut css_w = Vec::with_capacity(n);
    let mut css_objective = |par: &[f64]| -> f64 {
        let (ar, ma, sar, sma, beta) = layout.split(par);
        let w = if layout.reg {
            differenced(beta, &mut css_w);
            &css_w
        } else {
            &dy
        };
        let (ssq, count, _) = css_residuals(w, &expand_ar(ar, sar, layout.m), &expand_ma(ma, sma, layout.m), ncond);
        if count == 0 || !ssq.is_finite() {
            return f64::INFINITY;
        }
        0.5 * (ssq / count as f64).ln()
    };
    let scaled = |z: &[f64], scale: &[f64]| -> Vec<f64> { z.iter().zip(scale).map(|(a, s)| a * s).collect() };
    let unscaled = |x: &[f64], scale: &[f64]| -> Vec<f64> { x.iter().zip(scale).map(|(a, s)| a / s).collect() };

    if method != EstimationMethod::Ml {
        let start = unscaled(&par, &parscale);
        let best = minimize(|z| css_objective(&scaled(z, &parscale)), &start, MAX_ITER);
        if best.value.is_finite() {
            par = scaled(&best.x, &parscale);
        }
    }
    if method == EstimationMethod::Css {
        return finish_css(y, order, regressor, &layout, &par, &delta, ncond, n_used, notes);
    }
    let (ar, _, sar, _, _) = layout.split(&par);
    if partial_autocorrelations(ar).is_none() || partial_autocorrelations(sar).is_none() {
        if search {
            return Err(Error::Numerical {
                analysis: format!("{order}"),
                problem: "non-stationary AR part from CSS starting values".into(),
            });
        }
        notes.push("CSS starting values had a non-stationary AR part; ML started from zero".into());
        par[..layout.narma()].iter_mut().for_each(|v| *v = 0.0);
    }
    let raw_start = layout.unconstrain(&par).unwrap_or_else(|| vec![0.0; layout.len()]);
    // The diffuse likelihood of the series equals the exact likelihood of the differenced
    // series (up to the O(1/kappa) error of the large-variance prior), so the optimisation runs
    // the smaller ARMA-only filter on the differenced data; the final fit below uses the full
    // form, whose state also serves the forecasts.
    let lost = delta.len().min(n);
    let mut w = dy[lost..].to_vec();
    let mut ml_objective = |raw: &[f64]| -> f64 {
        let par = layout.constrain(raw);
        let (ar, ma, sar, sma, beta) = layout.split(&par);
        if layout.reg {
            for ((v, a), x) in w.iter_mut().zip(&dy[lost..]).zip(&dx[lost..]) {
                *v = a - beta * x;
            }
        }
        arma_likelihood(&expand_ar(ar, sar, layout.m), &expand_ma(ma, sma, layout.m), &w)
            .and_then(|l| l.objective())
            .unwrap_or(f64::INFINITY)
    };
    let best = minimize(|z| ml_objective(&scaled(z, &parscale)), &unscaled(&raw_start, &parscale), MAX_ITER);
    if !best.value.is_finite() {
        return Err(Error::Numerical { analysis: format!("{order}"), problem: "likelihood is not finite".into() });
    }
    if !best.converged {
        notes.push(format!("{order}: likelihood optimisation stopped at the iteration limit"));
    }
    let par = layout.constrain(&scaled(&best.x, &parscale));
    let (ar, ma, sar, sma, beta) = layout.split(&par);
    let model = StateSpace::new(&expand_ar(ar, sar, m), &expand_ma(ma, sma, m), &delta, KAPPA).ok_or_else(|| {
        Error::Numerical { analysis: format!("{order}"), problem: "AR part is not stationary".into() }
    })?;
    let out = model
        .filter(&demean(beta))
        .ok_or_else(|| Error::Numerical { analysis: format!("{order}"), problem: "Kalman filter failed".into() })?;
    let value = out
        .objective()
        .ok_or_else(|| Error::Numerical { analysis: format!("{order}"), problem: "likelihood is not finite".into() })?;
    let nu = n_used as f64;
    let minus2ll = 2.0 * nu * value + nu + nu * (2.0 * std::f64::consts::PI).ln();
    Ok(Estimate {
        ar: ar.to_vec(),
        ma: ma.to_vec(),
        sar: sar.to_vec(),
        sma: sma.to_vec(),
        regressor,
        beta,
        sigma2: out.ssq / nu,
        loglik: -0.5 * minus2ll,
        aic: minus2ll + 2.0 * (layout.len() + 1) as f64,
        n_coef: layout.len(),
        n_used,
        residuals: out.residuals,
        model,
        state: out.state,
        cov: out.cov,
        notes,
    })
}

/// A model without ARMA coefficients and a fixed regression coefficient `beta`, for series
/// that become constant after differencing (the variance is zero: forecasts are exact).
pub(crate) fn deterministic_estimate(
    y: &[f64],
    order: &ArimaOrder,
    regressor: Regressor,
    beta: f64,
) -> Result<Estimate> {
    let delta = differencing_delta(order);
    let numerical = |problem: &str| Error::Numerical { analysis: format!("{order}"), problem: problem.into() };
    let model = StateSpace::new(&[], &[], &delta, KAPPA).ok_or_else(|| numerical("state-space form failed"))?;
    let demeaned: Vec<f64> = y.iter().enumerate().map(|(t, v)| v - beta * regressor.at(t)).collect();
    let out = model.filter(&demeaned).ok_or_else(|| numerical("Kalman filter failed"))?;
    Ok(Estimate {
        ar: Vec::new(),
        ma: Vec::new(),
        sar: Vec::new(),
        sma: Vec::new(),
        regressor,
        beta,
        sigma2: 0.0,
        loglik: f64::NAN,
        aic: f64::NAN,
        n_coef: 0,
        n_used: y.len().saturating_sub(delta.len()),
        residuals: vec![0.0; y.len()],
        model,
        state: out.state,
        cov: out.cov,
        notes: vec!["the differenced series is constant: deterministic model with zero-width intervals".into()],
    })
}

/// Completes a CSS-only fit: conditional residuals and likelihood, and a filtered state for
/// forecasting.
#[allow(clippy::too_many_arguments)]
fn finish_css(
    y: &[f64],
    order: &ArimaOrder,
    regressor: Regressor,
    layout: &Layout,
    par: &[f64],
    delta: &[f64],
    ncond: usize,
    n_used: usize,
    notes: Vec<String>,
) -> Result<Estimate> {
    let m = layout.m;
    let (ar, ma, sar, sma, beta) = layout.split(par);
    let (phi, theta) = (expand_ar(ar, sar, m), expand_ma(ma, sma, m));
    let demeaned: Vec<f64> = y.iter().enumerate().map(|(t, v)| v - beta * regressor.at(t)).collect();
    let mut w = demeaned.clone();
    difference_in_place(&mut w, order.d, order.seasonal_d, m);
    let (ssq, count, residuals) = css_residuals(&w, &phi, &theta, ncond);
    let numerical = |problem: &str| Error::Numerical { analysis: format!("{order}"), problem: problem.into() };
    if count == 0 {
        return Err(numerical("no residuals after conditioning"));
    }
    let sigma2 = ssq / count as f64;
    let nu = n_used as f64;
    let minus2ll = nu * sigma2.ln() + nu + nu * (2.0 * std::f64::consts::PI).ln();
    let model = StateSpace::new(&phi, &theta, delta, KAPPA).ok_or_else(|| numerical("AR part is not stationary"))?;
    let out = model.filter(&demeaned).ok_or_else(|| numerical("Kalman filter failed"))?;
    Ok(Estimate {
        ar: ar.to_vec(),
        ma: ma.to_vec(),
        sar: sar.to_vec(),
        sma: sma.to_vec(),
        regressor,
        beta,
        sigma2,
        loglik: -0.5 * minus2ll,
        aic: f64::NAN,
        n_coef: layout.len(),
        n_used,
        residuals,
        model,
        state: out.state,
        cov: out.cov,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_of_seasonal_and_regular_difference() {
        let order = ArimaOrder::new(0, 1, 0).with_seasonal(0, 1, 0, 4);
        // (1 - B)(1 - B^4) = 1 - B - B^4 + B^5
        assert_eq!(differencing_delta(&order), vec![1.0, 0.0, 0.0, 1.0, -1.0]);
    }

    #[test]
    fn ar1_estimate_is_close_to_truth() {
        // AR(1) with phi = 0.6 from a fixed pseudo-random sequence.
        let mut state = 12345u64;
        let mut noise = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5
        };
        let mut y = vec![0.0; 600];
        for t in 1..y.len() {
            y[t] = 0.6 * y[t - 1] + noise() + noise() + noise();
        }
        let fit =
            estimate(&y, &ArimaOrder::new(1, 0, 0), Regressor::Intercept, EstimationMethod::CssMl, false).unwrap();
        assert!((fit.ar[0] - 0.6).abs() < 0.08, "{}", fit.ar[0]);
        assert!(fit.beta.abs() < 0.2);
        assert!(fit.loglik.is_finite() && fit.aic.is_finite());
    }
}
