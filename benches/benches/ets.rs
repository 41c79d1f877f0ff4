//! ETS / AutoETS on generated daily (weekly season) and monthly (yearly season) sales series.

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use storelytics::forecast::Forecaster;
use storelytics::forecast::ets::{AutoEts, Ets, EtsSpec};
use storelytics_benches::size;

/// A deterministic positive sales-like series: level, trend, season and pseudo-random noise.
fn sales_series(n: usize, m: usize, seed: u64) -> Vec<f64> {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (0..n)
        .map(|t| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let noise = ((state >> 33) as f64 / (1u64 << 31) as f64) - 0.5;
            let season = 1.0 + 0.25 * (t as f64 * std::f64::consts::TAU / m as f64).sin();
            (500.0 + 0.4 * t as f64) * season + 40.0 * noise
        })
        .collect()
}

fn bench_ets(c: &mut Criterion) {
    let daily = sales_series(size(730, 120), 7, 1);
    let monthly = sales_series(size(144, 48), 12, 2);
    let mut group = c.benchmark_group("ets");
    group.sample_size(10);
    group.bench_function("auto_ets_daily_730_m7", |b| {
        b.iter(|| AutoEts::default().fit_predict(black_box(&daily), 7, 28, &[80.0, 95.0]).unwrap())
    });
    group.bench_function("auto_ets_monthly_144_m12", |b| {
        b.iter(|| AutoEts::default().fit_predict(black_box(&monthly), 12, 12, &[80.0, 95.0]).unwrap())
    });
    let aada = Ets::new(EtsSpec::parse("AAdA").unwrap());
    group.bench_function("ets_aada_daily_730_m7", |b| {
        b.iter(|| aada.fit_predict(black_box(&daily), 7, 28, &[95.0]).unwrap())
    });
    let mam = Ets::new(EtsSpec::parse("MAM").unwrap());
    group.bench_function("ets_mam_monthly_144_m12_simulated_intervals", |b| {
        b.iter(|| mam.fit_predict(black_box(&monthly), 12, 12, &[95.0]).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench_ets);
criterion_main!(benches);
