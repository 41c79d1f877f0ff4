//! What [`detect`](super::detect) returns: the anomalies of one series and a summary.

use chrono::NaiveDate;
use serde::Serialize;

use super::options::Detector;

/// Whether an anomaly is above or below the expected value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomalyDirection {
    /// Actual above expected (for a level shift: the level went up).
    Spike,
    /// Actual below expected (for a level shift: the level went down).
    Drop,
}

/// What kind of anomaly was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomalyKind {
    /// One bucket deviates from its expected value.
    Point,
    /// The level of the series changes from this bucket on; `actual` and `expected` are the
    /// local levels after and before.
    LevelShift,
}

/// How strong an anomaly is, from its score relative to the threshold that flagged it:
/// below 1.4 × threshold low, below 2 × medium, otherwise high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Just past the threshold.
    Low,
    /// At least 1.4 times the threshold.
    Medium,
    /// At least twice the threshold.
    High,
}

impl Severity {
    /// Severity of a `score` flagged at `threshold` (both in noise standard deviations).
    pub fn of(score: f64, threshold: f64) -> Severity {
        if threshold.is_nan() || threshold <= 0.0 {
            return Severity::High;
        }
        let ratio = score / threshold;
        if ratio >= 2.0 {
            Severity::High
        } else if ratio >= 1.4 {
            Severity::Medium
        } else {
            Severity::Low
        }
    }
}

/// One anomalous bucket (or the first bucket of a level shift).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Anomaly {
    /// Position in the series (0 = first bucket).
    pub index: usize,
    /// Start date of the bucket.
    pub date: NaiveDate,
    /// Point anomaly or level shift.
    pub kind: AnomalyKind,
    /// Observed value (level shift: the local level after the change).
    pub actual: f64,
    /// Value the detector expected (level shift: the local level before the change).
    pub expected: f64,
    /// Lower bound of the normal range; below it a value is a drop.
    pub lower: f64,
    /// Upper bound of the normal range; above it a value is a spike.
    pub upper: f64,
    /// Deviation from `expected` in robust noise standard deviations (always positive).
    pub score: f64,
    /// Spike or drop.
    pub direction: AnomalyDirection,
    /// Low, medium or high, from `score` relative to the detector's threshold.
    pub severity: Severity,
}

/// Per-series counts of an [`AnomalyReport`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnomalySummary {
    /// Buckets in the series.
    pub buckets: usize,
    /// Buckets that were tested: observed (not NaN) and not closed.
    pub tested: usize,
    /// Buckets with a missing value (NaN), never flagged.
    pub missing: usize,
    /// Closed buckets (see [`ClosedDays`](super::ClosedDays)), never flagged.
    pub closed: usize,
    /// Number of anomalies.
    pub count: usize,
    /// `count / tested` (0 when nothing was tested).
    pub share: f64,
    /// Anomalies above the expected value.
    pub spikes: usize,
    /// Anomalies below the expected value.
    pub drops: usize,
    /// The anomaly with the highest score.
    pub worst: Option<Anomaly>,
}

/// The anomalies of one series, in time order, with a summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnomalyReport {
    /// The series label.
    pub label: String,
    /// The detector that produced the report.
    pub detector: Detector,
    /// Anomalies in time order.
    pub anomalies: Vec<Anomaly>,
    /// Counts, share and the worst anomaly.
    pub summary: AnomalySummary,
    /// Documented fallbacks used (e.g. "fewer than three seasons: no seasonal component").
    pub notes: Vec<String>,
}

impl AnomalyReport {
    /// The anomalies dated on or after `date`.
    pub fn since(&self, date: NaiveDate) -> &[Anomaly] {
        let first = self.anomalies.partition_point(|a| a.date < date);
        self.anomalies.get(first..).unwrap_or(&[])
    }

    /// The anomalies in the last `buckets` buckets of the series (e.g. the last 90 days of a
    /// daily series: `report.recent(90)`).
    pub fn recent(&self, buckets: usize) -> &[Anomaly] {
        let from = self.summary.buckets.saturating_sub(buckets);
        let first = self.anomalies.partition_point(|a| a.index < from);
        self.anomalies.get(first..).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_grows_with_score() {
        assert_eq!(Severity::of(3.1, 3.0), Severity::Low);
        assert_eq!(Severity::of(4.5, 3.0), Severity::Medium);
        assert_eq!(Severity::of(6.0, 3.0), Severity::High);
        assert_eq!(Severity::of(1.0, 0.0), Severity::High);
    }
}
