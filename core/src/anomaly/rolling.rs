//! Baselines: a trailing-window z-score and trailing-window Tukey (IQR) fences. They ignore
//! seasonality on purpose; they are the yardstick the other detectors must beat.

use super::Candidate;
use super::options::{AnomalyOptions, Thresholds};
use super::prepare::Prepared;
use super::report::AnomalyKind;
use crate::numeric::quantile_sorted;

/// Which baseline statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Baseline {
    ZScore,
    Iqr,
}

/// Trailing window length: the option, or four seasons and at least 8 buckets.
fn window_len(p: &Prepared, options: &AnomalyOptions) -> usize {
    options.window.unwrap_or((4 * p.season).max(8))
}

/// Runs a rolling baseline; a bucket is tested once its window holds at least half its length
/// of open buckets (and at least 3).
pub(crate) fn rolling(p: &Prepared, options: &AnomalyOptions, th: &Thresholds, baseline: Baseline) -> Vec<Candidate> {
    let w = window_len(p, options);
    let need = (w / 2).max(3);
    let mut out = Vec::new();
    let mut buf = Vec::with_capacity(w);
    for i in 0..p.values.len() {
        if !p.is_open(i) {
            continue;
        }
        buf.clear();
        buf.extend((i.saturating_sub(w)..i).filter(|&j| p.is_open(j)).map(|j| p.values[j]));
        if buf.len() < need {
            continue;
        }
        let actual = p.values[i];
        let (expected, scale, lower, upper, threshold) = match baseline {
            Baseline::ZScore => {
                let k = buf.len() as f64;
                let mean = buf.iter().sum::<f64>() / k;
                let var = buf.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (k - 1.0);
                let sd = var.sqrt();
                (mean, sd, mean - th.z * sd, mean + th.z * sd, th.z)
            }
            Baseline::Iqr => {
                buf.sort_by(f64::total_cmp);
                let (Some(q1), Some(q2), Some(q3)) =
                    (quantile_sorted(&buf, 0.25), quantile_sorted(&buf, 0.5), quantile_sorted(&buf, 0.75))
                else {
                    continue;
                };
                let iqr = q3 - q1;
                // IQR / 1.349 estimates a normal standard deviation.
                (q2, iqr / 1.349, q1 - th.iqr_k * iqr, q3 + th.iqr_k * iqr, th.z)
            }
        };
        let floor = p.min_scale * threshold;
        let (lower, upper) = (lower.min(expected - floor), upper.max(expected + floor));
        let scale = scale.max(p.min_scale);
        if actual > upper || actual < lower {
            let score = (actual - expected).abs() / scale;
            out.push(Candidate {
                index: i,
                kind: AnomalyKind::Point,
                actual,
                expected,
                lower,
                upper,
                score,
                threshold,
            });
        }
    }
    out
}
