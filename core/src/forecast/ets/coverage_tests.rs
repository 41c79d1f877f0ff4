//! Interval coverage on data simulated from known ETS models (seeded): the 95% intervals of the
//! refitted model must cover 90–99% of the held-out values.

use super::intervals::{Simulation, simulate_paths};
use super::recursion::{EtsParams, EtsStates, Kernel};
use super::spec::EtsSpec;
use super::{EtsOptions, fit_ets};

#[allow(clippy::too_many_arguments)]
/// Simulates `reps` series of `n + horizon` values, fits `code` on the first `n`, and returns
/// the share of the last `horizon` values inside the 95% interval.
fn coverage(
    code: &str,
    m: usize,
    p: EtsParams,
    start: EtsStates,
    sigma2: f64,
    n: usize,
    horizon: usize,
    reps: usize,
) -> f64 {
    let spec = EtsSpec::parse(code).unwrap();
    let kernel = Kernel { spec, m, p };
    let sim = Simulation { sigma2, sd_scale: 1.0, horizon: n + horizon, paths: reps, seed: 2024 };
    let paths = simulate_paths(&kernel, &start, sim);
    let options = EtsOptions { simulation_paths: 2000, ..Default::default() };
    let (mut inside, mut total) = (0usize, 0usize);
    for r in 0..reps {
        let series: Vec<f64> = paths.iter().map(|step| step[r]).collect();
        let fit = fit_ets(&series[..n], m, spec, &options).unwrap();
        let fc = fit.forecast(horizon, &[95.0]).unwrap();
        let pi = fc.interval(95.0).unwrap();
        for h in 0..horizon {
            let y = series[n + h];
            total += 1;
            if y >= pi.lower[h] && y <= pi.upper[h] {
                inside += 1;
            }
        }
    }
    inside as f64 / total as f64
}

fn states(level: f64, growth: f64, season: Vec<f64>) -> EtsStates {
    EtsStates { level, growth, season }
}

#[test]
fn simple_exponential_smoothing_intervals_cover_nominally() {
    let p = EtsParams { alpha: 0.3, beta: 0.0, gamma: 0.0, phi: 1.0 };
    let c = coverage("ANN", 1, p, states(100.0, 0.0, vec![]), 25.0, 60, 6, 300);
    eprintln!("ANN coverage {c}");
    assert!((0.90..=0.99).contains(&c), "ANN coverage {c}");
}

#[test]
fn additive_holt_winters_intervals_cover_nominally() {
    let p = EtsParams { alpha: 0.2, beta: 0.02, gamma: 0.1, phi: 1.0 };
    let c = coverage("AAA", 4, p, states(100.0, 0.5, vec![-6.0, 3.0, -2.0, 5.0]), 16.0, 120, 8, 150);
    eprintln!("AAA coverage {c}");
    assert!((0.90..=0.99).contains(&c), "AAA coverage {c}");
}

#[test]
fn multiplicative_error_intervals_cover_nominally() {
    let p = EtsParams { alpha: 0.4, beta: 0.0, gamma: 0.0, phi: 1.0 };
    let c = coverage("MNN", 1, p, states(50.0, 0.0, vec![]), 0.01, 60, 6, 200);
    eprintln!("MNN coverage {c}");
    assert!((0.90..=0.99).contains(&c), "MNN coverage {c}");
}

#[test]
fn simulated_multiplicative_season_intervals_cover_nominally() {
    let p = EtsParams { alpha: 0.3, beta: 0.0, gamma: 0.05, phi: 1.0 };
    let c = coverage("MNM", 4, p, states(80.0, 0.0, vec![0.9, 1.2, 0.8, 1.1]), 0.004, 60, 8, 100);
    eprintln!("MNM coverage {c}");
    assert!((0.90..=0.99).contains(&c), "MNM coverage {c}");
}
