//! Evaluation on the storelytics generator: daily metrics of every store, scored against the
//! generator's labelled spike and drop days, several seeds and two data volumes.
//!
//! The generator also puts known calendar events into the data that are not labelled
//! anomalies: the stores close on 25 December and 1 January (passed to the detector as
//! closed days, as a caller would), and demand rises on Black Friday (× 2.2) and from 18 to 24
//! December (× 1.3 – 1.6). Detections on those event days are real but unlabelled, so they are
//! left out of the scoring (counted separately in the printed table).

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use storelytics::anomaly::evaluation::{Confusion, Label, Matching, score_detections};
use storelytics::anomaly::{AnomalyKind, AnomalyOptions, ClosedDays, Detector, detect_trend};
use storelytics::generator::{GeneratorConfig, generate};
use storelytics::trend::{TrendOptions, trend};
use storelytics::{Metric, Period};

fn calendar_event(date: NaiveDate) -> bool {
    let black_friday =
        NaiveDate::from_weekday_of_month_opt(date.year(), 11, Weekday::Thu, 4).map(|d| d + Duration::days(1));
    black_friday == Some(date) || (date.month() == 12 && (18..=24).contains(&date.day()))
}

struct Outcome {
    confusion: Confusion,
    on_events: usize,
}

fn evaluate(detector: Detector, lines: usize, metric: Metric, seeds: std::ops::Range<u64>) -> Outcome {
    let mut confusion = Confusion::default();
    let mut on_events = 0;
    for seed in seeds {
        let config = GeneratorConfig { seed, lines, ..Default::default() };
        let data = generate(&config).unwrap();
        let period = Period::new(config.start, config.start + Duration::days(config.days as i64 - 1)).unwrap();
        let closed_days = ClosedDays { dates: data.closed_days.clone(), ..Default::default() };
        let options = AnomalyOptions { detector, closed_days, ..Default::default() };
        for store in data.sales.stores() {
            let daily = trend(
                &data.sales,
                &TrendOptions {
                    metric,
                    store: Some(store.id.clone()),
                    period: Some(period),
                    moving_average: 0,
                    ..Default::default()
                },
            )
            .unwrap();
            let start = daily.points[0].start;
            let mut report = detect_trend(&daily, &options).unwrap();
            let before = report.anomalies.len();
            report.anomalies.retain(|a| !calendar_event(a.date));
            on_events += before - report.anomalies.len();
            let labels: Vec<Label> = data
                .anomalies
                .iter()
                .filter(|l| l.store == store.id)
                .map(|l| Label { index: (l.date - start).num_days() as usize, kind: AnomalyKind::Point })
                .collect();
            confusion.add(score_detections(&report.anomalies, &labels, Matching::default()));
        }
    }
    Outcome { confusion, on_events }
}

/// Data volume (line items over three stores and two years), metric, and whether the setting
/// counts towards the asserted F1. At 100,000 lines a store has about 15 orders a day and its
/// daily revenue varies by a factor of 3 to 10 within a week, as much as the injected ×2.5–4
/// spikes and ×0.15–0.35 drops: no detector separates them reliably (printed for reference).
const SETTINGS: [(usize, Metric, bool); 4] = [
    (300_000, Metric::NetRevenue, true),
    (300_000, Metric::Orders, true),
    (1_000_000, Metric::NetRevenue, true),
    (100_000, Metric::NetRevenue, false),
];

#[test]
fn default_detector_on_generated_stores() {
    eprintln!(
        "{:<18} {:<12} {:>8} {:>9} {:>7} {:>6} {:>7}",
        "detector", "metric", "lines", "precision", "recall", "F1", "events"
    );
    let mut f1 = Vec::new();
    for detector in Detector::ALL.into_iter().filter(|d| *d != Detector::LevelShift) {
        let mut all = Confusion::default();
        for (lines, metric, scored) in SETTINGS {
            let o = evaluate(detector, lines, metric, 1..4);
            let c = o.confusion;
            eprintln!(
                "{:<18} {:<12} {:>8} {:>9.3} {:>7.3} {:>6.3} {:>7}",
                detector.name(),
                metric.as_str(),
                lines,
                c.precision(),
                c.recall(),
                c.f1(),
                o.on_events
            );
            if scored {
                all.add(c);
            }
        }
        eprintln!(
            "{:<18} {:<12} {:>8} {:>9.3} {:>7.3} {:>6.3}",
            detector.name(),
            "ALL",
            "",
            all.precision(),
            all.recall(),
            all.f1()
        );
        f1.push((detector, all.f1()));
    }
    let get = |d: Detector| f1.iter().find(|x| x.0 == d).map(|x| x.1).unwrap_or(0.0);
    let esd = get(Detector::SeasonalEsd);
    assert!(esd >= 0.8, "S-H-ESD F1 on generated stores {esd:.3}");
    // The generator's anomalies are large (× 2.5–4, × 0.15–0.35), so the baseline does well
    // here too; the margin is wider on the simulator's subtler anomalies (evaluation.rs).
    assert!(
        esd >= get(Detector::RollingZScore) + 0.05,
        "S-H-ESD {esd:.3} vs rolling z {:.3}",
        get(Detector::RollingZScore)
    );
}
