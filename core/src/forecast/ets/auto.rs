//! AutoETS: fit every admissible candidate model and keep the best by an information
//! criterion (Hyndman & Khandakar 2008; statsforecast `AutoETS`).

use serde::Serialize;

use crate::error::{Error, Result};

use super::fit::{EtsFit, fit_spec};
use super::prepare::{constant_fit, prepare};
use super::spec::{ErrorType, EtsSpec, ModelPattern, SeasonType, TrendType};
use super::{AutoEtsOptions, InformationCriterion};

/// Fits every spec in `specs`, in order (in parallel with the `parallel` feature).
fn fit_all(y: &[f64], m: usize, specs: &[EtsSpec], options: &super::EtsOptions) -> Vec<Option<EtsFit>> {
    let fit = |spec: &EtsSpec| fit_spec(y, m, *spec, options);
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        specs.par_iter().map(fit).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        specs.iter().map(fit).collect()
    }
}

/// One candidate model tried by [`auto_ets`] and its fit statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// The model.
    pub spec: EtsSpec,
    /// Log-likelihood (without the constant term).
    pub loglik: f64,
    /// AIC.
    pub aic: f64,
    /// AICc.
    pub aicc: f64,
    /// BIC.
    pub bic: f64,
}

/// Result of [`auto_ets`]: the chosen model and every candidate that could be estimated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutoEtsFit {
    /// The chosen model's fit (its `notes` include the search's fallbacks).
    pub best: EtsFit,
    /// Every candidate that was estimated, in the order tried.
    pub candidates: Vec<Candidate>,
}

/// Fits every candidate ETS model allowed by `options` and returns the best by the
/// information criterion (AICc by default).
///
/// Candidates with a multiplicative component are skipped when the series has zero or negative
/// values; seasonal candidates are skipped when `season_length` is 1 or the series is shorter
/// than two seasons (noted); candidates with too many parameters for the series are skipped.
/// A constant series gets the documented constant fallback (see [`EtsFit::notes`]).
///
/// ```
/// use storelytics::forecast::ets::{auto_ets, AutoEtsOptions};
/// let y: Vec<f64> = (0..48).map(|t| 50.0 + [5.0, -3.0, 8.0, -10.0][t % 4] + 0.3 * t as f64).collect();
/// let fit = auto_ets(&y, 4, &AutoEtsOptions::default()).unwrap();
/// assert!(fit.best.spec.is_seasonal());
/// assert!(fit.candidates.len() > 1);
/// let fc = fit.best.forecast(8, &[95.0]).unwrap();
/// assert_eq!(fc.mean.len(), 8);
/// ```
pub fn auto_ets(y: &[f64], season_length: usize, options: &AutoEtsOptions) -> Result<AutoEtsFit> {
    let pattern = ModelPattern::parse(&options.model)?;
    let prepared = prepare(y, season_length, "AutoETS")?;
    let mut notes = prepared.notes.clone();
    if prepared.constant {
        let mut best = constant_fit(y, &options.fit);
        notes.append(&mut best.notes);
        best.notes = notes;
        return Ok(AutoEtsFit { best, candidates: Vec::new() });
    }
    let m = prepared.season_length;
    let wants_multiplicative = pattern.errors.contains(&ErrorType::Multiplicative)
        || pattern.seasons.contains(&SeasonType::Multiplicative)
        || (pattern.trends.contains(&TrendType::Multiplicative)
            && (options.allow_multiplicative_trend || !pattern.trend_is_automatic()));
    if !prepared.positive && wants_multiplicative {
        notes.push("zero or negative values: models with multiplicative components were not considered".to_string());
    }
    let dampings: &[bool] = match options.damped {
        Some(true) => &[true],
        Some(false) => &[false],
        None => &[true, false],
    };
    let mut specs = Vec::new();
    for &error in pattern.errors {
        for &trend in pattern.trends {
            for &season in pattern.seasons {
                for &damped in dampings {
                    if trend == TrendType::None && damped {
                        continue;
                    }
                    if trend == TrendType::Multiplicative
                        && pattern.trend_is_automatic()
                        && !options.allow_multiplicative_trend
                    {
                        continue;
                    }
                    let spec = EtsSpec { error, trend, damped, season };
                    if options.restrict && spec.is_restricted() {
                        continue;
                    }
                    if !prepared.positive && spec.needs_positive_data() {
                        continue;
                    }
                    if season != SeasonType::None && m == 1 {
                        continue;
                    }
                    specs.push(spec);
                }
            }
        }
    }
    // Every candidate is fitted independently (on several threads with the `parallel`
    // feature); the selection below runs in the fixed order of `specs`, so the result does not
    // depend on the number of threads.
    let fits = fit_all(&prepared.y, m, &specs, &options.fit);
    let mut best: Option<(f64, EtsFit)> = None;
    let mut candidates = Vec::new();
    let mut too_short = false;
    for (spec, fit) in specs.into_iter().zip(fits) {
        let Some(fit) = fit else {
            too_short = true;
            continue;
        };
        let score = match options.criterion {
            InformationCriterion::Aic => fit.aic,
            InformationCriterion::Aicc => fit.aicc,
            InformationCriterion::Bic => fit.bic,
        };
        candidates.push(Candidate { spec, loglik: fit.loglik, aic: fit.aic, aicc: fit.aicc, bic: fit.bic });
        if score.is_finite() && best.as_ref().is_none_or(|(b, _)| score < *b) {
            best = Some((score, fit));
        }
    }
    let Some((_, mut fit)) = best else {
        return Err(if candidates.is_empty() && too_short {
            Error::insufficient_data(
                "AutoETS",
                format!("no candidate model can be estimated from {} observations", prepared.y.len()),
            )
        } else if candidates.is_empty() && !too_short {
            Error::invalid_parameter(
                "model",
                format!("no model matching `{}` is admissible for this series", options.model),
            )
        } else {
            Error::Numerical {
                analysis: "AutoETS".to_string(),
                problem: "no candidate model reached a finite information criterion".to_string(),
            }
        });
    };
    if prepared.scale != 1.0 {
        fit.rescale(prepared.scale);
        for c in candidates.iter_mut() {
            let shift = prepared.y.len() as f64 * prepared.scale.ln();
            c.loglik -= shift;
            c.aic += 2.0 * shift;
            c.aicc += 2.0 * shift;
            c.bic += 2.0 * shift;
        }
    }
    notes.append(&mut fit.notes);
    fit.notes = notes;
    Ok(AutoEtsFit { best: fit, candidates })
}
