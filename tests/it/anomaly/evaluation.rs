//! Precision, recall and F1 of every detector on labelled simulated series, several seeds and
//! settings (micro-averaged over all series of a setting).
//!
//! Point detectors are scored on the labelled spikes and drops; the level-shift detector on
//! the labelled level shifts (see `storelytics::anomaly::evaluation` for the matching rules).

use storelytics::anomaly::evaluation::{Confusion, Matching, score_detections};
use storelytics::anomaly::{AnomalyKind, AnomalyOptions, Detector, detect};

use super::sim::{SETTINGS, Setting, simulate};

const SEEDS: std::ops::Range<u64> = 1..9;

fn scored_kind(detector: Detector) -> AnomalyKind {
    if detector == Detector::LevelShift { AnomalyKind::LevelShift } else { AnomalyKind::Point }
}

fn evaluate(detector: Detector, setting: &Setting) -> Confusion {
    let options = AnomalyOptions { detector, ..Default::default() };
    let matching = Matching { scored: scored_kind(detector), ..Matching::default() };
    let mut total = Confusion::default();
    for seed in SEEDS {
        let sim = simulate(seed, setting);
        let report = detect(&sim.series, &options).expect("simulated series are long enough");
        total.add(score_detections(&report.anomalies, &sim.labels, matching));
    }
    total
}

/// Evaluates all detectors on all settings, prints the table and returns the F1 per detector
/// (over all settings) and per (detector, setting).
fn table() -> Vec<(Detector, Confusion, Vec<Confusion>)> {
    let mut rows = Vec::new();
    eprintln!("{:<18} {:<28} {:>9} {:>7} {:>6}", "detector", "setting", "precision", "recall", "F1");
    for detector in Detector::ALL {
        let mut all = Confusion::default();
        let mut per = Vec::new();
        for setting in &SETTINGS {
            let c = evaluate(detector, setting);
            eprintln!(
                "{:<18} {:<28} {:>9.3} {:>7.3} {:>6.3}",
                detector.name(),
                setting.name,
                c.precision(),
                c.recall(),
                c.f1()
            );
            all.add(c);
            per.push(c);
        }
        eprintln!(
            "{:<18} {:<28} {:>9.3} {:>7.3} {:>6.3}",
            detector.name(),
            "ALL",
            all.precision(),
            all.recall(),
            all.f1()
        );
        rows.push((detector, all, per));
    }
    rows
}

#[test]
fn default_detector_reaches_f1_0_8_and_beats_the_baselines() {
    let rows = table();
    let f1 = |d: Detector| rows.iter().find(|r| r.0 == d).map(|r| r.1.f1()).unwrap_or(0.0);
    let esd = f1(Detector::SeasonalEsd);
    assert!(esd >= 0.8, "S-H-ESD F1 {esd:.3}");
    for (_, _, per) in rows.iter().filter(|r| r.0 == Detector::SeasonalEsd) {
        for (c, s) in per.iter().zip(&SETTINGS) {
            assert!(c.f1() >= 0.7, "S-H-ESD F1 {:.3} on setting {}", c.f1(), s.name);
        }
    }
    let z = f1(Detector::RollingZScore);
    let iqr = f1(Detector::RollingIqr);
    assert!(esd >= z + 0.15, "S-H-ESD F1 {esd:.3} vs rolling z-score {z:.3}");
    assert!(esd >= iqr + 0.1, "S-H-ESD F1 {esd:.3} vs rolling IQR {iqr:.3}");
    let forecast = f1(Detector::ForecastInterval);
    assert!(forecast >= 0.6, "forecast-interval F1 {forecast:.3}");
    let shifts = f1(Detector::LevelShift);
    assert!(shifts >= 0.7, "level-shift F1 {shifts:.3}");
}

#[test]
fn lower_sensitivity_reports_fewer_anomalies() {
    let sim = simulate(3, &SETTINGS[1]);
    let count = |sensitivity: f64, detector: Detector| {
        let options = AnomalyOptions { detector, sensitivity, ..Default::default() };
        detect(&sim.series, &options).unwrap().summary.count
    };
    for detector in Detector::ALL {
        let (low, mid, high) = (count(0.0, detector), count(0.5, detector), count(1.0, detector));
        assert!(low <= mid && mid <= high, "{detector}: {low} {mid} {high}");
        assert!(low < high, "{detector}: sensitivity changes nothing ({low})");
    }
}
