//! The report's anomaly section: daily net revenue of each store through the default detector
//! (S-H-ESD), listing the anomalies of the last 90 days.

use std::fmt::Write as _;

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use storelytics::anomaly::{Anomaly, AnomalyOptions, ClosedDays, detect_trend};
use storelytics::trend::{TrendOptions, trend};
use storelytics::{Period, Result, Sales};

/// Days of recent anomalies shown.
const RECENT_DAYS: i64 = 90;

/// Recent anomalies of one store.
#[derive(Serialize)]
pub(crate) struct StoreAnomalies {
    store: String,
    /// Why the store could not be analysed (e.g. too little data), if so.
    problem: Option<String>,
    anomalies: Vec<Anomaly>,
}

/// Anomalies in daily net revenue of each store in the 90 days up to `end`, detected on all
/// history up to `end`. `closed` lists days the stores are closed by design.
pub(crate) fn recent(
    sales: &Sales,
    data_start: NaiveDate,
    end: NaiveDate,
    closed: &[NaiveDate],
) -> Result<Vec<StoreAnomalies>> {
    let options = AnomalyOptions {
        closed_days: ClosedDays { dates: closed.to_vec(), ..Default::default() },
        ..Default::default()
    };
    let period = Period::new(data_start.min(end), end)?;
    let from = end - Duration::days(RECENT_DAYS - 1);
    sales
        .stores()
        .iter()
        .map(|s| {
            let daily = trend(
                sales,
                &TrendOptions {
                    store: Some(s.id.clone()),
                    period: Some(period),
                    moving_average: 0,
                    ..Default::default()
                },
            )?;
            Ok(match detect_trend(&daily, &options) {
                Ok(report) => {
                    StoreAnomalies { store: s.id.to_string(), problem: None, anomalies: report.since(from).to_vec() }
                }
                Err(e) => StoreAnomalies { store: s.id.to_string(), problem: Some(e.to_string()), anomalies: vec![] },
            })
        })
        .collect()
}

/// The text section.
pub(crate) fn render(out: &mut String, stores: &[StoreAnomalies]) {
    let _ = writeln!(out, "\nAnomalies in daily net revenue, last {RECENT_DAYS} days (seasonal ESD)");
    for s in stores {
        match &s.problem {
            Some(p) => {
                let _ = writeln!(out, "  {:<12} not analysed: {p}", s.store);
            }
            None if s.anomalies.is_empty() => {
                let _ = writeln!(out, "  {:<12} none", s.store);
            }
            None => {
                for a in &s.anomalies {
                    let _ = writeln!(
                        out,
                        "  {:<12} {} {:<5} {:>12.2} expected {:>12.2} ({:.2} – {:.2}) {:?}",
                        s.store,
                        a.date,
                        format!("{:?}", a.direction).to_lowercase(),
                        a.actual,
                        a.expected,
                        a.lower,
                        a.upper,
                        a.severity
                    );
                }
            }
        }
    }
}
