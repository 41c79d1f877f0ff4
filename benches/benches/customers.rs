//! RFM + segments on generated sales (10M line items, ~400k customers at full size) and
//! k-means on the resulting standardised log-RFM matrix.

#![allow(missing_docs)] // criterion_group! generates an undocumented public function.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use storelytics::customers::{ClusterOptions, RfmOptions, cluster_customers, kmeans, rfm};
use storelytics::generator::{GeneratorConfig, generate};
use storelytics_benches::size;

fn bench_customers(c: &mut Criterion) {
    let lines = size(10_000_000, 40_000);
    let config = GeneratorConfig { lines, stores: 1, customers: lines / 25, guest_share: 0.1, ..Default::default() };
    let Ok(data) = generate(&config) else { return };
    let sales = data.sales;
    let mut group = c.benchmark_group("customers");
    group.sample_size(10);
    group.bench_function(format!("rfm_segments_{}_lines", sales.len()), |b| {
        b.iter(|| {
            let table = rfm(black_box(&sales), &RfmOptions::default()).ok();
            black_box(table.map(|t| t.segment_summary()))
        })
    });
    let Ok(table) = rfm(&sales, &RfmOptions::default()) else { return };
    let Ok(clusters) = cluster_customers(&table, &ClusterOptions { k: Some(5), ..Default::default() }) else { return };
    let flat: Vec<f64> = clusters.features.iter().flatten().copied().collect();
    let options = ClusterOptions { runs: 1, ..Default::default() };
    group.bench_function(format!("kmeans_k5_{}_customers", table.rows.len()), |b| {
        b.iter(|| black_box(kmeans(black_box(&flat), 3, 5, &options).ok()))
    });
    group.finish();
}

criterion_group!(benches, bench_customers);
criterion_main!(benches);
