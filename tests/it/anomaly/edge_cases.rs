//! Edge cases: short, constant, all-zero, missing and closed days, huge values — never a panic.

use std::sync::Arc;

use chrono::NaiveDate;
use storelytics::anomaly::{
    AnomalyDirection, AnomalyKind, AnomalyOptions, ClosedDays, Detector, Direction, MetricScale, detect, detect_many,
};
use storelytics::forecast::{Forecast, Forecaster, IntervalMethod, PredictionInterval};
use storelytics::{calendar::Granularity, forecast::TimeSeries};

use super::sim::{Rng, SETTINGS, simulate};

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() // a Monday
}

fn daily(values: Vec<f64>) -> TimeSeries {
    TimeSeries::new("test", start(), Granularity::Day, values, 7).unwrap()
}

/// Weekly pattern with deterministic noise.
fn weekly(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    (0..n).map(|d| [100.0, 95.0, 105.0, 110.0, 130.0, 160.0, 120.0][d % 7] * (1.0 + 0.04 * rng.normal())).collect()
}

fn run_all(series: &TimeSeries) -> Vec<(Detector, storelytics::Result<storelytics::anomaly::AnomalyReport>)> {
    Detector::ALL.iter().map(|&d| (d, detect(series, &AnomalyOptions { detector: d, ..Default::default() }))).collect()
}

#[test]
fn too_short_series_are_insufficient_data_for_every_detector() {
    for values in [vec![], vec![5.0], vec![1.0, 2.0, 3.0], vec![f64::NAN; 50], vec![1.0; 7]] {
        for (d, r) in run_all(&daily(values.clone())) {
            assert_eq!(r.unwrap_err().kind(), "insufficient_data", "{d} on {values:?}");
        }
    }
}

#[test]
fn short_series_work_without_seasonality() {
    let mut v = weekly(10, 1);
    v[6] = 1000.0;
    for (d, r) in run_all(&daily(v)) {
        let r = r.unwrap_or_else(|e| panic!("{d}: {e}"));
        assert!(r.summary.count <= 1, "{d}");
        if d == Detector::SeasonalEsd {
            assert_eq!(r.anomalies[0].index, 6);
            assert!(r.notes.iter().any(|n| n.contains("fewer than three seasons")), "{:?}", r.notes);
        }
    }
}

#[test]
fn constant_and_all_zero_series_have_no_anomalies() {
    for value in [0.0, 42.0, -3.5] {
        for (d, r) in run_all(&daily(vec![value; 90])) {
            let r = r.unwrap_or_else(|e| panic!("{d} on constant {value}: {e}"));
            assert_eq!(r.summary.count, 0, "{d} on constant {value}");
            assert_eq!(r.summary.closed, 0);
        }
    }
}

#[test]
fn a_single_spike_in_a_constant_series_is_found() {
    let mut v = vec![50.0; 90];
    v[40] = 80.0;
    let r = detect(&daily(v), &AnomalyOptions::default()).unwrap();
    assert_eq!(r.anomalies.len(), 1);
    assert_eq!((r.anomalies[0].index, r.anomalies[0].direction), (40, AnomalyDirection::Spike));
}

#[test]
fn missing_days_are_skipped_and_counted() {
    let mut v = weekly(120, 2);
    for i in (3..120).step_by(9) {
        v[i] = f64::NAN;
    }
    v[50] = 400.0;
    for (d, r) in run_all(&daily(v.clone())) {
        let r = r.unwrap_or_else(|e| panic!("{d}: {e}"));
        assert_eq!(r.summary.missing, 13, "{d}");
        assert_eq!(r.summary.tested, 107, "{d}");
        assert!(r.anomalies.iter().all(|a| !v[a.index].is_nan()), "{d} flagged a missing day");
        if d != Detector::LevelShift {
            assert!(r.anomalies.iter().any(|a| a.index == 50), "{d} missed the spike");
        }
    }
}

#[test]
fn huge_outlier_at_the_start() {
    let mut v = weekly(120, 3);
    v[0] = 1e9;
    for (d, r) in run_all(&daily(v)) {
        let r = r.unwrap_or_else(|e| panic!("{d}: {e}"));
        assert!(r.anomalies.iter().all(|a| a.score.is_finite() && a.expected.is_finite()), "{d}");
        // Apart from the outlier itself, the rest of the series stays quiet.
        assert!(r.anomalies.iter().filter(|a| a.index > 0).count() <= 3, "{d}: {:?}", r.anomalies);
        if matches!(d, Detector::SeasonalEsd) {
            assert_eq!(r.anomalies.first().map(|a| a.index), Some(0));
        }
    }
}

#[test]
fn absurd_magnitudes_and_bad_options_are_errors() {
    let mut v = weekly(60, 4);
    v[3] = 1e200;
    assert_eq!(detect(&daily(v), &AnomalyOptions::default()).unwrap_err().kind(), "invalid_parameter");
    let bad = AnomalyOptions { sensitivity: 2.0, ..Default::default() };
    let err = detect(&daily(weekly(60, 4)), &bad).unwrap_err();
    assert_eq!(err.to_string(), "invalid parameter `sensitivity`: 2 must be between 0 and 1");
}

#[test]
fn closed_sundays_are_not_anomalies() {
    let mut v = weekly(140, 5);
    for d in (6..140).step_by(7) {
        v[d] = 0.0;
    }
    v[45] = 0.0; // a Friday with no sales: a real drop
    for (d, r) in run_all(&daily(v.clone())) {
        let r = r.unwrap_or_else(|e| panic!("{d}: {e}"));
        assert_eq!(r.summary.closed, 20, "{d}");
        assert!(r.anomalies.iter().all(|a| a.index % 7 != 6), "{d} flagged a closed Sunday");
        if d != Detector::LevelShift {
            assert!(r.anomalies.iter().any(|a| a.index == 45 && a.direction == AnomalyDirection::Drop), "{d}");
        }
    }
    // The caller can mark the Friday as a holiday closure.
    let holiday = ClosedDays { detect_weekly: true, dates: vec![start() + chrono::Duration::days(45)] };
    let r = detect(&daily(v.clone()), &AnomalyOptions { closed_days: holiday, ..Default::default() }).unwrap();
    assert_eq!(r.summary.closed, 21);
    assert!(r.anomalies.iter().all(|a| a.index != 45));
    // Without closed-day handling the Sundays would dominate the report.
    let off = ClosedDays { detect_weekly: false, dates: vec![] };
    let r = detect(&daily(v), &AnomalyOptions { closed_days: off, ..Default::default() }).unwrap();
    assert_eq!(r.summary.closed, 0);
}

#[test]
fn direction_filters_and_summary_adds_up() {
    let sim = simulate(7, &SETTINGS[0]);
    let both = detect(&sim.series, &AnomalyOptions::default()).unwrap();
    let s = &both.summary;
    assert_eq!(s.count, both.anomalies.len());
    assert_eq!(s.spikes + s.drops, s.count);
    assert!((s.share - s.count as f64 / s.tested as f64).abs() < 1e-12);
    let worst = s.worst.as_ref().unwrap();
    assert!(both.anomalies.iter().all(|a| a.score <= worst.score));
    assert!(both.anomalies.windows(2).all(|w| w[0].index < w[1].index));
    for a in &both.anomalies {
        assert!(a.lower < a.expected && a.expected < a.upper);
        assert!(a.actual < a.lower || a.actual > a.upper, "{a:?}");
        assert_eq!(a.date, sim.series.bucket_start(a.index));
    }
    let spikes = detect(&sim.series, &AnomalyOptions { direction: Direction::Spikes, ..Default::default() }).unwrap();
    assert!(spikes.anomalies.iter().all(|a| a.direction == AnomalyDirection::Spike));
    assert!(!spikes.anomalies.is_empty());
    let drops = detect(&sim.series, &AnomalyOptions { direction: Direction::Drops, ..Default::default() }).unwrap();
    assert!(drops.anomalies.iter().all(|a| a.direction == AnomalyDirection::Drop));
    // The last 90 days.
    let recent = both.recent(90);
    assert!(recent.iter().all(|a| a.index >= sim.series.len() - 90));
    assert_eq!(recent.len(), both.anomalies.iter().filter(|a| a.index >= sim.series.len() - 90).count());
    assert_eq!(both.since(sim.series.bucket_start(0)).len(), both.anomalies.len());
}

#[test]
fn level_shift_reports_the_change_point() {
    let mut v = weekly(200, 6);
    for x in v.iter_mut().skip(120) {
        *x *= 1.5;
    }
    let r = detect(&daily(v), &AnomalyOptions { detector: Detector::LevelShift, ..Default::default() }).unwrap();
    assert_eq!(r.anomalies.len(), 1, "{:?}", r.anomalies);
    let a = &r.anomalies[0];
    assert_eq!(a.kind, AnomalyKind::LevelShift);
    assert!(a.index.abs_diff(120) <= 2, "{a:?}");
    assert_eq!(a.direction, AnomalyDirection::Spike);
    assert!(a.actual / a.expected > 1.3 && a.actual / a.expected < 1.7, "{a:?}");
}

#[test]
fn many_series_match_one_by_one() {
    let series: Vec<TimeSeries> = (0..12).map(|seed| simulate(seed, &SETTINGS[seed as usize % 4]).series).collect();
    let options = AnomalyOptions::default();
    let together = detect_many(&series, &options);
    for (s, r) in series.iter().zip(together) {
        assert_eq!(r.unwrap(), detect(s, &options).unwrap());
    }
}

/// A seasonal-naive model with a fixed ±30 interval, to exercise the forecaster hook.
struct SeasonalNaive;

impl Forecaster for SeasonalNaive {
    fn name(&self) -> String {
        "SeasonalNaive".into()
    }

    fn fit_predict(&self, y: &[f64], m: usize, horizon: usize, levels: &[f64]) -> storelytics::Result<Forecast> {
        let mean: Vec<f64> = (0..horizon).map(|h| y[y.len() - m + h % m]).collect();
        let intervals = levels
            .iter()
            .map(|&level| PredictionInterval {
                level,
                lower: mean.iter().map(|x| x - 30.0).collect(),
                upper: mean.iter().map(|x| x + 30.0).collect(),
            })
            .collect();
        Ok(Forecast {
            model: self.name(),
            mean,
            intervals,
            interval_method: IntervalMethod::Analytic,
            fitted: None,
            notes: vec![],
        })
    }
}

#[test]
fn forecast_interval_accepts_a_callers_forecaster() {
    let mut v = weekly(84, 8);
    v[60] = 300.0;
    let options = AnomalyOptions {
        detector: Detector::ForecastInterval,
        forecaster: Some(Arc::new(SeasonalNaive)),
        scale: MetricScale::Additive,
        ..Default::default()
    };
    let r = detect(&daily(v), &options).unwrap();
    assert!(r.anomalies.iter().any(|a| a.index == 60), "{:?}", r.anomalies);
    // The flagged value is replaced in the history, so a week later is not flagged as a drop.
    assert!(r.anomalies.iter().all(|a| a.index != 67), "{:?}", r.anomalies);
}
