//! Reference-test tool for KPIs, trends and rankings: generates data, writes it as CSV for
//! the reference engine and prints storelytics' results.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use storelytics::generator::{GeneratorConfig, generate};
use storelytics::kpi::{KpiOptions, KpiReport, kpi_report};
use storelytics::rank::{RankOptions, RankOrder, Ranking, rank};
use storelytics::sales::{GUEST, QUANTITY_SCALE, Sales};
use storelytics::trend::{Trend, TrendOptions, trend};
use storelytics::{Error, Id, Period, Result};

#[derive(Deserialize)]
struct Request {
    seed: u64,
    lines: usize,
    stores: usize,
    days: u32,
    start: NaiveDate,
    csv_path: String,
    #[serde(default)]
    kpi: Vec<KpiRequest>,
    #[serde(default)]
    trends: Vec<TrendRequest>,
    #[serde(default)]
    rankings: Vec<RankRequest>,
}

#[derive(Deserialize)]
struct KpiRequest {
    period: (NaiveDate, NaiveDate),
    comparison: String,
}

#[derive(Deserialize)]
struct TrendRequest {
    metric: String,
    granularity: String,
    period: (NaiveDate, NaiveDate),
    store: Option<String>,
    moving_average: usize,
}

#[derive(Deserialize)]
struct RankRequest {
    entity: String,
    metric: String,
    n: usize,
    bottom: bool,
    period: (NaiveDate, NaiveDate),
    comparison: String,
    store: Option<String>,
}

#[derive(Serialize)]
struct Answer {
    kpi: Vec<KpiReport>,
    trends: Vec<Trend>,
    rankings: Vec<Ranking>,
}

fn period(p: (NaiveDate, NaiveDate)) -> Result<Period> {
    Period::new(p.0, p.1)
}

fn write_csv(sales: &Sales, path: &str) -> Result<()> {
    let mut out = String::with_capacity(sales.len() * 96);
    out.push_str("store_id,time_zone,order_id,ts,product_id,category,customer_id,quantity,amount,cost\n");
    let costs = sales.costs().unwrap_or(&[]);
    for st in sales.stores() {
        for i in st.rows.clone() {
            let ts = chrono::DateTime::from_timestamp_micros(sales.ts_micros()[i]).unwrap_or_default();
            let p = sales.product_codes()[i];
            let c = sales.customer_codes()[i];
            let category = sales.product_category(p).map(|k| sales.categories().id(k).to_string()).unwrap_or_default();
            let customer = if c == GUEST { String::new() } else { sales.customers().id(c).to_string() };
            let q = sales.quantities_milli()[i];
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{}.{:03},{},{}",
                st.id,
                st.time_zone,
                sales.orders().id(sales.order_codes()[i]),
                ts.format("%Y-%m-%dT%H:%M:%S%.6fZ"),
                sales.products().id(p),
                category,
                customer,
                if q < 0 { "-" } else { "" }.to_string() + &(q.abs() / QUANTITY_SCALE).to_string(),
                q.abs() % QUANTITY_SCALE,
                cents(sales.amounts()[i]),
                cents(costs.get(i).copied().unwrap_or(0)),
            );
        }
    }
    std::fs::write(path, out).map_err(|e| Error::Io { path: path.to_string(), problem: e.to_string() })
}

fn cents(v: i64) -> String {
    format!("{}{}.{:02}", if v < 0 { "-" } else { "" }, v.abs() / 100, v.abs() % 100)
}

fn main() {
    storelytics_tests::run_json(|req: Request| -> Result<Answer> {
        let data = generate(&GeneratorConfig {
            seed: req.seed,
            lines: req.lines,
            stores: req.stores,
            days: req.days,
            start: req.start,
            ..Default::default()
        })?;
        let sales = data.sales;
        write_csv(&sales, &req.csv_path)?;
        let kpi = req
            .kpi
            .iter()
            .map(|k| {
                kpi_report(&sales, &KpiOptions { period: Some(period(k.period)?), comparison: k.comparison.parse()? })
            })
            .collect::<Result<_>>()?;
        let trends = req
            .trends
            .iter()
            .map(|t| {
                trend(
                    &sales,
                    &TrendOptions {
                        metric: t.metric.parse()?,
                        granularity: t.granularity.parse()?,
                        period: Some(period(t.period)?),
                        store: t.store.clone().map(Id::Str),
                        moving_average: t.moving_average,
                    },
                )
            })
            .collect::<Result<_>>()?;
        let rankings = req
            .rankings
            .iter()
            .map(|r| {
                rank(
                    &sales,
                    &RankOptions {
                        entity: r.entity.parse()?,
                        metric: r.metric.parse()?,
                        n: r.n,
                        order: if r.bottom { RankOrder::Bottom } else { RankOrder::Top },
                        period: Some(period(r.period)?),
                        comparison: r.comparison.parse()?,
                        store: r.store.clone().map(Id::Str),
                    },
                )
            })
            .collect::<Result<_>>()?;
        Ok(Answer { kpi, trends, rankings })
    });
}
