//! Timing and accuracy figures of the automatic choice on a two-year daily series, per
//! candidate set. Not a pass/fail test: run with
//! `cargo test --release -p storelytics --no-default-features --features parallel,generator --lib
//! forecast::auto::timing -- --ignored --nocapture`.

use std::time::Instant;

use super::*;
use crate::forecast::backtest::{BacktestOptions, backtest};

/// Daily sales with a weekly and a yearly pattern, a trend and deterministic noise.
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
            200.0 * week[t % 7] * year + 0.05 * t as f64 + 40.0 * noise
        })
        .collect()
}

#[test]
#[ignore = "prints timing figures; run with --ignored --nocapture"]
fn timing_on_two_year_daily_series() {
    let (horizon, n) = (30, 730);
    let cv = BacktestOptions { horizon, step: horizon, n_windows: 5, levels: Vec::new() };
    let y = daily_sales(n, 1);
    println!("per candidate: 5-window backtest of {horizon} days on {n} daily points (season 7)");
    let arima: Candidate = std::sync::Arc::new(crate::forecast::arima::AutoArima::default());
    for c in default_candidates(7, Thoroughness::Thorough).iter().chain([&arima]) {
        let t = Instant::now();
        let b = backtest(c.as_ref(), &y, 7, &cv);
        let mase = b.ok().and_then(|b| b.scores).map_or(f64::NAN, |s| s.mase);
        println!("  {:<22} {:>9.1} ms  MASE {mase:.3}", c.name(), t.elapsed().as_secs_f64() * 1e3);
    }
    // The candidate lists before AutoETS joined them, for comparison.
    let without_ets = |t: Thoroughness| -> Option<Vec<Candidate>> {
        Some(default_candidates(7, t).into_iter().filter(|c| c.name() != "AutoETS").collect())
    };
    let sets: [(&str, AutoOptions); 6] = [
        ("fast, no AutoETS", AutoOptions { candidates: without_ets(Thoroughness::Fast), ..Default::default() }),
        ("fast (default)", AutoOptions::default()),
        ("fast + AutoARIMA", AutoOptions { include_arima: true, ..Default::default() }),
        (
            "thorough, no AutoETS",
            AutoOptions { candidates: without_ets(Thoroughness::Thorough), ..AutoOptions::thorough() },
        ),
        ("thorough", AutoOptions::thorough()),
        ("thorough + AutoARIMA", AutoOptions { include_arima: true, ..AutoOptions::thorough() }),
    ];
    println!(
        "automatic choice, horizon {horizon}, mean over 4 series: time and holdout MASE of the last {horizon} days"
    );
    for (label, options) in sets {
        let (mut secs, mut mase, mut chosen) = (0.0, 0.0, Vec::new());
        for seed in 1..=4 {
            let full = daily_sales(n + horizon, seed);
            let (train, test) = full.split_at(n);
            let t = Instant::now();
            let c = auto_forecast(train, 7, horizon, &options);
            secs += t.elapsed().as_secs_f64();
            match c {
                Ok(c) => {
                    mase += holdout_mase(train, test, &c.forecast.mean, 7) / 4.0;
                    chosen.push(c.chosen);
                }
                Err(e) => chosen.push(e.to_string()),
            }
        }
        println!("  {label:<22} {:>9.1} ms per series  MASE {mase:.3}  chose {chosen:?}", secs * 1e3 / 4.0);
    }
}

/// Mean absolute error over the seasonal-naive in-sample scale.
fn holdout_mase(train: &[f64], test: &[f64], forecast: &[f64], m: usize) -> f64 {
    let scale = train.windows(m + 1).map(|w| (w[m] - w[0]).abs()).sum::<f64>() / (train.len() - m) as f64;
    let mae = test.iter().zip(forecast).map(|(a, f)| (a - f).abs()).sum::<f64>() / test.len() as f64;
    mae / scale
}
