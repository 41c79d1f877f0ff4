//! The state-space form of the Theta method (Fiorucci, Pellegrini, Louzada, Petropoulos &
//! Koehler 2016, "Models for optimising the theta method and their relationship to state
//! space models", IJF 32(4)).
//!
//! At time `t` (0-based) the one-step forecast is
//! `μ_t = ℓ_{t−1} + (1 − 1/θ)·(A_{t−1}(1−α)^t + B_{t−1}(1 − (1−α)^{t+1})/α)`,
//! the level is smoothed `ℓ_t = α y_t + (1 − α) ℓ_{t−1}`, and `A`, `B` are the intercept and
//! slope of the least-squares line through the data: fixed at their full-sample values for
//! the standard models (STM, OTM) or updated recursively (DSTM, DOTM).

use super::ThetaVariant;
use crate::optim::nelder_mead::NelderMead;

/// Number of first residuals left out of the fitting criterion (the burn-in of the states).
pub(crate) const BURN_IN: usize = 3;

/// State after an observation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ThetaState {
    level: f64,
    mean_y: f64,
    a: f64,
    b: f64,
}

/// Parameters of one Theta model.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ThetaParams {
    pub(crate) initial_level: f64,
    pub(crate) alpha: f64,
    pub(crate) theta: f64,
}

/// A fitted Theta model.
#[derive(Debug, Clone)]
pub(crate) struct ThetaFit {
    pub(crate) variant: ThetaVariant,
    pub(crate) params: ThetaParams,
    /// One-step in-sample residuals.
    pub(crate) residuals: Vec<f64>,
    /// Mean squared residual after the burn-in.
    pub(crate) mse: f64,
    last: ThetaState,
    n: usize,
}

fn dynamic(variant: ThetaVariant) -> bool {
    matches!(variant, ThetaVariant::Dynamic | ThetaVariant::DynamicOptimized)
}

/// Forecast for time `t` from the state after `t − 1`.
fn one_step(s: &ThetaState, t: usize, p: &ThetaParams) -> f64 {
    let decay = 1.0 - p.alpha;
    s.level + (1.0 - 1.0 / p.theta) * (s.a * decay.powi(t as i32) + s.b * (1.0 - decay.powi(t as i32 + 1)) / p.alpha)
}

/// State after observing `y` at time `t` (≥ 1).
fn update(s: &ThetaState, t: usize, y: f64, p: &ThetaParams, is_dynamic: bool) -> ThetaState {
    let tf = t as f64;
    let level = p.alpha * y + (1.0 - p.alpha) * s.level;
    let mean_y = (tf * s.mean_y + y) / (tf + 1.0);
    let (a, b) = if is_dynamic {
        let b = ((tf - 1.0) * s.b + 6.0 * (y - s.mean_y) / (tf + 1.0)) / (tf + 2.0);
        (mean_y - b * (tf + 2.0) / 2.0, b)
    } else {
        (s.a, s.b)
    };
    ThetaState { level, mean_y, a, b }
}

/// Runs the recursion over `y`, returning the residuals and the last state.
fn run(y: &[f64], variant: ThetaVariant, p: &ThetaParams) -> (Vec<f64>, ThetaState) {
    let n = y.len();
    let is_dynamic = dynamic(variant);
    let (a0, b0, mu0) = if is_dynamic {
        (y[0], 0.0, y[0])
    } else {
        let nf = n as f64;
        let mean = y.iter().sum::<f64>() / nf;
        let weighted = y.iter().enumerate().map(|(i, v)| (i + 1) as f64 * v).sum::<f64>() / nf;
        let b = if n > 1 { 6.0 * (2.0 * weighted - (1.0 + nf) * mean) / (nf * nf - 1.0) } else { 0.0 };
        let a = mean - (nf + 1.0) * b / 2.0;
        (a, b, p.initial_level + (1.0 - 1.0 / p.theta) * (a + b))
    };
    let mut state =
        ThetaState { level: p.alpha * y[0] + (1.0 - p.alpha) * p.initial_level, mean_y: y[0], a: a0, b: b0 };
    let mut residuals = Vec::with_capacity(n);
    residuals.push(y[0] - mu0);
    for (t, &v) in y.iter().enumerate().skip(1) {
        residuals.push(v - one_step(&state, t, p));
        state = update(&state, t, v, p, is_dynamic);
    }
    (residuals, state)
}

fn mse_after_burn_in(residuals: &[f64]) -> f64 {
    let tail = residuals.get(BURN_IN..).unwrap_or(&[]);
    if tail.is_empty() {
        return f64::INFINITY;
    }
    tail.iter().map(|e| e * e).sum::<f64>() / tail.len() as f64
}

/// Fits `variant` to `y` (at least 4 observations): the initial level and α (and θ for the
/// optimised variants) minimise the in-sample squared one-step error after the burn-in, with
/// α in [0.1, 0.99] and θ ≥ 1.
pub(crate) fn fit(y: &[f64], variant: ThetaVariant) -> ThetaFit {
    let optimise_theta = matches!(variant, ThetaVariant::Optimized | ThetaVariant::DynamicOptimized);
    let scale = y.iter().map(|v| v.abs()).sum::<f64>() / y.len() as f64;
    let scale = if scale > 0.0 { scale } else { 1.0 };
    let objective = |x: &[f64]| {
        let p = ThetaParams { initial_level: x[0], alpha: x[1], theta: if optimise_theta { x[2] } else { 2.0 } };
        mse_after_burn_in(&run(y, variant, &p).0) / scale
    };
    let (x0, lower, upper) = if optimise_theta {
        (vec![y[0] / 2.0, 0.5, 2.0], vec![-1e10, 0.1, 1.0], vec![1e10, 0.99, 1e10])
    } else {
        (vec![y[0] / 2.0, 0.5], vec![-1e10, 0.1], vec![1e10, 0.99])
    };
    // First simplex: 5% steps from the start (1e-4 from zero).
    let step: Vec<f64> = x0.iter().map(|v| if *v == 0.0 { 1e-4 } else { 0.05 * v }).collect();
    let best = NelderMead::default().minimize(objective, &x0, &step, &step, &lower, &upper);
    let params =
        ThetaParams { initial_level: best.x[0], alpha: best.x[1], theta: if optimise_theta { best.x[2] } else { 2.0 } };
    let (residuals, last) = run(y, variant, &params);
    let mse = mse_after_burn_in(&residuals);
    ThetaFit { variant, params, residuals, mse, last, n: y.len() }
}

impl ThetaFit {
    /// Point forecasts for `horizon` steps (future values replaced by their forecasts).
    pub(crate) fn forecast(&self, horizon: usize) -> Vec<f64> {
        let is_dynamic = dynamic(self.variant);
        let mut state = self.last;
        let mut out = Vec::with_capacity(horizon);
        for t in self.n..self.n + horizon {
            let mu = one_step(&state, t, &self.params);
            out.push(mu);
            state = update(&state, t, mu, &self.params, is_dynamic);
        }
        out
    }

    /// Standard deviation of the `h`-step forecast error, `σ √(1 + α²(h − 1))`, with `σ` the
    /// sample standard deviation of the residuals after the burn-in.
    pub(crate) fn sigma_h(&self, horizon: usize) -> Vec<f64> {
        let tail = self.residuals.get(BURN_IN..).filter(|t| t.len() >= 2).unwrap_or(&self.residuals);
        let sigma = crate::forecast::stats::std_dev(tail);
        let sigma = if sigma.is_finite() { sigma } else { 0.0 };
        let a2 = self.params.alpha * self.params.alpha;
        (1..=horizon).map(|h| sigma * (1.0 + a2 * (h - 1) as f64).sqrt()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_trend_is_extrapolated() {
        let y: Vec<f64> = (0..40).map(|t| 10.0 + 2.0 * t as f64).collect();
        for variant in [ThetaVariant::Standard, ThetaVariant::Optimized, ThetaVariant::DynamicOptimized] {
            let fit = fit(&y, variant);
            let f = fit.forecast(3);
            // The theta line extrapolates the trend (θ = 2 halves it, optimised θ restores more).
            assert!(f[2] > f[0] && f[0] > y[39] - 1.0, "{variant:?} {f:?}");
        }
    }

    #[test]
    fn constant_series_forecasts_constant() {
        let fit = fit(&[5.0; 12], ThetaVariant::Standard);
        for v in fit.forecast(4) {
            assert!((v - 5.0).abs() < 1e-3, "{v}");
        }
    }
}
