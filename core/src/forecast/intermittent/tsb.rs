//! Teunter–Syntetos–Babai method.

use super::{demand_sizes, fit_predict_flat};
use crate::error::{Error, Result};
use crate::forecast::ses::{optimal_alpha, ses};
use crate::forecast::{Forecast, Forecaster};

/// TSB: smooths the demand probability every period (`alpha_p`) and the non-zero demand size
/// (`alpha_d`); the forecast is their product.
///
/// A parameter left `None` (the default) is chosen in `[0.01, 0.5]` by the in-sample squared
/// one-step error of its component: the demand-occurrence indicator for `alpha_p`, the non-zero
/// sizes for `alpha_d`.
///
/// ```
/// use storelytics::forecast::{Forecaster, intermittent::Tsb};
/// let y = [0.0, 3.0, 0.0, 0.0, 2.0, 0.0, 4.0, 0.0, 0.0, 0.0];
/// let f = Tsb { alpha_d: Some(0.2), alpha_p: Some(0.1) }.fit_predict(&y, 1, 2, &[]).unwrap();
/// assert!(f.mean[0] > 0.0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Tsb {
    /// Smoothing of the demand size, in (0, 1].
    pub alpha_d: Option<f64>,
    /// Smoothing of the demand probability, in (0, 1].
    pub alpha_p: Option<f64>,
}

/// Point forecast of TSB: smoothed demand probability times smoothed non-zero size.
fn tsb_forecast(y: &[f64], alpha_d: f64, alpha_p: f64) -> f64 {
    let sizes = demand_sizes(y);
    if sizes.is_empty() {
        return 0.0;
    }
    let probability: Vec<f64> = y.iter().map(|v| if *v > 0.0 { 1.0 } else { 0.0 }).collect();
    ses(&probability, alpha_p).0 * ses(&sizes, alpha_d).0
}

fn check_alpha(name: &str, a: Option<f64>) -> Result<()> {
    match a {
        Some(v) if !(v > 0.0 && v <= 1.0) => Err(Error::invalid_parameter(name, format!("{v} is not in (0, 1]"))),
        _ => Ok(()),
    }
}

impl Tsb {
    /// The smoothing parameters used for `y`: the fixed ones, the others each chosen in
    /// `[0.01, 0.5]` by the in-sample squared one-step error of its own component (demand
    /// occurrence or demand size).
    fn parameters(&self, y: &[f64]) -> (f64, f64) {
        let d = self.alpha_d.unwrap_or_else(|| {
            let sizes = demand_sizes(y);
            if sizes.len() < 2 { 0.1 } else { optimal_alpha(&sizes, 0.01, 0.5) }
        });
        let p = self.alpha_p.unwrap_or_else(|| {
            let occurrence: Vec<f64> = y.iter().map(|v| if *v > 0.0 { 1.0 } else { 0.0 }).collect();
            if occurrence.len() < 2 { 0.1 } else { optimal_alpha(&occurrence, 0.01, 0.5) }
        });
        (d, p)
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
            tsb_forecast(x, d, p)
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
