//! Anomaly detection: 1,000 daily series of two years through the default detector
//! (S-H-ESD), and each other detector on 100 series.
#![allow(missing_docs)] // `criterion_group!` generates an undocumented entry point.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use storelytics::anomaly::{AnomalyOptions, Detector, detect_many};
use storelytics::{calendar::Granularity, forecast::TimeSeries};
use storelytics_benches::size;

/// Daily revenue of `count` stores over `days`: trend, weekly and yearly pattern, multiplicative
/// noise and a few spikes and drops (deterministic).
fn series(count: usize, days: usize) -> Vec<TimeSeries> {
    let mut state = 0x1234_5678_9ABC_DEF0u64;
    let mut uniform = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let week = [0.9, 0.85, 0.95, 1.0, 1.15, 1.35, 1.1];
    let start = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap_or(NaiveDate::MIN);
    (0..count)
        .map(|s| {
            let base = 500.0 + 2000.0 * uniform();
            let values: Vec<f64> = (0..days)
                .map(|d| {
                    let yearly = 1.0 + 0.15 * (std::f64::consts::TAU * d as f64 / 365.25).sin();
                    let noise = 1.0 + 0.08 * (uniform() + uniform() + uniform() - 1.5) * 2.0;
                    let event = match uniform() {
                        u if u < 0.005 => 2.0,
                        u if u > 0.995 => 0.3,
                        _ => 1.0,
                    };
                    base * (1.0 + 0.0003 * d as f64) * week[d % 7] * yearly * noise * event
                })
                .collect();
            TimeSeries::new(format!("store {s}"), start, Granularity::Day, values, 7)
                .unwrap_or_else(|e| panic!("bench data: {e}"))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let many = series(size(1000, 20), 730);
    let mut group = c.benchmark_group("anomaly");
    group.sample_size(10);
    group.bench_function("seasonal_esd_1000_series_730_days", |b| {
        b.iter(|| detect_many(&many, &AnomalyOptions::default()))
    });
    let hundred = &many[..many.len().min(100)];
    for detector in Detector::ALL.into_iter().skip(1) {
        let options = AnomalyOptions { detector, ..Default::default() };
        group.bench_function(format!("{}_100_series_730_days", detector.name()), |b| {
            b.iter(|| detect_many(hundred, &options))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
