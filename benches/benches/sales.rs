//! Foundation benches on generated data (1M and 10M line items at full size): Parquet
//! ingestion, the full KPI report, a daily trend and top-N rankings, next to the equivalent
//! polars LazyFrame queries on the same data.
#![allow(missing_docs)] // `criterion_group!` generates an undocumented entry point.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use polars::prelude::*;
use storelytics::generator::{GeneratorConfig, generate};
use storelytics::kpi::{KpiOptions, kpi_report};
use storelytics::rank::{Entity, RankOptions, rank};
use storelytics::sales::io::{ReadOptions, read_parquet};
use storelytics::trend::{TrendOptions, trend};
use storelytics::{Comparison, Metric, Period};
use storelytics_benches::{size, to_code_frame, to_contract_frame};

/// The KPI report's sums and distinct counts for one period, overall and per store, in polars.
fn polars_kpis(lf: LazyFrame, first: i32, last: i32) -> PolarsResult<[DataFrame; 3]> {
    let sale = col("quantity").gt(lit(0));
    let aggs = || {
        vec![
            col("amount").filter(sale.clone()).sum().alias("gross"),
            col("amount").filter(sale.clone().not()).sum().alias("returns"),
            col("amount").sum().alias("net"),
            col("cost").sum().alias("cost"),
            col("order").filter(sale.clone()).n_unique().alias("orders"),
            col("quantity").filter(sale.clone()).sum().alias("units"),
            col("customer").filter(sale.clone()).drop_nulls().n_unique().alias("customers"),
        ]
    };
    let in_period = lf.clone().filter(col("day").gt_eq(lit(first)).and(col("day").lt_eq(lit(last))));
    let overall = in_period.clone().select(aggs());
    let stores = in_period.clone().group_by([col("store")]).agg(aggs());
    // New and repeat customers: first purchase per customer over all data, orders per customer.
    let first_day =
        lf.filter(sale.clone().and(col("customer").is_not_null()))
            .group_by([col("customer")])
            .agg([col("day").min().alias("first_day")]);
    let per_customer = in_period
        .filter(sale.and(col("customer").is_not_null()))
        .group_by([col("customer")])
        .agg([col("order").n_unique().alias("orders")])
        .join(first_day, [col("customer")], [col("customer")], JoinArgs::new(JoinType::Left))
        .select([
            col("first_day").gt_eq(lit(first)).sum().alias("new"),
            col("orders").gt_eq(lit(2)).sum().alias("repeat"),
        ]);
    Ok([overall.collect()?, per_customer.collect()?, stores.collect()?])
}

fn polars_daily(lf: LazyFrame) -> PolarsResult<DataFrame> {
    lf.group_by([col("day")]).agg([col("amount").sum().alias("net")]).sort(["day"], Default::default()).collect()
}

fn bench(c: &mut Criterion) {
    let sizes = if storelytics_benches::full_size() { vec![1_000_000, 10_000_000] } else { vec![size(0, 20_000)] };
    let mut g = c.benchmark_group("sales");
    g.sample_size(10);
    for lines in sizes {
        let data = generate(&GeneratorConfig { lines, ..Default::default() }).expect("generator");
        let sales = data.sales;
        let range = sales.date_range().expect("data");
        let period = Period::last_days(range.end(), 30).expect("period");
        eprintln!(
            "{lines} target lines: {} line items, {:.1} column bytes per line, {:.1} total bytes per line",
            sales.len(),
            sales.column_bytes_per_line(),
            sales.heap_bytes() as f64 / sales.len().max(1) as f64
        );
        let path = std::env::temp_dir().join(format!("storelytics-bench-{lines}.parquet"));
        let mut contract = to_contract_frame(&sales).expect("frame");
        ParquetWriter::new(std::fs::File::create(&path).expect("temp file")).finish(&mut contract).expect("parquet");
        drop(contract);
        g.bench_with_input(BenchmarkId::new("parquet_ingest", lines), &path, |b, p| {
            b.iter(|| read_parquet(p, &ReadOptions::default()).expect("read"))
        });
        let kpi_opts = KpiOptions { period: Some(period), comparison: Comparison::None };
        g.bench_with_input(BenchmarkId::new("kpi_report", lines), &sales, |b, s| {
            b.iter(|| kpi_report(s, &kpi_opts).expect("kpis"))
        });
        let trend_opts = TrendOptions { period: Some(range), moving_average: 7, ..Default::default() };
        g.bench_with_input(BenchmarkId::new("daily_trend", lines), &sales, |b, s| {
            b.iter(|| trend(s, &trend_opts).expect("trend"))
        });
        for entity in [Entity::Product, Entity::Customer] {
            let o =
                RankOptions { entity, metric: Metric::NetRevenue, n: 10, period: Some(period), ..Default::default() };
            g.bench_with_input(BenchmarkId::new(format!("top10_{entity:?}").to_lowercase(), lines), &sales, |b, s| {
                b.iter(|| rank(s, &o).expect("rank"))
            });
        }
        let df = to_code_frame(&sales).expect("frame");
        let (first, last) = (period.start_day(), period.end_day());
        g.bench_with_input(BenchmarkId::new("polars_kpi_report", lines), &df, |b, df| {
            b.iter(|| polars_kpis(df.clone().lazy(), first, last).expect("polars"))
        });
        g.bench_with_input(BenchmarkId::new("polars_daily_trend", lines), &df, |b, df| {
            b.iter(|| polars_daily(df.clone().lazy()).expect("polars"))
        });
        let _ = std::fs::remove_file(&path);
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
