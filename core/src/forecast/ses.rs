//! Simple exponential smoothing, the building block of the Croston family and a trend model
//! for MSTL.

use crate::optim::golden_section;

/// One-step SES forecasts of `x` with smoothing `alpha`, started at the first observation.
///
/// Returns the forecast for the step after the data and the in-sample one-step forecasts
/// (`fitted[0]` is NaN: nothing precedes the first observation).
pub(crate) fn ses(x: &[f64], alpha: f64) -> (f64, Vec<f64>) {
    let Some(&first) = x.first() else {
        return (f64::NAN, Vec::new());
    };
    let mut fitted = Vec::with_capacity(x.len());
    fitted.push(f64::NAN);
    let mut level = first;
    for i in 1..x.len() {
        if i > 1 {
            level = alpha * x[i - 1] + (1.0 - alpha) * level;
        }
        fitted.push(level);
    }
    let forecast = if x.len() == 1 { first } else { alpha * x[x.len() - 1] + (1.0 - alpha) * level };
    (forecast, fitted)
}

/// Sum of squared one-step errors of SES with smoothing `alpha`.
pub(crate) fn ses_sse(x: &[f64], alpha: f64) -> f64 {
    let Some(&first) = x.first() else {
        return 0.0;
    };
    let mut level = first;
    let mut sse = 0.0;
    for i in 1..x.len() {
        if i > 1 {
            level = alpha * x[i - 1] + (1.0 - alpha) * level;
        }
        sse += (x[i] - level).powi(2);
    }
    sse
}

/// The smoothing parameter in `[lo, hi]` minimising the in-sample squared one-step error.
pub(crate) fn optimal_alpha(x: &[f64], lo: f64, hi: f64) -> f64 {
    golden_section(|a| ses_sse(x, a), lo, hi, 1e-9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ses_recursion_matches_hand_computation() {
        let (f, fitted) = ses(&[3.0, 5.0, 2.0, 8.0, 4.0], 0.1);
        assert!(fitted[0].is_nan());
        assert_eq!(&fitted[1..3], &[3.0, 3.2]);
        assert!((fitted[3] - 3.08).abs() < 1e-12 && (fitted[4] - 3.572).abs() < 1e-12);
        assert!((f - 3.6148).abs() < 1e-12);
        assert_eq!(ses(&[7.0], 0.3).0, 7.0);
    }

    #[test]
    fn optimal_alpha_is_a_minimum() {
        let x = [3.0, 5.0, 2.0, 8.0, 4.0];
        let a = optimal_alpha(&x, 0.1, 0.3);
        // statsforecast's golden section gives 0.15386 for this series.
        assert!((a - 0.15386).abs() < 1e-3, "{a}");
        assert!(ses_sse(&x, a) <= ses_sse(&x, a + 1e-3) && ses_sse(&x, a) <= ses_sse(&x, a - 1e-3));
    }
}

/// Simple exponential smoothing with the smoothing parameter chosen in `[0.01, 0.99]` by
/// in-sample squared one-step error (or fixed by `alpha`), started at the first observation.
///
/// Intervals are analytic: `σ √(1 + α²(h − 1))` with `σ` the root mean squared one-step
/// residual.
///
/// ```
/// use storelytics::forecast::{Forecaster, ses::Ses};
/// let f = Ses::default().fit_predict(&[3.0, 5.0, 4.0, 4.5, 4.2], 1, 2, &[90.0]).unwrap();
/// assert!(f.mean[0] > 3.5 && f.mean[0] < 5.0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Ses {
    /// Fixed smoothing parameter in (0, 1]; `None` (default) optimises it.
    pub alpha: Option<f64>,
}

impl super::Forecaster for Ses {
    fn name(&self) -> String {
        "SES".into()
    }

    fn fit_predict(
        &self,
        y: &[f64],
        season_length: usize,
        horizon: usize,
        levels: &[f64],
    ) -> crate::Result<super::Forecast> {
        super::input::check_inputs("SES", y, season_length, horizon, levels)?;
        if let Some(a) = self.alpha
            && !(a > 0.0 && a <= 1.0)
        {
            return Err(crate::Error::invalid_parameter("alpha", format!("{a} is not in (0, 1]")));
        }
        let alpha = self.alpha.unwrap_or_else(|| optimal_alpha(y, 0.01, 0.99));
        let (next, fitted) = ses(y, alpha);
        let residuals: Vec<f64> = y.iter().zip(&fitted).skip(1).map(|(v, f)| v - f).collect();
        let sigma_h: Vec<f64> = if levels.is_empty() {
            Vec::new()
        } else {
            let sigma = super::stats::residual_sigma(&residuals, residuals.len()).ok_or_else(|| {
                crate::Error::insufficient_data("SES prediction intervals", "needs at least 2 observations")
            })?;
            (1..=horizon).map(|h| sigma * (1.0 + alpha * alpha * (h - 1) as f64).sqrt()).collect()
        };
        let f = super::intervals::analytic_forecast(
            format!("SES(alpha={alpha:.3})"),
            vec![next; horizon],
            &sigma_h,
            levels,
            Some(fitted),
            Vec::new(),
        );
        super::intervals::ensure_finite("SES", f)
    }
}
