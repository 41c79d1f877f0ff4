//! AutoETS: fit every admissible candidate model and keep the best by an information
//! criterion (Hyndman & Khandakar 2008; statsforecast `AutoETS`).

use serde::Serialize;

use crate::error::{Error, Result};

use super::fit::{EtsFit, FirstFit, first_fit_spec, refit_spec};
use super::prepare::{constant_fit, prepare};
use super::spec::{ErrorType, EtsSpec, ModelPattern, SeasonType, TrendType};
use super::{AutoEtsOptions, InformationCriterion};

/// Applies `f` to every item, in order (in parallel with the `parallel` feature).
fn map_all<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.into_par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        items.into_iter().map(f).collect()
    }
}

/// Fits every spec in `specs` (in parallel with the `parallel` feature; the result does not
/// depend on the number of threads).
///
/// In two stages: the first optimisation runs of every candidate (within
/// `first_iterations`), then the restart from the optimum only for candidates whose criterion
/// is within `restart_within` of the best one after the first runs. A restart lowers
/// `-2 log L` by little compared to the gaps between candidates, so the candidates it skips
/// could not have been chosen.
fn fit_all(y: &[f64], m: usize, specs: &[EtsSpec], options: &AutoEtsOptions) -> Vec<Option<EtsFit>> {
    let fit = &options.fit;
    let firsts = map_all(specs.to_vec(), |spec| first_fit_spec(y, m, spec, fit, options.first_iterations));
    let best = firsts
        .iter()
        .flatten()
        .map(|f| criterion(options.criterion, &f.fit))
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min);
    let bound = best + options.restart_within.max(0.0);
    let jobs: Vec<(Option<FirstFit>, bool)> = firsts
        .into_iter()
        .map(|f| {
            let refine = f.as_ref().is_some_and(|f| {
                let v = criterion(options.criterion, &f.fit);
                !v.is_finite() || v <= bound || bound.is_nan()
            });
            (f, refine)
        })
        .collect();
    map_all(jobs, |(first, refine)| match first {
        Some(first) if refine => refit_spec(y, m, first, fit),
        Some(first) => Some(first.fit),
        None => None,
    })
}

fn criterion(kind: InformationCriterion, fit: &EtsFit) -> f64 {
    match kind {
        InformationCriterion::Aic => fit.aic,
        InformationCriterion::Aicc => fit.aicc,
        InformationCriterion::Bic => fit.bic,
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
    let fits = fit_all(&prepared.y, m, &specs, options);
    let mut best: Option<(f64, EtsFit)> = None;
    let mut candidates = Vec::new();
    let mut too_short = false;
    for (spec, fit) in specs.into_iter().zip(fits) {
        let Some(fit) = fit else {
            too_short = true;
            continue;
        };
        let score = criterion(options.criterion, &fit);
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

#[cfg(test)]
mod tests {
    use super::super::{EtsOptions, fit_ets};
    use super::*;

    fn seasonal() -> Vec<f64> {
        (0..60).map(|t| 80.0 + 0.5 * t as f64 + [6.0, -2.0, 9.0, -13.0][t % 4] + (t as f64 * 1.7).sin() * 2.0).collect()
    }

    #[test]
    fn restarting_every_candidate_with_the_full_budget_gives_the_fixed_model_fits() {
        let y = seasonal();
        let options = AutoEtsOptions {
            restart_within: f64::INFINITY,
            first_iterations: EtsOptions::default().max_iterations,
            ..Default::default()
        };
        let fit = auto_ets(&y, 4, &options).unwrap();
        for c in &fit.candidates {
            let fixed = fit_ets(&y, 4, c.spec, &EtsOptions::default()).unwrap();
            assert_eq!(c.aicc.to_bits(), fixed.aicc.to_bits(), "{}", c.spec);
        }
    }

    #[test]
    fn the_chosen_model_is_restarted_and_at_least_as_good_as_its_first_runs() {
        let y = seasonal();
        let quick = auto_ets(&y, 4, &AutoEtsOptions { restart_within: 0.0, ..Default::default() }).unwrap();
        let best = quick.candidates.iter().map(|c| c.aicc).fold(f64::INFINITY, f64::min);
        assert_eq!(quick.best.aicc, best);
        // Without screening every candidate's criterion can only be lower or equal.
        let full = auto_ets(&y, 4, &AutoEtsOptions { restart_within: f64::INFINITY, ..Default::default() }).unwrap();
        for (a, b) in quick.candidates.iter().zip(&full.candidates) {
            assert_eq!(a.spec, b.spec);
            assert!(b.aicc <= a.aicc + 1e-9, "{}: {} > {}", a.spec, b.aicc, a.aicc);
        }
    }
}
