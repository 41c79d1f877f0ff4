//! Forecasting benches: single models on a two-year daily series and the automatic choice
//! over many series.
// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use storelytics::calendar::Granularity;
use storelytics::forecast::Forecaster;
use storelytics::forecast::TimeSeries;
use storelytics::forecast::auto::{AutoOptions, auto_forecast_many};
use storelytics::forecast::backtest::{BacktestOptions, backtest};
use storelytics::forecast::baseline::SeasonalNaive;
use storelytics::forecast::intermittent::{CrostonOptimized, Tsb};
use storelytics::forecast::mstl::MstlForecaster;
use storelytics::forecast::theta::{AutoTheta, Theta};
use storelytics_benches::size;

/// Deterministic daily sales with weekly and yearly seasonality and noise.
fn daily_sales(n: usize, seed: u64) -> Vec<f64> {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407) | 1;
    let week = [1.3, 0.8, 0.85, 0.9, 1.0, 1.25, 0.9];
    (0..n)
        .map(|t| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = (state % 1000) as f64 / 1000.0 - 0.5;
            let year = 1.0 + 0.2 * (2.0 * std::f64::consts::PI * t as f64 / 365.25).sin();
            200.0 * week[t % 7] * year + 0.05 * t as f64 + 20.0 * noise
        })
        .collect()
}

/// Deterministic intermittent demand: about one day in four sells.
fn sporadic(n: usize, seed: u64) -> Vec<f64> {
    let mut state = seed | 1;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if state.is_multiple_of(4) { (1 + state % 5) as f64 } else { 0.0 }
        })
        .collect()
}

fn models(c: &mut Criterion) {
    let y = daily_sales(size(730, 120), 1);
    let z = sporadic(size(730, 120), 2);
    let mut g = c.benchmark_group("fcx_models");
    g.bench_function("theta", |b| b.iter(|| Theta::default().fit_predict(black_box(&y), 7, 28, &[95.0])));
    g.bench_function("auto_theta", |b| b.iter(|| AutoTheta::default().fit_predict(black_box(&y), 7, 28, &[95.0])));
    g.bench_function("mstl_7_365", |b| {
        let m = MstlForecaster { periods: vec![7, 365], ..Default::default() };
        b.iter(|| m.fit_predict(black_box(&y), 7, 28, &[95.0]))
    });
    g.bench_function("croston_optimized_conformal", |b| {
        b.iter(|| CrostonOptimized.fit_predict(black_box(&z), 7, 28, &[95.0]))
    });
    g.bench_function("tsb", |b| b.iter(|| Tsb::default().fit_predict(black_box(&z), 7, 28, &[])));
    g.bench_function("backtest_seasonal_naive", |b| {
        b.iter(|| backtest(&SeasonalNaive, black_box(&y), 7, &BacktestOptions::default()))
    });
    g.finish();
}

fn auto_choice(c: &mut Criterion) {
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let series: Vec<TimeSeries> = (0..size(200, 4))
        .filter_map(|k| {
            let values =
                if k % 4 == 3 { sporadic(size(365, 90), k as u64) } else { daily_sales(size(365, 90), k as u64) };
            TimeSeries::new(format!("s{k}"), start, Granularity::Day, values, 7).ok()
        })
        .collect();
    let mut g = c.benchmark_group("fcx_auto");
    g.sample_size(10);
    g.bench_function("auto_fast_many", |b| {
        b.iter(|| auto_forecast_many(black_box(&series), 14, &AutoOptions::default()))
    });
    g.bench_function("auto_thorough_many", |b| {
        b.iter(|| auto_forecast_many(black_box(&series), 14, &AutoOptions::thorough()))
    });
    g.finish();
}

criterion_group!(benches, models, auto_choice);
criterion_main!(benches);
