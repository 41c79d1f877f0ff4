//! Seasonal hybrid ESD (Hochenbaum, Vallis & Kejariwal 2017): robust decomposition, then the
//! generalized ESD test with median / MAD on the remainder of the tested buckets.

use super::Candidate;
use super::decompose::decompose;
use super::esd::generalized_esd;
use super::options::{AnomalyOptions, Thresholds};
use super::prepare::Prepared;
use super::report::AnomalyKind;

/// Runs S-H-ESD on a prepared series.
pub(crate) fn seasonal_esd(
    p: &Prepared,
    options: &AnomalyOptions,
    th: &Thresholds,
    notes: &mut Vec<String>,
) -> Vec<Candidate> {
    let parts = decompose(&p.filled, p.season, notes);
    let open: Vec<usize> = (0..p.values.len()).filter(|&i| p.is_open(i)).collect();
    let fitted = |i: usize| parts.seasonal[i] + parts.trend[i];
    let remainder: Vec<f64> = open.iter().map(|&i| p.values[i] - fitted(i)).collect();
    let max_outliers = (options.max_anomalies * open.len() as f64).floor() as usize;
    let esd = generalized_esd(&remainder, max_outliers.max(1), th.alpha, options.direction, p.min_scale);
    if esd.scale.is_nan() || esd.scale <= 0.0 {
        notes.push("remainder is constant: no anomalies can be scored".into());
    }
    esd.outliers
        .iter()
        .filter_map(|&j| {
            let index = *open.get(j)?;
            let expected = fitted(index) + esd.center;
            let band = esd.critical * esd.scale;
            Some(Candidate {
                index,
                kind: AnomalyKind::Point,
                actual: p.values[index],
                expected,
                lower: expected - band,
                upper: expected + band,
                score: (p.values[index] - expected).abs() / esd.scale,
                threshold: esd.critical,
            })
        })
        .collect()
}
