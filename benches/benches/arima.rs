//! AutoARIMA and fixed-order ARIMA fit + forecast on daily store series (season 7) and
//! monthly series (season 12).

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use storelytics::forecast::Forecaster;
use storelytics::forecast::arima::{Arima, ArimaOrder, AutoArima, AutoArimaOptions, forecast_many};
use storelytics_benches::size;

/// A deterministic daily revenue series: trend, weekly pattern and AR(1) noise.
fn daily(n: usize, seed: u64) -> Vec<f64> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let weekly = [0.8, 0.7, 0.75, 0.9, 1.1, 1.5, 1.25];
    let mut noise = 0.0;
    (0..n)
        .map(|t| {
            noise = 0.5 * noise + (uniform() - 0.5) * 0.25;
            1000.0 * (1.0 + 0.3 * t as f64 / n as f64) * weekly[t % 7] * noise.exp()
        })
        .collect()
}

/// A monthly series with multiplicative seasonality.
fn monthly(n: usize) -> Vec<f64> {
    (0..n)
        .map(|t| {
            let season = 1.0 + 0.25 * ((t % 12) as f64 / 12.0 * std::f64::consts::TAU).sin();
            100.0 * 1.01f64.powi(t as i32) * season + ((t * 7919) % 13) as f64
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let auto = AutoArima::default();
    let y = daily(size(730, 120), 1);
    c.bench_function("auto_arima_daily_730_season7", |b| {
        b.iter(|| auto.fit_predict(black_box(&y), 7, 30, &[80.0, 95.0]).unwrap())
    });
    let m = monthly(size(144, 60));
    c.bench_function("auto_arima_monthly_144_season12", |b| {
        b.iter(|| auto.fit_predict(black_box(&m), 12, 12, &[80.0, 95.0]).unwrap())
    });
    let airline = Arima::new(ArimaOrder::new(0, 1, 1).with_seasonal(0, 1, 1, 12));
    c.bench_function("arima_airline_monthly_144", |b| {
        b.iter(|| airline.fit_predict(black_box(&m), 12, 12, &[95.0]).unwrap())
    });
    let weekly_model = Arima::new(ArimaOrder::new(1, 0, 1).with_seasonal(0, 1, 1, 7));
    c.bench_function("arima_101_011_daily_730", |b| {
        b.iter(|| weekly_model.fit_predict(black_box(&y), 7, 30, &[95.0]).unwrap())
    });
    let stores: Vec<Vec<f64>> = (0..size(16, 2) as u64).map(|s| daily(size(365, 90), s)).collect();
    let opts = AutoArimaOptions::default();
    let mut group = c.benchmark_group("many");
    group.sample_size(10);
    group.bench_function("auto_arima_16_daily_stores", |b| {
        b.iter(|| forecast_many(black_box(&stores), 7, 30, &[95.0], &opts))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
