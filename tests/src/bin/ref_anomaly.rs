//! Reference-test tool for anomaly detection: runs one storelytics kernel or detector on the
//! series in the request and prints the result.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use storelytics::anomaly::kernels::{change_points, esd_critical_value};
use storelytics::anomaly::{AnomalyOptions, AnomalyReport, ClosedDays, Detector, Direction, MetricScale, detect};
use storelytics::forecast::TimeSeries;
use storelytics::{Granularity, Result};

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Request {
    /// PELT change points of the mean.
    ChangePoints { values: Vec<f64>, penalty: f64, min_segment: usize },
    /// Rosner critical values λ_1..λ_count.
    CriticalValues { n: usize, alpha: f64, one_sided: bool, count: usize },
    /// A detector on a daily series starting 2024-01-01.
    Detect {
        values: Vec<f64>,
        season_length: usize,
        detector: Detector,
        #[serde(default)]
        direction: Direction,
        #[serde(default)]
        scale: MetricScale,
        alpha: Option<f64>,
        max_anomalies: Option<f64>,
    },
}

#[derive(Serialize)]
#[serde(untagged)]
enum Answer {
    Indices(Vec<usize>),
    Values(Vec<f64>),
    Report(Box<AnomalyReport>),
}

fn run(request: Request) -> Result<Answer> {
    match request {
        Request::ChangePoints { values, penalty, min_segment } => {
            Ok(Answer::Indices(change_points(&values, penalty, min_segment)?))
        }
        Request::CriticalValues { n, alpha, one_sided, count } => {
            Ok(Answer::Values((1..=count).map(|i| esd_critical_value(n, i, alpha, one_sided)).collect::<Result<_>>()?))
        }
        Request::Detect { values, season_length, detector, direction, scale, alpha, max_anomalies } => {
            let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(NaiveDate::MIN);
            let series = TimeSeries::new("reference", start, Granularity::Day, values, season_length)?;
            let options = AnomalyOptions {
                detector,
                direction,
                scale,
                alpha,
                max_anomalies: max_anomalies.unwrap_or(0.1),
                closed_days: ClosedDays { detect_weekly: false, dates: vec![] },
                ..Default::default()
            };
            Ok(Answer::Report(Box::new(detect(&series, &options)?)))
        }
    }
}

fn main() {
    storelytics_tests::run_json(run);
}
