//! The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your customers
//! the easy way"): while alive a customer buys at a Poisson rate λ ~ Gamma(r, α); after each
//! purchase they drop out with probability p ~ Beta(a, b).

use serde::{Deserialize, Serialize};

use super::RepeatHistory;
use super::special::{hyp2f1, ln_gamma, log_add_exp};
use crate::error::{Error, Result};
use crate::optim::nelder_mead::NelderMead;

/// Fitted BG/NBD parameters (α in the time unit of the histories).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    /// Shape of the purchase-rate gamma distribution.
    pub r: f64,
    /// Scale (rate) of the purchase-rate gamma distribution, in time units.
    pub alpha: f64,
    /// First shape of the dropout-probability beta distribution.
    pub a: f64,
    /// Second shape of the dropout-probability beta distribution.
    pub b: f64,
}

/// A BG/NBD fit: parameters and how the maximum-likelihood search went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BgNbdFit {
    /// The maximum-likelihood parameters.
    pub params: BgNbdParams,
    /// Mean log-likelihood per customer at `params`.
    pub mean_log_likelihood: f64,
    /// Whether the simplex search converged within its budget.
    pub converged: bool,
}

/// Log-likelihood of one history (x repeat purchases, last at t_x, observed for T).
fn log_likelihood(p: &BgNbdParams, x: f64, t_x: f64, age: f64) -> f64 {
    let BgNbdParams { r, alpha, a, b } = *p;
    let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
    let a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
    let a3 = -(r + x) * (alpha + age).ln();
    let tail = if x > 0.0 { a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + t_x).ln() } else { f64::NEG_INFINITY };
    a1 + a2 + log_add_exp(a3, tail)
}

/// Distinct histories with their multiplicities, which makes the likelihood cheap on many customers.
fn weighted_histories(histories: &[RepeatHistory]) -> Vec<(f64, f64, f64, f64)> {
    let mut keys: Vec<(u32, u64, u64)> =
        histories.iter().map(|h| (h.frequency, h.recency.to_bits(), h.age.to_bits())).collect();
    keys.sort_unstable();
    let mut out: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut last: Option<(u32, u64, u64)> = None;
    for k in keys {
        if last == Some(k) {
            if let Some(w) = out.last_mut() {
                w.3 += 1.0;
            }
        } else {
            out.push((k.0 as f64, f64::from_bits(k.1), f64::from_bits(k.2), 1.0));
            last = Some(k);
        }
    }
    out
}

/// Fits BG/NBD by maximum likelihood (Nelder–Mead on log-parameters, time rescaled so the
/// longest age is 10 units for conditioning).
pub fn fit_bgnbd(histories: &[RepeatHistory]) -> Result<BgNbdFit> {
    super::validate_histories(histories)?;
    if !histories.iter().any(|h| h.frequency > 0) {
        return Err(Error::insufficient_data(
            "BG/NBD fit",
            "no customer has a repeat purchase, so the dropout process cannot be estimated",
        ));
    }
    let max_age = histories.iter().map(|h| h.age).fold(0.0, f64::max);
    let scale = if max_age > 0.0 { 10.0 / max_age } else { 1.0 };
    let rows: Vec<(f64, f64, f64, f64)> =
        weighted_histories(histories).into_iter().map(|(x, t, age, w)| (x, t * scale, age * scale, w)).collect();
    let total: f64 = rows.iter().map(|r| r.3).sum();
    let objective = |theta: &[f64]| {
        let p = BgNbdParams {
            r: theta.first().copied().unwrap_or(0.0).exp(),
            alpha: theta.get(1).copied().unwrap_or(0.0).exp(),
            a: theta.get(2).copied().unwrap_or(0.0).exp(),
            b: theta.get(3).copied().unwrap_or(0.0).exp(),
        };
        -rows.iter().map(|&(x, t, age, w)| w * log_likelihood(&p, x, t, age)).sum::<f64>() / total
    };
    let free = [f64::NEG_INFINITY, f64::INFINITY];
    let m = NelderMead::PRECISE.minimize(objective, &[0.1; 4], &[1.0; 4], &[1.0; 4], &[free[0]; 4], &[free[1]; 4]);
    let theta = &m.x;
    let params = BgNbdParams {
        r: theta.first().copied().unwrap_or(0.0).exp(),
        alpha: theta.get(1).copied().unwrap_or(0.0).exp() / scale,
        a: theta.get(2).copied().unwrap_or(0.0).exp(),
        b: theta.get(3).copied().unwrap_or(0.0).exp(),
    };
    let all_finite = [params.r, params.alpha, params.a, params.b, m.value].iter().all(|v| v.is_finite() && *v != 0.0);
    if !all_finite {
        return Err(Error::Numerical {
            analysis: "BG/NBD fit".into(),
            problem: format!("the likelihood has no finite maximum (parameters {params:?})"),
        });
    }
    // Undo the time rescaling in the log-likelihood: each history's density carries
    // (r + x) scale^(-...) terms; recompute it in the original unit instead.
    let mean_log_likelihood =
        histories.iter().map(|h| log_likelihood(&params, h.frequency as f64, h.recency, h.age)).sum::<f64>()
            / histories.len() as f64;
    Ok(BgNbdFit { params, mean_log_likelihood, converged: m.converged })
}

impl BgNbdParams {
    /// Probability that a customer with this history is still alive at the end of observation.
    pub fn probability_alive(&self, h: &RepeatHistory) -> f64 {
        if h.frequency == 0 {
            return 1.0;
        }
        let x = h.frequency as f64;
        let log_odds = self.a.ln() - (self.b + x - 1.0).ln()
            + (self.r + x) * ((self.alpha + h.age).ln() - (self.alpha + h.recency).ln());
        1.0 / (1.0 + log_odds.exp())
    }

    /// Expected number of purchases in the next `t` time units of a customer with this history
    /// (equation 10 of the paper).
    pub fn expected_purchases(&self, h: &RepeatHistory, t: f64) -> Result<f64> {
        if t <= 0.0 {
            return Ok(0.0);
        }
        let BgNbdParams { r, alpha, a, b } = *self;
        let x = h.frequency as f64;
        let z = t / (alpha + h.age + t);
        // Euler's transformation keeps the series parameters small:
        // ₂F₁(r+x, b+x; a+b+x−1; z) = (1−z)^(a−r−x−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z), so the
        // bracket of equation 10 is 1 − (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z).
        let f = hyp2f1(a + b - 1.0 - r, a - 1.0, a + b + x - 1.0, z).ok_or_else(|| Error::Numerical {
            analysis: "BG/NBD expected purchases".into(),
            problem: format!("hypergeometric series did not converge at z = {z}"),
        })?;
        let bracket = 1.0 - ((a - 1.0) * (1.0 - z).ln()).exp() * f;
        let lead = (a + b + x - 1.0) / (a - 1.0);
        let denominator = if h.frequency > 0 {
            1.0 + a / (b + x - 1.0) * ((r + x) * ((alpha + h.age).ln() - (alpha + h.recency).ln())).exp()
        } else {
            1.0
        };
        let value = lead * bracket / denominator;
        if value.is_finite() {
            Ok(value)
        } else {
            Err(Error::Numerical {
                analysis: "BG/NBD expected purchases".into(),
                problem: format!("non-finite result for frequency {}", h.frequency),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(frequency: u32, recency: f64, age: f64) -> RepeatHistory {
        RepeatHistory { frequency, recency, age, monetary: 0.0 }
    }

    #[test]
    fn cdnow_paper_predictions() {
        // Parameters and the example customer of Fader, Hardie & Lee (2005), CDNOW in weeks:
        // x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in the next 39 weeks... the
        // paper's figure is for the given parameter values r = 0.243, α = 4.414, a = 0.793,
        // b = 2.426.
        let p = BgNbdParams { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        let e = p.expected_purchases(&h(2, 30.43, 38.86), 39.0).unwrap();
        assert!((e - 1.226).abs() < 2e-3, "{e}");
        assert_eq!(p.probability_alive(&h(0, 0.0, 30.0)), 1.0);
        let alive = p.probability_alive(&h(2, 30.43, 38.86));
        assert!(alive > 0.0 && alive < 1.0);
    }
}
