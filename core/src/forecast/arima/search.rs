//! The model search of Hyndman and Khandakar (2008): a stepwise walk over neighbouring orders
//! from a few starting models, or an exhaustive scan, ranked by an information criterion.

use super::fit::{Estimate, Regressor, estimate};
use super::options::InformationCriterion;
use super::order::{ArimaOrder, EstimationMethod};
use super::poly::roots_outside;

/// Roots of the AR and MA polynomials must lie this far outside the unit circle.
const MIN_ROOT: f64 = 1.01;

/// What every candidate shares: data, differences, and how it is scored.
pub(crate) struct SearchContext<'a> {
    pub(crate) y: &'a [f64],
    pub(crate) m: usize,
    pub(crate) d: usize,
    pub(crate) seasonal_d: usize,
    pub(crate) criterion: InformationCriterion,
    pub(crate) approximation: bool,
    /// Added to CSS-based AICs so they are on the scale of exact ones.
    pub(crate) offset: f64,
}

/// Limits of the ARMA orders.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) max_p: usize,
    pub(crate) max_q: usize,
    pub(crate) max_sp: usize,
    pub(crate) max_sq: usize,
    pub(crate) max_order: usize,
    pub(crate) max_models: usize,
}

/// ARMA orders and the constant of one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub(crate) p: usize,
    pub(crate) q: usize,
    pub(crate) sp: usize,
    pub(crate) sq: usize,
    pub(crate) constant: bool,
}

/// A scored candidate.
pub(crate) struct Scored {
    pub(crate) candidate: Candidate,
    pub(crate) ic: f64,
    pub(crate) fit: Option<Estimate>,
}

impl SearchContext<'_> {
    pub(crate) fn order(&self, c: &Candidate) -> ArimaOrder {
        ArimaOrder::new(c.p, self.d, c.q).with_seasonal(c.sp, self.seasonal_d, c.sq, self.m)
    }

    pub(crate) fn regressor(&self, constant: bool) -> Regressor {
        match (constant, self.d + self.seasonal_d) {
            (true, 0) => Regressor::Intercept,
            (true, 1) => Regressor::Drift,
            _ => Regressor::None,
        }
    }

    /// Fits one candidate and scores it; infinite score when the fit fails or has (near-)unit
    /// roots.
    pub(crate) fn score(&self, c: Candidate, approximation: bool) -> Scored {
        let order = self.order(&c);
        let method = if approximation { EstimationMethod::Css } else { EstimationMethod::CssMl };
        let Ok(fit) = estimate(self.y, &order, self.regressor(c.constant), method, true) else {
            return Scored { candidate: c, ic: f64::INFINITY, fit: None };
        };
        let nstar = fit.n_used as f64;
        let npar = fit.n_params() as f64;
        let aic = if approximation {
            if fit.sigma2 <= 0.0 { f64::NEG_INFINITY } else { self.offset + nstar * fit.sigma2.ln() + 2.0 * npar }
        } else {
            fit.aic
        };
        let mut ic = match self.criterion {
            InformationCriterion::Aic => aic,
            InformationCriterion::Aicc if nstar - npar - 1.0 > 0.0 => {
                aic + 2.0 * npar * (npar + 1.0) / (nstar - npar - 1.0)
            }
            InformationCriterion::Aicc => f64::INFINITY,
            InformationCriterion::Bic => aic + npar * (nstar.ln() - 2.0),
        };
        if ic.is_nan() {
            ic = f64::INFINITY;
        }
        let (phi, theta) = fit.expanded(self.m);
        let neg_theta: Vec<f64> = theta.iter().map(|t| -t).collect();
        if !roots_outside(&phi, MIN_ROOT) || !roots_outside(&neg_theta, MIN_ROOT) {
            ic = f64::INFINITY;
        }
        Scored { candidate: c, ic, fit: Some(fit) }
    }
}

/// The stepwise search, starting from `start` (and the standard small models).
pub(crate) fn stepwise(ctx: &SearchContext<'_>, start: Candidate, limits: Limits, allow_constant: bool) -> Vec<Scored> {
    let mut results: Vec<Scored> = Vec::new();
    let mut best: Option<usize> = None;
    let seasonal = ctx.m > 1;
    let mut current = start;
    // Fits `c` unless already fitted; returns whether it became the best.
    let consider = |c: Candidate, results: &mut Vec<Scored>, best: &mut Option<usize>| -> bool {
        if results.len() >= limits.max_models || results.iter().any(|s| s.candidate == c) {
            return false;
        }
        let scored = ctx.score(c, ctx.approximation);
        let better = best.is_none_or(|b| scored.ic < results[b].ic);
        results.push(scored);
        if better {
            *best = Some(results.len() - 1);
        }
        better
    };
    let constant = start.constant;
    consider(start, &mut results, &mut best);
    let zero = Candidate { p: 0, q: 0, sp: 0, sq: 0, constant };
    if consider(zero, &mut results, &mut best) {
        current = zero;
    }
    if limits.max_p > 0 || limits.max_sp > 0 {
        let c = Candidate {
            p: usize::from(limits.max_p > 0),
            q: 0,
            sp: usize::from(seasonal && limits.max_sp > 0),
            sq: 0,
            constant,
        };
        if consider(c, &mut results, &mut best) {
            current = c;
        }
    }
    if limits.max_q > 0 || limits.max_sq > 0 {
        let c = Candidate {
            p: 0,
            q: usize::from(limits.max_q > 0),
            sp: 0,
            sq: usize::from(seasonal && limits.max_sq > 0),
            constant,
        };
        if consider(c, &mut results, &mut best) {
            current = c;
        }
    }
    if allow_constant {
        // As in statsforecast, a better model without constant resets the orders but the walk
        // keeps the constant setting (the constant toggle move may drop it later).
        let c = Candidate { constant: false, ..zero };
        if consider(c, &mut results, &mut best) {
            current = zero;
        }
    }
    loop {
        if results.len() >= limits.max_models {
            break;
        }
        let c = current;
        let moves = neighbours(&c, &limits, allow_constant);
        let mut improved = false;
        for next in moves {
            if consider(next, &mut results, &mut best) {
                current = next;
                improved = true;
                break;
            }
        }
        if !improved {
            break;
        }
    }
    results
}

/// The neighbours of a model in the order the stepwise search tries them: seasonal orders one
/// up or down (singly, then jointly), the same for the non-seasonal orders, then toggling the
/// constant.
fn neighbours(c: &Candidate, l: &Limits, allow_constant: bool) -> Vec<Candidate> {
    let mut out = Vec::new();
    let step = |v: usize, delta: i32, max: usize| -> Option<usize> {
        let n = v as i64 + i64::from(delta);
        (n >= 0 && n as usize <= max).then_some(n as usize)
    };
    let pairs = [(-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)];
    for (dp, dq) in pairs {
        if let (Some(sp), Some(sq)) = (step(c.sp, dp, l.max_sp), step(c.sq, dq, l.max_sq)) {
            out.push(Candidate { sp, sq, ..*c });
        }
    }
    for (dp, dq) in pairs {
        if let (Some(p), Some(q)) = (step(c.p, dp, l.max_p), step(c.q, dq, l.max_q)) {
            out.push(Candidate { p, q, ..*c });
        }
    }
    if allow_constant {
        out.push(Candidate { constant: !c.constant, ..*c });
    }
    out
}

/// Every model with orders within the limits and `p + q + P + Q <= max_order`.
pub(crate) fn exhaustive(ctx: &SearchContext<'_>, limits: Limits, allow_constant: bool) -> Vec<Scored> {
    let mut results = Vec::new();
    let constants: &[bool] = if allow_constant { &[false, true] } else { &[false] };
    for p in 0..=limits.max_p {
        for q in 0..=limits.max_q {
            for sp in 0..=limits.max_sp {
                for sq in 0..=limits.max_sq {
                    if p + q + sp + sq > limits.max_order {
                        continue;
                    }
                    for &constant in constants {
                        results.push(ctx.score(Candidate { p, q, sp, sq, constant }, ctx.approximation));
                    }
                }
            }
        }
    }
    results
}

/// The best scored model; with the approximation, candidates are refitted by exact likelihood
/// in order of their approximate score until one is acceptable.
pub(crate) fn select(ctx: &SearchContext<'_>, mut results: Vec<Scored>) -> Option<Scored> {
    results.sort_by(|a, b| a.ic.total_cmp(&b.ic));
    if ctx.approximation {
        for r in &results {
            if r.fit.is_none() {
                continue;
            }
            let refit = ctx.score(r.candidate, false);
            if refit.ic.is_finite() {
                return Some(refit);
            }
        }
        return None;
    }
    results.into_iter().next().filter(|r| r.ic.is_finite())
}
