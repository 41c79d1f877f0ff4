//! The storelytics report: KPIs with comparison, a trend, top products and customers, customer
//! segments and the most valuable customers at risk, the anomalies of the last 90 days, a
//! 30-day net revenue forecast per store, demand forecasts for the top products, bundles and
//! recommendations.
//!
//! ```text
//! cargo run --release --example report                       # generated demo data
//! cargo run --release --example report -- sales.parquet      # your data (CSV or Parquet)
//! cargo run --release --example report -- sales.csv --map order_id=InvoiceNo --json
//! ```

mod anomalies;
mod args;
mod customers;
mod forecasts;
mod recommendations;
mod render;

use serde::Serialize;
use storelytics::generator::{GeneratorConfig, generate};
use storelytics::kpi::{KpiOptions, KpiReport, kpi_report};
use storelytics::rank::{Entity, RankOptions, Ranking, rank};
use storelytics::sales::io::{read_csv, read_parquet};
use storelytics::trend::{Trend, TrendOptions, trend};
use storelytics::{Granularity, Metric, Period, Result, Sales};

use args::{Args, Source};

/// Everything the report shows, as printed by `--json`.
#[derive(Serialize)]
struct Report {
    source: String,
    lines: usize,
    stores: Vec<String>,
    data_range: Option<Period>,
    kpi: KpiReport,
    weekly_trend: Trend,
    top_products: Ranking,
    top_customers: Ranking,
    customers: customers::CustomerSection,
    anomalies: Vec<anomalies::StoreAnomalies>,
    forecast: forecasts::StoreForecasts,
    demand: forecasts::DemandForecasts,
    recommendations: recommendations::RecommendationSection,
}

/// The sales, a description of the source, and the days the stores are closed (known for
/// generated data only).
fn load(args: &Args) -> Result<(Sales, String, Vec<chrono::NaiveDate>)> {
    match &args.source {
        Source::Generated { lines, seed } => {
            let data = generate(&GeneratorConfig { lines: *lines, seed: *seed, ..Default::default() })?;
            Ok((data.sales, format!("generated demo data (seed {seed}, ~{lines} line items)"), data.closed_days))
        }
        Source::Csv(path) => Ok((read_csv(path, &args.read)?, path.display().to_string(), vec![])),
        Source::Parquet(path) => Ok((read_parquet(path, &args.read)?, path.display().to_string(), vec![])),
    }
}

fn build(args: &Args) -> Result<Report> {
    let (sales, source, closed_days) = load(args)?;
    let range = sales.date_range();
    // Default period: the last 30 days of the data.
    let period = match (args.period, range) {
        (Some(p), _) => p,
        (None, Some(r)) => Period::last_days(r.end(), 30.min(r.len_days()))?,
        (None, None) => return Err(storelytics::Error::insufficient_data("the report", "the table has no lines")),
    };
    let kpi = kpi_report(&sales, &KpiOptions { period: Some(period), comparison: args.comparison })?;
    let trend_start =
        range.map(|r| r.start()).unwrap_or(period.start()).max(period.end() - chrono::Duration::weeks(12));
    let weekly_trend = trend(
        &sales,
        &TrendOptions {
            metric: Metric::NetRevenue,
            granularity: Granularity::Week,
            period: Some(Period::new(trend_start, period.end())?),
            moving_average: 4,
            ..Default::default()
        },
    )?;
    // Forecasts use the whole history up to the end of the report period.
    let history = Period::new(range.map(|r| r.start()).unwrap_or(period.start()).min(period.end()), period.end())?;
    let top = |entity| {
        rank(
            &sales,
            &RankOptions {
                entity,
                metric: Metric::NetRevenue,
                n: args.top,
                period: Some(period),
                comparison: args.comparison,
                ..Default::default()
            },
        )
    };
    let top_customers = top(Entity::Customer)?;
    let recommend_to: Vec<storelytics::Id> = top_customers.entries.iter().take(3).map(|e| e.id.clone()).collect();
    Ok(Report {
        source,
        lines: sales.len(),
        stores: sales.stores().iter().map(|s| format!("{} ({})", s.id, s.time_zone)).collect(),
        data_range: range,
        kpi,
        weekly_trend,
        top_products: top(Entity::Product)?,
        forecast: forecasts::stores(&sales, history)?,
        demand: forecasts::demand(&sales, history, args.top)?,
        recommendations: recommendations::build(&sales, args.top, &recommend_to, period.start())?,
        top_customers,
        customers: customers::build(&sales, args.top)?,
        anomalies: anomalies::recent(
            &sales,
            range.map(|r| r.start()).unwrap_or(period.start()),
            period.end(),
            &closed_days,
        )?,
    })
}

fn main() {
    let args = match args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("error: {msg}\n\n{}", args::USAGE);
            std::process::exit(2);
        }
    };
    match build(&args) {
        Ok(report) if args.json => match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: cannot encode the report: {e}");
                std::process::exit(1);
            }
        },
        Ok(report) => print!("{}", render::text(&report)),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
