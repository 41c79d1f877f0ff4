//! Helpers and backend-independent scenarios shared by the SQLite and Postgres tests.
#![allow(dead_code, unreachable_pub)]

pub mod pg;
pub mod scenarios;

use storelytics::generator::{GeneratorConfig, generate};
use storelytics::{Id, KpiOptions, Sales, kpi_report};
use storelytics_storage::{NewStore, Repository, Store};

/// Generated sales of two stores (different time zones), with returns and guests.
pub fn two_store_sales(lines: usize, seed: u64) -> Sales {
    let config = GeneratorConfig { seed, stores: 2, days: 120, lines, anomalies_per_store: 0, ..Default::default() };
    generate(&config).expect("generator").sales
}

/// A fresh, unique store code (tests share one database per backend run).
pub fn unique_code(prefix: &str) -> Id {
    Id::Str(format!("{prefix}-{}", uuid::Uuid::new_v4().simple()))
}

/// Creates the stores of `sales` (same codes and time zones).
pub async fn create_stores_of<R: Repository>(db: &R, sales: &Sales) -> Vec<Store> {
    let mut out = Vec::new();
    for s in sales.stores() {
        let new = NewStore::new(s.id.clone(), format!("store {}", s.id)).with_time_zone(s.time_zone.clone());
        out.push(db.create_store(&new).await.expect("create store"));
    }
    out
}

/// Creates `n` stores with unique codes.
pub async fn create_stores<R: Repository>(db: &R, n: usize) -> Vec<Store> {
    let mut out = Vec::new();
    for i in 0..n {
        let new = NewStore::new(unique_code(&format!("s{i}")), format!("store {i}")).with_time_zone("Europe/Berlin");
        out.push(db.create_store(&new).await.expect("create store"));
    }
    out
}

/// The KPI report of a table as JSON (default options: the data's date range).
pub fn kpi_json(sales: &Sales) -> serde_json::Value {
    serde_json::to_value(kpi_report(sales, &KpiOptions::default()).expect("kpi report")).expect("json")
}

/// CPU time (user + system) in seconds of the process `pid` (`"self"` for this one), from
/// Linux `/proc/<pid>/stat` at 100 ticks per second; `None` where that is not readable.
pub fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// The load average over the last minute, from `/proc/loadavg`.
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()
}
