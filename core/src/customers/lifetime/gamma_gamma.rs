//! The Gamma-Gamma model of spend per transaction (Fader & Hardie 2013, "The Gamma-Gamma
//! model of monetary value"): a customer's transaction values are Gamma(p, ν) with
//! ν ~ Gamma(q, γ), independent of the purchase process.

use serde::{Deserialize, Serialize};

use super::RepeatHistory;
use super::special::ln_gamma;
use crate::error::{Error, Result};
use crate::optim::nelder_mead::NelderMead;

/// Fitted Gamma-Gamma parameters (γ in money major units).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    /// Shape of the transaction-value distribution.
    pub p: f64,
    /// Shape of the distribution of customers' scale parameters.
    pub q: f64,
    /// Scale of the distribution of customers' scale parameters (γ, `v` in lifetimes).
    pub gamma: f64,
}

/// A Gamma-Gamma fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GammaGammaFit {
    /// The maximum-likelihood parameters.
    pub params: GammaGammaParams,
    /// Mean log-likelihood per customer used in the fit.
    pub mean_log_likelihood: f64,
    /// Customers used: those with at least one repeat purchase and positive average spend.
    pub customers_used: usize,
    /// Whether the simplex search converged within its budget.
    pub converged: bool,
}

fn log_likelihood(p: &GammaGammaParams, x: f64, m: f64) -> f64 {
    let GammaGammaParams { p, q, gamma } = *p;
    ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q) + q * gamma.ln() + (p * x - 1.0) * m.ln() + p * x * x.ln()
        - (p * x + q) * (x * m + gamma).ln()
}

/// Fits Gamma-Gamma by maximum likelihood on the customers with at least one repeat purchase
/// and a positive average repeat spend (the model needs positive values; others are skipped
/// and counted out of `customers_used`).
pub fn fit_gamma_gamma(histories: &[RepeatHistory]) -> Result<GammaGammaFit> {
    super::validate_histories(histories)?;
    let used: Vec<(f64, f64)> = histories
        .iter()
        .filter(|h| h.frequency > 0 && h.monetary > 0.0)
        .map(|h| (h.frequency as f64, h.monetary))
        .collect();
    if used.len() < 2 {
        return Err(Error::insufficient_data(
            "Gamma-Gamma fit",
            format!("needs at least 2 customers with a repeat purchase and positive spend, got {}", used.len()),
        ));
    }
    // Spend is rescaled to a mean of 1 for conditioning; γ scales back linearly.
    let mean = used.iter().map(|u| u.1).sum::<f64>() / used.len() as f64;
    let scale = 1.0 / mean;
    let objective = |theta: &[f64]| {
        let p = GammaGammaParams {
            p: theta.first().copied().unwrap_or(0.0).exp(),
            q: theta.get(1).copied().unwrap_or(0.0).exp(),
            gamma: theta.get(2).copied().unwrap_or(0.0).exp(),
        };
        -used.iter().map(|&(x, m)| log_likelihood(&p, x, m * scale)).sum::<f64>() / used.len() as f64
    };
    let free = [f64::NEG_INFINITY, f64::INFINITY];
    let m = NelderMead::PRECISE.minimize(objective, &[0.1; 3], &[1.0; 3], &[1.0; 3], &[free[0]; 3], &[free[1]; 3]);
    let params = GammaGammaParams {
        p: m.x.first().copied().unwrap_or(0.0).exp(),
        q: m.x.get(1).copied().unwrap_or(0.0).exp(),
        gamma: m.x.get(2).copied().unwrap_or(0.0).exp() / scale,
    };
    let mean_log_likelihood = used.iter().map(|&(x, m)| log_likelihood(&params, x, m)).sum::<f64>() / used.len() as f64;
    if ![params.p, params.q, params.gamma, mean_log_likelihood].iter().all(|v| v.is_finite()) {
        return Err(Error::Numerical {
            analysis: "Gamma-Gamma fit".into(),
            problem: format!("the likelihood has no finite maximum (parameters {params:?})"),
        });
    }
    Ok(GammaGammaFit { params, mean_log_likelihood, customers_used: used.len(), converged: m.converged })
}

impl GammaGammaParams {
    /// Mean spend per transaction in the population, `pγ / (q − 1)`; `None` when `q <= 1`
    /// (the mean does not exist).
    pub fn population_mean_spend(&self) -> Option<f64> {
        (self.q > 1.0).then(|| self.p * self.gamma / (self.q - 1.0))
    }

    /// Expected spend per transaction of a customer: a weighted average of the population mean
    /// and the customer's own average over `frequency` repeat purchases (equation 5 of the note).
    /// Customers without a repeat purchase get the population mean; `None` when `q <= 1`.
    pub fn expected_average_spend(&self, h: &RepeatHistory) -> Option<f64> {
        let population = self.population_mean_spend()?;
        let x = h.frequency as f64;
        let weight = self.p * x / (self.p * x + self.q - 1.0);
        Some((1.0 - weight) * population + weight * h.monetary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_spend_weights_population_and_customer() {
        let p = GammaGammaParams { p: 6.25, q: 3.74, gamma: 15.44 };
        let pop = p.population_mean_spend().unwrap();
        assert!((pop - 6.25 * 15.44 / 2.74).abs() < 1e-12);
        let none = RepeatHistory { frequency: 0, recency: 0.0, age: 10.0, monetary: 0.0 };
        assert_eq!(p.expected_average_spend(&none), Some(pop));
        let many = RepeatHistory { frequency: 1000, recency: 9.0, age: 10.0, monetary: 50.0 };
        assert!((p.expected_average_spend(&many).unwrap() - 50.0).abs() < 0.1);
        assert_eq!(GammaGammaParams { p: 1.0, q: 0.5, gamma: 1.0 }.expected_average_spend(&many), None);
    }
}
