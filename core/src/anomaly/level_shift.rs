//! Level shifts: change points of the mean of the seasonally adjusted series.
//!
//! PELT (Killick, Fearnhead & Eckley 2012) minimises the sum over segments of the squared
//! deviations from the segment mean, in units of the noise variance, plus a penalty per change
//! point, `(10 - 8 · sensitivity) · ln n`, with segments at least one season (and 5 buckets)
//! long. Because slow trends and yearly seasonality also move the mean, each change point is
//! then confirmed locally: the medians of up to four seasons on either side (bounded by the
//! neighbouring change points) must differ by at least `0.75 · z` noise standard deviations; the
//! weakest failing change point is dropped and the rest re-checked until all pass.

use super::Candidate;
use super::decompose::decompose;
use super::options::{AnomalyOptions, Thresholds};
use super::prepare::Prepared;
use super::report::AnomalyKind;
use super::robust::{median, robust_sd};

/// Runs the level-shift detector.
pub(crate) fn level_shift(
    p: &Prepared,
    _options: &AnomalyOptions,
    th: &Thresholds,
    notes: &mut Vec<String>,
) -> Vec<Candidate> {
    let n = p.filled.len();
    let parts = decompose(&p.filled, p.season, notes);
    let adjusted: Vec<f64> = p.filled.iter().zip(&parts.seasonal).map(|(v, s)| v - s).collect();
    let sigma = noise_sd(&adjusted).max(p.min_scale);
    let min_len = p.season.max(5);
    let penalty = th.penalty_per_log_n * (n as f64).ln().max(1.0);
    let mut cps = pelt(&adjusted, sigma, penalty, min_len);
    let reach = 4 * p.season.max(7);
    loop {
        let shifts: Vec<Option<(f64, f64)>> =
            (0..cps.len()).map(|k| local_levels(p, &adjusted, &cps, k, reach)).collect();
        let weakest = shifts
            .iter()
            .enumerate()
            .map(|(k, s)| (k, s.map(|(before, after)| (after - before).abs() / sigma).unwrap_or(0.0)))
            .filter(|(_, size)| *size < th.min_shift)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        match weakest {
            Some((k, _)) => {
                cps.remove(k);
            }
            None => {
                return cps
                    .iter()
                    .zip(shifts)
                    .filter_map(|(&index, s)| {
                        let (before, after) = s?;
                        Some(Candidate {
                            index,
                            kind: AnomalyKind::LevelShift,
                            actual: after,
                            expected: before,
                            lower: before - th.min_shift * sigma,
                            upper: before + th.min_shift * sigma,
                            score: (after - before).abs() / sigma,
                            threshold: th.min_shift,
                        })
                    })
                    .collect();
            }
        }
    }
}

/// Noise standard deviation from first differences (robust to level shifts and spikes).
fn noise_sd(x: &[f64]) -> f64 {
    let diffs: Vec<f64> = x.windows(2).map(|w| w[1] - w[0]).collect();
    let center = median(&diffs).unwrap_or(0.0);
    robust_sd(&diffs, center) / std::f64::consts::SQRT_2
}

/// Medians of the open buckets before and after change point `k`.
fn local_levels(p: &Prepared, x: &[f64], cps: &[usize], k: usize, reach: usize) -> Option<(f64, f64)> {
    let c = *cps.get(k)?;
    let prev = if k == 0 { 0 } else { *cps.get(k - 1)? };
    let next = cps.get(k + 1).copied().unwrap_or(x.len());
    let open_values = |a: usize, b: usize| -> Vec<f64> { (a..b).filter(|&i| p.is_open(i)).map(|i| x[i]).collect() };
    let before = open_values(prev.max(c.saturating_sub(reach)), c);
    let after = open_values(c, next.min(c + reach));
    if before.len() < 3 || after.len() < 3 {
        return None;
    }
    Some((median(&before)?, median(&after)?))
}

/// Optimal partition by PELT; returns the change points (first index of each new segment).
pub(crate) fn pelt(x: &[f64], sigma: f64, penalty: f64, min_len: usize) -> Vec<usize> {
    let n = x.len();
    if n < 2 * min_len || min_len == 0 {
        return Vec::new();
    }
    let scale = 1.0 / (sigma * sigma);
    let mut s1 = vec![0.0; n + 1];
    let mut s2 = vec![0.0; n + 1];
    for (i, v) in x.iter().enumerate() {
        s1[i + 1] = s1[i] + v;
        s2[i + 1] = s2[i] + v * v;
    }
    let cost = |a: usize, b: usize| -> f64 {
        let len = (b - a) as f64;
        let sum = s1[b] - s1[a];
        ((s2[b] - s2[a]) - sum * sum / len).max(0.0) * scale
    };
    let mut best = vec![f64::INFINITY; n + 1];
    let mut last = vec![0usize; n + 1];
    best[0] = -penalty;
    let mut candidates = vec![0usize];
    for t in min_len..=n {
        if t >= 2 * min_len {
            candidates.push(t - min_len);
        }
        let mut best_t = f64::INFINITY;
        let mut arg = 0;
        for &tau in &candidates {
            let v = best[tau] + cost(tau, t) + penalty;
            if v < best_t {
                best_t = v;
                arg = tau;
            }
        }
        best[t] = best_t;
        last[t] = arg;
        candidates.retain(|&tau| best[tau] + cost(tau, t) <= best_t);
    }
    let mut cps = Vec::new();
    let mut t = n;
    while t > 0 {
        let tau = last[t];
        if tau > 0 {
            cps.push(tau);
        }
        if tau >= t {
            break;
        }
        t = tau;
    }
    cps.reverse();
    cps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pelt_finds_two_steps() {
        let x: Vec<f64> = (0..300)
            .map(|i| {
                let level = if i < 100 {
                    0.0
                } else if i < 220 {
                    5.0
                } else {
                    2.0
                };
                level + ((i * 37 % 11) as f64 / 11.0 - 0.5)
            })
            .collect();
        let cps = pelt(&x, 0.3, 3.0 * (300f64).ln(), 7);
        assert_eq!(cps, vec![100, 220]);
        assert!(pelt(&x[..10], 0.3, 10.0, 7).is_empty());
    }
}
