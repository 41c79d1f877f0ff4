//! Reference-test tool for anomaly detection: runs one storelytics kernel or detector on the
//! series in the request and prints the result.

use std::time::Instant;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use storelytics::anomaly::kernels::{change_points, esd_critical_value};
use storelytics::anomaly::{
    AnomalyOptions, AnomalyReport, ClosedDays, Detector, Direction, MetricScale, detect, detect_many,
};
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
    /// The default detector on many daily series (additive scale, as the Python peer), timed
    /// inside the tool so that start-up and JSON do not count.
    DetectMany { series: Vec<Vec<f64>>, season_length: usize },
}

#[derive(Serialize)]
#[serde(untagged)]
enum Answer {
    Indices(Vec<usize>),
    Values(Vec<f64>),
    Report(Box<AnomalyReport>),
    Many { anomalies: Vec<Vec<usize>>, seconds: f64 },
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
        Request::DetectMany { series, season_length } => {
            let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(NaiveDate::MIN);
            let series = series
                .into_iter()
                .map(|v| TimeSeries::new("bench", start, Granularity::Day, v, season_length))
                .collect::<Result<Vec<_>>>()?;
            let options = AnomalyOptions {
                scale: MetricScale::Additive,
                closed_days: ClosedDays { detect_weekly: false, dates: vec![] },
                ..Default::default()
            };
            let clock = Instant::now();
            let reports = detect_many(&series, &options);
            let seconds = clock.elapsed().as_secs_f64();
            let anomalies = reports
                .into_iter()
                .map(|r| r.map(|r| r.anomalies.iter().map(|a| a.index).collect()))
                .collect::<Result<_>>()?;
            Ok(Answer::Many { anomalies, seconds })
        }
    }
}

fn main() {
    storelytics_tests::run_json(run);
}
