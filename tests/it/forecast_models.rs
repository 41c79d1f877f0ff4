//! Forecasting models of the fcx area through the public API: edge cases for every model and
//! interval coverage on simulated data.

use std::sync::Arc;

use storelytics::forecast::auto::{AutoForecaster, AutoOptions, auto_forecast_many};
use storelytics::forecast::backtest::{BacktestOptions, backtest};
use storelytics::forecast::baseline::{HistoricMean, Naive, RandomWalkWithDrift, SeasonalNaive};
use storelytics::forecast::conformal::Conformal;
use storelytics::forecast::intermittent::{Croston, CrostonOptimized, Sba, Tsb};
use storelytics::forecast::mstl::{MstlForecaster, TrendModel};
use storelytics::forecast::ses::Ses;
use storelytics::forecast::theta::{AutoTheta, Theta, ThetaVariant};
use storelytics::forecast::{Forecaster, IntervalMethod, TimeSeries};

/// Small deterministic generator of standard normal draws (xorshift64* + Box–Muller).
struct Normal(u64);

impl Normal {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        ((self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn draw(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

fn all_models() -> Vec<Arc<dyn Forecaster>> {
    vec![
        Arc::new(Naive),
        Arc::new(SeasonalNaive),
        Arc::new(RandomWalkWithDrift),
        Arc::new(HistoricMean),
        Arc::new(Ses::default()),
        Arc::new(Croston),
        Arc::new(CrostonOptimized),
        Arc::new(Sba),
        Arc::new(Tsb::default()),
        Arc::new(Theta::default()),
        Arc::new(Theta { variant: ThetaVariant::DynamicOptimized }),
        Arc::new(AutoTheta::default()),
        Arc::new(MstlForecaster::default()),
        Arc::new(MstlForecaster { periods: vec![7, 365], trend: TrendModel::Ses, ..Default::default() }),
        Arc::new(Conformal::new(Theta::default())),
        Arc::new(AutoForecaster::default()),
        Arc::new(AutoForecaster { options: AutoOptions::thorough() }),
    ]
}

#[test]
fn every_model_handles_edge_cases_without_panicking() {
    let sine: Vec<f64> = (0..10).map(|t| (t as f64).sin()).collect();
    let cases: Vec<(&str, Vec<f64>)> = vec![
        ("one point", vec![4.0]),
        ("two points", vec![4.0, 6.0]),
        ("constant", vec![3.5; 40]),
        ("zeros", vec![0.0; 40]),
        ("shorter than two seasons", sine),
        ("huge", (0..40).map(|t| 1e300 * if t % 2 == 0 { 1.0 } else { -0.5 }).collect()),
        ("tiny", (0..40).map(|t| 1e-300 * (t % 3) as f64).collect()),
        ("negative", (0..40).map(|t| -5.0 - (t % 7) as f64).collect()),
        ("long", (0..5_000).map(|t| 100.0 + (t % 7) as f64 + (t % 365) as f64 * 0.01).collect()),
    ];
    for model in all_models() {
        for (label, y) in &cases {
            for levels in [&[][..], &[80.0, 95.0][..]] {
                match model.fit_predict(y, 7, 10, levels) {
                    Ok(f) => {
                        assert_eq!(f.mean.len(), 10, "{} on {label}", model.name());
                        assert!(f.mean.iter().all(|v| v.is_finite()), "{} on {label}: {:?}", model.name(), f.mean);
                        if !f.intervals.is_empty() {
                            assert_ne!(f.interval_method, IntervalMethod::None);
                        }
                        // SBA deliberately scales Croston by 0.95.
                        if *label == "constant" && model.name() != "SBA" {
                            assert!(f.mean.iter().all(|v| (v - 3.5).abs() < 1e-6), "{} on constant", model.name());
                        }
                    }
                    Err(e) => assert!(
                        ["insufficient_data", "numerical"].contains(&e.kind()),
                        "{} on {label}: {e}",
                        model.name()
                    ),
                }
            }
        }
        // Empty and NaN input are typed errors naming the problem.
        assert_eq!(model.fit_predict(&[], 7, 3, &[]).unwrap_err().kind(), "insufficient_data", "{}", model.name());
        let e = model.fit_predict(&[1.0, f64::NAN, 2.0], 7, 3, &[]).unwrap_err();
        assert!(e.to_string().contains("row 1"), "{}: {e}", model.name());
        assert_eq!(model.fit_predict(&[1.0, 2.0], 7, 0, &[]).unwrap_err().kind(), "invalid_parameter");
        assert_eq!(model.fit_predict(&[1.0, 2.0], 0, 1, &[]).unwrap_err().kind(), "invalid_parameter");
        assert_eq!(model.fit_predict(&[1.0, 2.0], 1, 1, &[100.0]).unwrap_err().kind(), "invalid_parameter");
    }
}

/// Share of actual values inside the 95% interval over `reps` simulated series.
fn coverage(
    model: &dyn Forecaster,
    reps: usize,
    horizon: usize,
    simulate: impl Fn(&mut Normal) -> Vec<f64>,
    m: usize,
) -> f64 {
    let mut rng = Normal(0x9E37_79B9_7F4A_7C15);
    let (mut inside, mut total) = (0usize, 0usize);
    for _ in 0..reps {
        let y = simulate(&mut rng);
        let (train, test) = y.split_at(y.len() - horizon);
        let f = model.fit_predict(train, m, horizon, &[95.0]).unwrap();
        let i = f.interval(95.0).unwrap();
        for (h, a) in test.iter().enumerate() {
            inside += usize::from(i.lower[h] <= *a && *a <= i.upper[h]);
            total += 1;
        }
    }
    inside as f64 / total as f64
}

fn random_walk(rng: &mut Normal, n: usize, drift: f64) -> Vec<f64> {
    let mut level = 100.0;
    (0..n)
        .map(|_| {
            level += drift + rng.draw();
            level
        })
        .collect()
}

#[test]
fn analytic_95_percent_intervals_cover_90_to_99_percent() {
    type Simulate = Box<dyn Fn(&mut Normal) -> Vec<f64>>;
    let cases: Vec<(&str, Box<dyn Forecaster>, Simulate, usize)> = vec![
        ("Naive", Box::new(Naive), Box::new(|r: &mut Normal| random_walk(r, 106, 0.0)), 1),
        ("Drift", Box::new(RandomWalkWithDrift), Box::new(|r: &mut Normal| random_walk(r, 106, 0.5)), 1),
        (
            "HistoricMean",
            Box::new(HistoricMean),
            Box::new(|r: &mut Normal| (0..106).map(|_| 10.0 + r.draw()).collect()),
            1,
        ),
        (
            "SeasonalNaive",
            Box::new(SeasonalNaive),
            Box::new(|r: &mut Normal| {
                let mut s = [0.0; 7];
                (0..112)
                    .map(|t| {
                        s[t % 7] += r.draw();
                        s[t % 7]
                    })
                    .collect()
            }),
            7,
        ),
        (
            // Local level: SES is the right model.
            "SES",
            Box::new(Ses::default()),
            Box::new(|r: &mut Normal| {
                let mut level = 50.0;
                (0..126)
                    .map(|_| {
                        let e = r.draw();
                        let y = level + e;
                        level += 0.4 * e;
                        y
                    })
                    .collect()
            }),
            1,
        ),
        (
            // SES with drift: the Theta model's state space.
            "Theta",
            Box::new(Theta::default()),
            Box::new(|r: &mut Normal| {
                let mut level = 50.0;
                (0..126)
                    .map(|_| {
                        let e = r.draw();
                        let y = level + 0.3 + e;
                        level += 0.3 + 0.5 * e;
                        y
                    })
                    .collect()
            }),
            1,
        ),
    ];
    for (name, model, simulate, m) in cases {
        let c = coverage(model.as_ref(), 300, 6, simulate, m);
        assert!((0.90..=0.99).contains(&c), "{name}: 95% interval coverage {c}");
    }
}

#[test]
fn conformal_95_percent_intervals_cover_90_to_99_percent() {
    let iid = |r: &mut Normal| (0..80).map(|_| 20.0 + 3.0 * r.draw()).collect::<Vec<_>>();
    let c = coverage(&Conformal::new(HistoricMean), 300, 4, iid, 1);
    assert!((0.90..=0.99).contains(&c), "conformal coverage {c}");
    // Intermittent demand: Bernoulli occurrences with positive sizes; Croston's intervals are conformal.
    let sporadic = |r: &mut Normal| {
        (0..150)
            .map(|_| if r.uniform() < 0.3 { (4.0 + 2.0 * r.draw()).abs().round() + 1.0 } else { 0.0 })
            .collect::<Vec<_>>()
    };
    let c = coverage(&Croston, 300, 4, sporadic, 1);
    assert!((0.90..=0.99).contains(&c), "Croston conformal coverage {c}");
}

#[test]
fn backtest_and_many_series_through_public_api() {
    let y: Vec<f64> = (0..120).map(|t| 10.0 + (t % 7) as f64).collect();
    let b = backtest(&SeasonalNaive, &y, 7, &BacktestOptions::default()).unwrap();
    let s = b.scores.unwrap();
    assert_eq!(s.mase, 0.0);
    assert_eq!(s.coverage.len(), 2);
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let series: Vec<TimeSeries> = (0..6)
        .map(|k| {
            let values: Vec<f64> =
                (0..100).map(|t| if k == 5 && t == 3 { f64::NAN } else { (t % 7 + k) as f64 }).collect();
            TimeSeries::new(format!("s{k}"), start, storelytics::calendar::Granularity::Day, values, 7).unwrap()
        })
        .collect();
    let out = auto_forecast_many(&series, 7, &AutoOptions::default());
    assert_eq!(out.len(), 6);
    assert!(out[..5].iter().all(|r| r.is_ok()));
    assert!(out[5].is_err());
}
