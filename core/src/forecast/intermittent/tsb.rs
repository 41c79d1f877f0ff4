//! Teunter–Syntetos–Babai method.

use super::{demand_sizes, fit_predict_flat};
use crate::error::{Error, Result};
use crate::forecast::ses::ses;
use crate::forecast::{Forecast, Forecaster};

/// TSB: smooths the demand probability every period (`alpha_p`) and the non-zero demand size
/// (`alpha_d`); the forecast is their product.
///
/// A parameter left `None` (the default) is chosen on a grid `0.05, 0.10, …, 0.50` by in-sample
/// mean squared one-step error.
///
/// ```
/// use storelytics::forecast::{Forecaster, intermittent::Tsb};
/// let y = [0.0, 3.0, 0.0, 0.0, 2.0, 0.0, 4.0, 0.0, 0.0, 0.0];
/// let f = Tsb { alpha_d: Some(0.2), alpha_p: Some(0.1) }.fit_predict(&y, 1, 2, &[]).unwrap();
/// assert!(f.mean[0] > 0.0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tsb {
    /// Smoothing of the demand size, in (0, 1].
    pub alpha_d: Option<f64>,
    /// Smoothing of the demand probability, in (0, 1].
    pub alpha_p: Option<f64>,
}

/// Point forecast and in-sample mean squared one-step error of TSB.
fn tsb_fit(y: &[f64], alpha_d: f64, alpha_p: f64) -> (f64, f64) {
    let sizes = demand_sizes(y);
    if sizes.is_empty() {
        return (0.0, 0.0);
    }
    let probability: Vec<f64> = y.iter().map(|v| if *v > 0.0 { 1.0 } else { 0.0 }).collect();
    let (p_next, p_fitted) = ses(&probability, alpha_p);
    let (d_next, d_fitted) = ses(&sizes, alpha_d);
    // Size estimate available before each period: the size fitted after the demands seen so far.
    let mut seen = 0usize;
    let (mut sse, mut count) = (0.0, 0usize);
    for (t, v) in y.iter().enumerate() {
        // Size estimate from the demands before t (none before the first demand).
        let size_est = if seen == 0 {
            f64::NAN
        } else if seen < sizes.len() {
            d_fitted[seen]
        } else {
            d_next
        };
        let fit = p_fitted[t] * size_est;
        if fit.is_finite() {
            sse += (v - fit).powi(2);
            count += 1;
        }
        if *v > 0.0 {
            seen += 1;
        }
    }
    (p_next * d_next, if count > 0 { sse / count as f64 } else { f64::INFINITY })
}

fn check_alpha(name: &str, a: Option<f64>) -> Result<()> {
    match a {
        Some(v) if !(v > 0.0 && v <= 1.0) => Err(Error::invalid_parameter(name, format!("{v} is not in (0, 1]"))),
        _ => Ok(()),
    }
}

impl Tsb {
    /// The smoothing parameters used for `y`: the fixed ones, the rest by grid search.
    fn parameters(&self, y: &[f64]) -> (f64, f64) {
        let grid: Vec<f64> = (1..=10).map(|i| i as f64 * 0.05).collect();
        let ds: Vec<f64> = self.alpha_d.map(|a| vec![a]).unwrap_or_else(|| grid.clone());
        let ps: Vec<f64> = self.alpha_p.map(|a| vec![a]).unwrap_or_else(|| grid.clone());
        let mut best = (ds[0], ps[0], f64::INFINITY);
        for &d in &ds {
            for &p in &ps {
                let mse = tsb_fit(y, d, p).1;
                if mse < best.2 {
                    best = (d, p, mse);
                }
            }
        }
        (best.0, best.1)
    }
}

impl Forecaster for Tsb {
    fn name(&self) -> String {
        "TSB".into()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        check_alpha("alpha_d", self.alpha_d)?;
        check_alpha("alpha_p", self.alpha_p)?;
        let level = |x: &[f64]| {
            let (d, p) = self.parameters(x);
            tsb_fit(x, d, p).0
        };
        let mut f = fit_predict_flat("TSB", &level, y, season_length, horizon, levels)?;
        let (d, p) = self.parameters(&super::clean_demand(y).0);
        f.model = format!("TSB(alpha_d={d:.2}, alpha_p={p:.2})");
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsb_by_hand() {
        // probability 0,1,0,1 -> ses(0.5): fitted 0, 0, 0.5, 0.25 -> next 0.5*1 + 0.5*0.25 = 0.625
        // sizes 2, 4 -> ses(0.5): next 0.5*4 + 0.5*2 = 3
        let f = Tsb { alpha_d: Some(0.5), alpha_p: Some(0.5) }.fit_predict(&[0.0, 2.0, 0.0, 4.0], 1, 1, &[]).unwrap();
        assert!((f.mean[0] - 0.625 * 3.0).abs() < 1e-12);
    }

    #[test]
    fn tsb_decays_after_demand_stops_and_validates_parameters() {
        let mut y = vec![0.0, 5.0, 0.0, 5.0, 0.0, 5.0];
        let before = Tsb::default().fit_predict(&y, 1, 1, &[]).unwrap().mean[0];
        y.extend([0.0; 6]);
        let after = Tsb::default().fit_predict(&y, 1, 1, &[]).unwrap().mean[0];
        assert!(after < before);
        assert!(Tsb { alpha_d: Some(1.5), alpha_p: None }.fit_predict(&y, 1, 1, &[]).is_err());
    }
}
