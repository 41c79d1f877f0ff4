//! Times the KPI report on generated sales (release build; best of several runs).
//!
//! Usage: `kpi_timing [lines] [runs]` (default 10,000,000 lines, 7 runs). Generates the default
//! three-store, two-year table and times `kpi_report` for the whole range (compared with the
//! previous period) and for the second year compared with the same period last year; prints
//! JSON with the best times in seconds.

use std::time::Instant;

use storelytics::generator::{GeneratorConfig, generate};
use storelytics::kpi::{KpiOptions, kpi_report};
use storelytics::{Comparison, Period};

fn best_of(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

fn main() -> Result<(), storelytics::Error> {
    let args: Vec<String> = std::env::args().collect();
    let lines: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10_000_000);
    let runs: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(7);
    let sales = generate(&GeneratorConfig { lines, ..Default::default() })?.sales;
    let range = sales.date_range().ok_or_else(|| storelytics::Error::insufficient_data("timing", "no lines"))?;
    let second_year = Period::new(range.start() + chrono::Days::new(365), range.end())?;
    let whole = KpiOptions { period: Some(range), comparison: Comparison::PreviousPeriod };
    let year = KpiOptions { period: Some(second_year), comparison: Comparison::SamePeriodLastYear };
    let mut failed = None;
    let whole_s = best_of(runs, || failed = kpi_report(&sales, &whole).err().or(failed.take()));
    let year_s = best_of(runs, || failed = kpi_report(&sales, &year).err().or(failed.take()));
    if let Some(e) = failed {
        return Err(e);
    }
    println!(
        "{{\"lines\": {}, \"runs\": {runs}, \"kpi_whole_range_seconds\": {whole_s:.4}, \"kpi_year_vs_last_year_seconds\": {year_s:.4}}}",
        sales.len()
    );
    Ok(())
}
