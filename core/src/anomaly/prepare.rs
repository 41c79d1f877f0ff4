//! Missing and closed buckets: which buckets are tested, and a gap-free copy for the models.
//!
//! A missing bucket (NaN) and a closed bucket (zero sales by design) are never tested and
//! never reported. The models need a regular series, so both are filled by linear
//! interpolation between the nearest tested neighbours (the nearest one at the ends).
//!
//! The detectors work on the *model scale*: the values themselves (additive) or
//! `ln(value + c)` (multiplicative, see [`MetricScale`]).

use crate::error::{Error, Result};
use crate::forecast::TimeSeries;

use super::options::{ClosedDays, MetricScale};
use super::robust::median;

/// State of one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bucket {
    /// Observed and open: tested.
    Open,
    /// NaN in the input.
    Missing,
    /// Closed by design.
    Closed,
}

/// Map between the metric and the model scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Transform {
    Identity,
    /// `ln(value + offset)`.
    Log {
        offset: f64,
    },
}

impl Transform {
    pub(crate) fn forward(self, v: f64) -> f64 {
        match self {
            Transform::Identity => v,
            Transform::Log { offset } => (v + offset).ln(),
        }
    }

    pub(crate) fn inverse(self, x: f64) -> f64 {
        match self {
            Transform::Identity => x,
            Transform::Log { offset } => x.exp() - offset,
        }
    }
}

/// A series ready for the detectors.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// The input values (NaN = missing).
    pub(crate) raw: Vec<f64>,
    /// The values on the model scale (NaN = missing).
    pub(crate) values: Vec<f64>,
    /// Per-bucket state.
    pub(crate) buckets: Vec<Bucket>,
    /// Gap-free values: open buckets as observed, others interpolated.
    pub(crate) filled: Vec<f64>,
    /// Buckets per season (at least 1).
    pub(crate) season: usize,
    /// Metric to model scale.
    pub(crate) transform: Transform,
    /// Smallest noise scale the detectors use (model scale): 0.1 % of the typical level, so
    /// that smoothing and rounding residue of a (nearly) constant series is not scored as
    /// noise.
    pub(crate) min_scale: f64,
    /// Fallbacks used.
    pub(crate) notes: Vec<String>,
}

/// Fewest open buckets any detector accepts.
pub(crate) const MIN_TESTED: usize = 8;

/// Share of zeros that marks a seasonal position as closed, and the share below which some
/// other position must stay so that the store is open at all.
const CLOSED_SHARE: f64 = 0.8;
const OPEN_SHARE: f64 = 0.2;
/// Smallest noise scale relative to the typical level.
const MIN_RELATIVE_SCALE: f64 = 1e-3;
/// Cycles a position needs before its closing pattern is trusted.
const MIN_CYCLES: usize = 3;

impl Prepared {
    /// Classifies the buckets of `series` and fills the gaps.
    pub(crate) fn new(
        series: &TimeSeries,
        closed: &ClosedDays,
        scale: MetricScale,
        analysis: &str,
    ) -> Result<Prepared> {
        let raw = series.values().to_vec();
        let values = &raw;
        let season = series.season_length().max(1);
        let mut buckets: Vec<Bucket> =
            values.iter().map(|v| if v.is_finite() { Bucket::Open } else { Bucket::Missing }).collect();
        let mut notes = Vec::new();
        if !closed.dates.is_empty() {
            let mut dates = closed.dates.clone();
            dates.sort_unstable();
            for (i, b) in buckets.iter_mut().enumerate() {
                if dates.binary_search(&series.bucket_start(i)).is_ok() {
                    *b = Bucket::Closed;
                }
            }
        }
        if closed.detect_weekly {
            let positions = weekly_closed_positions(values, &buckets, season);
            if !positions.is_empty() {
                notes.push(format!(
                    "zero values at seasonal positions {positions:?} (index modulo {season}) treated as closed days"
                ));
                for (i, b) in buckets.iter_mut().enumerate() {
                    if *b == Bucket::Open && values.get(i) == Some(&0.0) && positions.contains(&(i % season)) {
                        *b = Bucket::Closed;
                    }
                }
            }
        }
        let tested = buckets.iter().filter(|b| **b == Bucket::Open).count();
        if tested < MIN_TESTED {
            return Err(Error::insufficient_data(
                analysis,
                format!("needs at least {MIN_TESTED} observed open buckets, got {tested}"),
            ));
        }
        let open: Vec<f64> = (0..raw.len()).filter(|&i| buckets[i] == Bucket::Open).map(|i| raw[i]).collect();
        let transform = choose_transform(&open, scale)?;
        if let Transform::Log { offset } = transform {
            notes.push(format!("multiplicative scale: detectors compare ln(value + {offset})"));
        }
        let values: Vec<f64> = raw.iter().map(|&v| transform.forward(v)).collect();
        let filled = fill_gaps(&values, &buckets);
        let min_scale = match transform {
            Transform::Log { .. } => MIN_RELATIVE_SCALE,
            Transform::Identity => {
                let typical = median(&open.iter().map(|v| v.abs()).collect::<Vec<_>>()).unwrap_or(0.0);
                (MIN_RELATIVE_SCALE * typical).max(f64::MIN_POSITIVE)
            }
        };
        Ok(Prepared { raw, values, buckets, filled, season, transform, min_scale, notes })
    }

    /// Number of open (tested) buckets.
    pub(crate) fn tested(&self) -> usize {
        self.buckets.iter().filter(|b| **b == Bucket::Open).count()
    }

    /// Whether bucket `i` is tested.
    pub(crate) fn is_open(&self, i: usize) -> bool {
        self.buckets.get(i) == Some(&Bucket::Open)
    }
}

/// Log scale for non-negative metrics with a positive median (see [`MetricScale`]).
fn choose_transform(open: &[f64], scale: MetricScale) -> Result<Transform> {
    let non_negative = open.iter().all(|v| *v >= 0.0);
    let typical = median(open).unwrap_or(0.0);
    match scale {
        MetricScale::Additive => Ok(Transform::Identity),
        MetricScale::Auto if !(non_negative && typical > 0.0) => Ok(Transform::Identity),
        MetricScale::Multiplicative if !non_negative => Err(Error::invalid_parameter(
            "scale",
            "a multiplicative scale needs non-negative values; use the additive scale",
        )),
        _ => {
            let offset = if typical > 0.0 { 0.1 * typical } else { 1.0 };
            Ok(Transform::Log { offset })
        }
    }
}

/// Positions of the seasonal cycle that look closed by design.
fn weekly_closed_positions(values: &[f64], buckets: &[Bucket], season: usize) -> Vec<usize> {
    if season < 2 {
        return Vec::new();
    }
    let mut seen = vec![0usize; season];
    let mut zeros = vec![0usize; season];
    for (i, (v, b)) in values.iter().zip(buckets).enumerate() {
        if *b == Bucket::Open {
            let p = i % season;
            if let (Some(s), Some(z)) = (seen.get_mut(p), zeros.get_mut(p)) {
                *s += 1;
                if *v == 0.0 {
                    *z += 1;
                }
            }
        }
    }
    let share = |p: usize| zeros[p] as f64 / seen[p].max(1) as f64;
    let trusted = |p: usize| seen[p] >= MIN_CYCLES;
    let any_open = (0..season).any(|p| trusted(p) && share(p) <= OPEN_SHARE);
    if !any_open {
        return Vec::new();
    }
    (0..season).filter(|&p| trusted(p) && share(p) >= CLOSED_SHARE).collect()
}

/// Linear interpolation over buckets that are not open.
fn fill_gaps(values: &[f64], buckets: &[Bucket]) -> Vec<f64> {
    let n = values.len();
    let mut out = values.to_vec();
    let open: Vec<usize> = (0..n).filter(|&i| buckets.get(i) == Some(&Bucket::Open)).collect();
    let (Some(&first), Some(&last)) = (open.first(), open.last()) else {
        return vec![0.0; n];
    };
    for v in out.iter_mut().take(first) {
        *v = values[first];
    }
    for v in out.iter_mut().skip(last + 1) {
        *v = values[last];
    }
    for w in open.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b > a + 1 {
            let (va, vb) = (values[a], values[b]);
            let span = (b - a) as f64;
            for (k, v) in out.iter_mut().enumerate().take(b).skip(a + 1) {
                *v = va + (vb - va) * (k - a) as f64 / span;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Granularity;
    use chrono::NaiveDate;

    fn series(values: Vec<f64>) -> TimeSeries {
        let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        TimeSeries::new("t", start, Granularity::Day, values, 7).unwrap()
    }

    #[test]
    fn missing_values_are_interpolated_and_not_tested() {
        let mut v: Vec<f64> = (0..14).map(|i| i as f64 + 1.0).collect();
        v[0] = f64::NAN;
        v[5] = f64::NAN;
        v[6] = f64::NAN;
        v[13] = f64::NAN;
        let p = Prepared::new(&series(v), &ClosedDays::default(), MetricScale::Additive, "test").unwrap();
        assert_eq!(p.filled[0], 2.0);
        assert!((p.filled[5] - 6.0).abs() < 1e-12 && (p.filled[6] - 7.0).abs() < 1e-12);
        assert_eq!(p.filled[13], 13.0);
        assert_eq!(p.tested(), 10);
        assert!(!p.is_open(5));
    }

    #[test]
    fn weekly_zero_pattern_is_closed_but_a_rare_zero_is_not() {
        // Closed on position 6 (Sunday for a Monday start); one ordinary zero on day 10.
        let v: Vec<f64> = (0..70).map(|i| if i % 7 == 6 || i == 10 { 0.0 } else { 100.0 }).collect();
        let p = Prepared::new(&series(v), &ClosedDays::default(), MetricScale::Additive, "test").unwrap();
        assert_eq!(p.buckets.iter().filter(|b| **b == Bucket::Closed).count(), 10);
        assert!(p.is_open(10));
        assert_eq!(p.filled[6], 100.0);
        assert_eq!(p.values[10], 0.0);
        let off = ClosedDays { detect_weekly: false, dates: vec![] };
        let p = Prepared::new(&series(vec![0.0; 70]), &off, MetricScale::Auto, "test").unwrap();
        assert_eq!(p.tested(), 70);
        // All zeros: no position is open, so nothing is closed.
        let p = Prepared::new(&series(vec![0.0; 70]), &ClosedDays::default(), MetricScale::Auto, "test").unwrap();
        assert_eq!(p.tested(), 70);
    }

    #[test]
    fn non_negative_metrics_use_the_log_scale() {
        let v: Vec<f64> = (0..20).map(|i| if i == 3 { 0.0 } else { 100.0 }).collect();
        let p = Prepared::new(&series(v.clone()), &ClosedDays::default(), MetricScale::Auto, "test").unwrap();
        assert_eq!(p.transform, Transform::Log { offset: 10.0 });
        assert!((p.values[3] - 10f64.ln()).abs() < 1e-12);
        assert!((p.transform.inverse(p.values[0]) - 100.0).abs() < 1e-9);
        let mut neg = v;
        neg[5] = -1.0;
        let p = Prepared::new(&series(neg.clone()), &ClosedDays::default(), MetricScale::Auto, "test").unwrap();
        assert_eq!(p.transform, Transform::Identity);
        let err = Prepared::new(&series(neg), &ClosedDays::default(), MetricScale::Multiplicative, "test");
        assert_eq!(err.unwrap_err().kind(), "invalid_parameter");
    }

    #[test]
    fn caller_dates_close_buckets_and_too_few_is_an_error() {
        let closed = ClosedDays { detect_weekly: true, dates: vec![NaiveDate::from_ymd_opt(2024, 1, 3).unwrap()] };
        let p = Prepared::new(&series(vec![5.0; 20]), &closed, MetricScale::Auto, "test").unwrap();
        assert!(!p.is_open(2));
        assert_eq!(p.tested(), 19);
        let err = Prepared::new(&series(vec![1.0, f64::NAN, 2.0]), &closed, MetricScale::Auto, "anomaly detection")
            .unwrap_err();
        assert_eq!(err.kind(), "insufficient_data");
    }
}
