//! Scoring detections against labelled anomalies: precision, recall and F1.
//!
//! Matching rules (event based, as is usual for time-series anomaly benchmarks):
//! - a labelled point anomaly at bucket `i` is found when an anomaly is reported within
//!   `point_tolerance` buckets of `i`;
//! - a labelled level shift starting at bucket `i` is found when an anomaly is reported in
//!   `i - shift_lead ..= i + shift_window` (smoothing detectors see a shift a few buckets early);
//! - a reported anomaly is a true positive when it finds some label of the kinds being scored,
//!   and is *ignored* (neither true nor false positive) when it only falls in the window of a
//!   label of another kind: a point detector that flags the first days after a level shift is
//!   not wrong, and a level-shift detector is not scored on spikes.

use serde::Serialize;

use super::report::{Anomaly, AnomalyKind};

/// A labelled anomaly of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Bucket index of the anomaly (first bucket of a level shift).
    pub index: usize,
    /// Point anomaly or level shift.
    pub kind: AnomalyKind,
}

/// Matching tolerances of [`score_detections`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Matching {
    /// Buckets either side of a labelled point that still count as finding it. Default 1.
    pub point_tolerance: usize,
    /// Buckets before the start of a labelled level shift that still count. Default 7.
    pub shift_lead: usize,
    /// Buckets after the start of a labelled level shift that still count. Default 14.
    pub shift_window: usize,
    /// Which label kind is scored; labels of the other kind only make detections "ignored".
    pub scored: AnomalyKind,
}

impl Default for Matching {
    fn default() -> Self {
        Matching { point_tolerance: 1, shift_lead: 7, shift_window: 14, scored: AnomalyKind::Point }
    }
}

/// Counts of a scoring; add them up over series before taking ratios (micro average).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    /// Reported anomalies that found a scored label.
    pub true_positives: usize,
    /// Reported anomalies near no label at all.
    pub false_positives: usize,
    /// Scored labels that were found.
    pub found: usize,
    /// Scored labels.
    pub labels: usize,
}

impl Confusion {
    /// Adds the counts of another scoring.
    pub fn add(&mut self, other: Confusion) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.found += other.found;
        self.labels += other.labels;
    }

    /// Share of counted detections that are true (1 when nothing was reported).
    pub fn precision(&self) -> f64 {
        let reported = self.true_positives + self.false_positives;
        if reported == 0 { 1.0 } else { self.true_positives as f64 / reported as f64 }
    }

    /// Share of labels found (1 when there are none).
    pub fn recall(&self) -> f64 {
        if self.labels == 0 { 1.0 } else { self.found as f64 / self.labels as f64 }
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

/// Scores reported `anomalies` of one series against its `labels`.
///
/// ```
/// use storelytics::anomaly::AnomalyKind;
/// use storelytics::anomaly::evaluation::{Label, Matching, score_indices};
/// let labels = [Label { index: 10, kind: AnomalyKind::Point }, Label { index: 50, kind: AnomalyKind::Point }];
/// let c = score_indices(&[11, 30], &labels, Matching::default());
/// assert_eq!((c.true_positives, c.false_positives, c.found), (1, 1, 1));
/// assert_eq!(c.f1(), 0.5);
/// ```
pub fn score_detections(anomalies: &[Anomaly], labels: &[Label], matching: Matching) -> Confusion {
    let indices: Vec<usize> = anomalies.iter().map(|a| a.index).collect();
    score_indices(&indices, labels, matching)
}

/// [`score_detections`] on bare detection indices.
pub fn score_indices(detections: &[usize], labels: &[Label], matching: Matching) -> Confusion {
    let window = |l: &Label| -> (usize, usize) {
        match l.kind {
            AnomalyKind::Point => {
                (l.index.saturating_sub(matching.point_tolerance), l.index.saturating_add(matching.point_tolerance))
            }
            AnomalyKind::LevelShift => {
                (l.index.saturating_sub(matching.shift_lead), l.index.saturating_add(matching.shift_window))
            }
        }
    };
    let hits = |d: usize, l: &Label| {
        let (lo, hi) = window(l);
        d >= lo && d <= hi
    };
    let mut c = Confusion::default();
    for &d in detections {
        if labels.iter().any(|l| l.kind == matching.scored && hits(d, l)) {
            c.true_positives += 1;
        } else if !labels.iter().any(|l| hits(d, l)) {
            c.false_positives += 1;
        }
    }
    for l in labels.iter().filter(|l| l.kind == matching.scored) {
        c.labels += 1;
        if detections.iter().any(|&d| hits(d, l)) {
            c.found += 1;
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detections_near_other_kinds_are_ignored() {
        let labels =
            [Label { index: 10, kind: AnomalyKind::Point }, Label { index: 100, kind: AnomalyKind::LevelShift }];
        let c = score_indices(&[10, 103, 200], &labels, Matching::default());
        assert_eq!(c, Confusion { true_positives: 1, false_positives: 1, found: 1, labels: 1 });
        let shift = Matching { scored: AnomalyKind::LevelShift, ..Matching::default() };
        let c = score_indices(&[10, 103, 200], &labels, shift);
        assert_eq!(c, Confusion { true_positives: 1, false_positives: 1, found: 1, labels: 1 });
        assert_eq!(Confusion::default().f1(), 1.0);
        let none = Confusion { true_positives: 0, false_positives: 3, found: 0, labels: 2 };
        assert_eq!(none.f1(), 0.0);
    }
}
