//! ETS / AutoETS through the public API: edge cases never panic and give a typed error or a
//! documented fallback, and the fitted models behave as the state-space maths says.

use storelytics::Error;
use storelytics::forecast::Forecaster;
use storelytics::forecast::ets::{
    AutoEts, AutoEtsOptions, Ets, EtsOptions, EtsSpec, InformationCriterion, apply_ets, auto_ets, fit_ets,
};

fn seasonal_series(n: usize, m: usize) -> Vec<f64> {
    (0..n)
        .map(|t| {
            let season = 10.0 * (t as f64 * std::f64::consts::TAU / m as f64).sin();
            let noise = ((t * 7919) % 13) as f64 / 13.0 - 0.5;
            100.0 + 0.5 * t as f64 + season + 2.0 * noise
        })
        .collect()
}

fn all_forecasters() -> Vec<Box<dyn Forecaster>> {
    vec![
        Box::new(AutoEts::default()),
        Box::new(Ets::new(EtsSpec::parse("ANN").unwrap())),
        Box::new(Ets::new(EtsSpec::parse("AAdA").unwrap())),
        Box::new(Ets::new(EtsSpec::parse("MAM").unwrap())),
    ]
}

#[test]
fn empty_and_too_short_series_are_insufficient_data() {
    for f in all_forecasters() {
        for y in [vec![], vec![5.0], vec![5.0, 6.0], vec![5.0, 6.0, 7.0]] {
            let err = f.fit_predict(&y, 1, 3, &[95.0]).unwrap_err();
            assert!(matches!(err, Error::InsufficientData { .. }), "{} on {y:?}: {err}", f.name());
        }
    }
}

#[test]
fn nan_and_infinite_values_are_invalid() {
    for f in all_forecasters() {
        let mut y = seasonal_series(40, 4);
        y[7] = f64::NAN;
        let err = f.fit_predict(&y, 4, 3, &[]).unwrap_err();
        assert!(err.to_string().contains("observation 7"), "{err}");
        y[7] = f64::INFINITY;
        assert!(matches!(f.fit_predict(&y, 4, 3, &[]).unwrap_err(), Error::InvalidParameter { .. }));
    }
}

#[test]
fn bad_parameters_are_errors() {
    let y = seasonal_series(40, 4);
    let auto = AutoEts::default();
    assert!(matches!(auto.fit_predict(&y, 0, 3, &[]).unwrap_err(), Error::InvalidParameter { .. }));
    assert!(matches!(auto.fit_predict(&y, 4, 0, &[]).unwrap_err(), Error::InvalidParameter { .. }));
    assert!(matches!(auto.fit_predict(&y, 4, 3, &[100.0]).unwrap_err(), Error::InvalidParameter { .. }));
    let bad_model = AutoEts { options: AutoEtsOptions { model: "QQQ".into(), ..Default::default() } };
    assert!(matches!(bad_model.fit_predict(&y, 4, 3, &[]).unwrap_err(), Error::InvalidParameter { .. }));
    assert!(EtsSpec::parse("AAdX").is_err());
}

#[test]
fn constant_and_all_zero_series_use_the_constant_fallback() {
    for value in [0.0, 42.0, -3.5] {
        let y = vec![value; 30];
        for f in
            [Box::new(AutoEts::default()) as Box<dyn Forecaster>, Box::new(Ets::new(EtsSpec::parse("AAN").unwrap()))]
        {
            let fc = f.fit_predict(&y, 7, 5, &[95.0]).unwrap();
            assert_eq!(fc.mean, vec![value; 5], "{}", f.name());
            let pi = fc.interval(95.0).unwrap();
            assert_eq!(pi.lower, vec![value; 5]);
            assert_eq!(pi.upper, vec![value; 5]);
            assert!(fc.notes.iter().any(|n| n.contains("constant series")), "{:?}", fc.notes);
        }
    }
}

#[test]
fn multiplicative_models_need_positive_data() {
    let mut y = seasonal_series(40, 4);
    y[3] = 0.0;
    let err = Ets::new(EtsSpec::parse("MNN").unwrap()).fit_predict(&y, 1, 3, &[]).unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { .. }), "{err}");
    // AutoETS skips them and says so.
    let fit = auto_ets(&y, 4, &AutoEtsOptions::default()).unwrap();
    assert!(!fit.best.spec.needs_positive_data());
    assert!(fit.candidates.iter().all(|c| !c.spec.needs_positive_data()));
    assert!(fit.best.notes.iter().any(|n| n.contains("multiplicative")), "{:?}", fit.best.notes);
}

#[test]
fn fewer_than_two_seasons_drops_the_season_with_a_note() {
    let y = seasonal_series(20, 12);
    let fc = AutoEts::default().fit_predict(&y, 12, 6, &[80.0]).unwrap();
    assert!(fc.model.ends_with(",N)"), "{}", fc.model);
    assert!(fc.notes.iter().any(|n| n.contains("shorter than two seasons")), "{:?}", fc.notes);
    let fc = Ets::new(EtsSpec::parse("AAA").unwrap()).fit_predict(&y, 12, 6, &[80.0]).unwrap();
    assert_eq!(fc.model, "ETS(A,A,N)");
    let fc = Ets::new(EtsSpec::parse("ANA").unwrap()).fit_predict(&y, 1, 6, &[]).unwrap();
    assert_eq!(fc.model, "ETS(A,N,N)");
    assert!(fc.notes.iter().any(|n| n.contains("season length 1")), "{:?}", fc.notes);
}

#[test]
fn huge_values_are_rescaled_and_forecasts_scale_with_the_data() {
    let y = seasonal_series(48, 4);
    let big: Vec<f64> = y.iter().map(|v| v * 1e250).collect();
    for spec in ["AAA", "MAM", "MNN"] {
        let small_fit = fit_ets(&y, 4, EtsSpec::parse(spec).unwrap(), &EtsOptions::default()).unwrap();
        let big_fit = fit_ets(&big, 4, EtsSpec::parse(spec).unwrap(), &EtsOptions::default()).unwrap();
        assert!(big_fit.notes.iter().any(|n| n.contains("divided")), "{:?}", big_fit.notes);
        let a = small_fit.forecast(4, &[95.0]).unwrap();
        let b = big_fit.forecast(4, &[95.0]).unwrap();
        for (x, z) in a.mean.iter().zip(&b.mean) {
            assert!(z.is_finite());
            assert!((z / 1e250 - x).abs() < 1e-3 * x.abs(), "{spec}: {x} vs {z}");
        }
        assert!(b.interval(95.0).unwrap().upper.iter().all(|v| v.is_finite()));
        // -2 log L shifts by 2 n log(scale).
        let shift = 48.0 * 1e250f64.ln();
        assert!((big_fit.loglik + shift - small_fit.loglik).abs() < 1e-3 * shift.abs(), "{spec}");
    }
    let fc = AutoEts::default().fit_predict(&big, 4, 4, &[95.0]).unwrap();
    assert!(fc.mean.iter().all(|v| v.is_finite() && *v > 1e251));
}

#[test]
fn seasonal_data_selects_a_seasonal_model_and_forecasts_the_pattern() {
    let y = seasonal_series(96, 12);
    let fit = auto_ets(&y, 12, &AutoEtsOptions::default()).unwrap();
    assert!(fit.best.spec.is_seasonal(), "{}", fit.best.spec);
    // The chosen model has the smallest AICc of all candidates.
    let min = fit.candidates.iter().map(|c| c.aicc).fold(f64::INFINITY, f64::min);
    assert_eq!(fit.best.aicc, min);
    let fc = fit.best.forecast(12, &[80.0, 95.0]).unwrap();
    let truth: Vec<f64> = seasonal_series(108, 12)[96..].to_vec();
    let mae: f64 = fc.mean.iter().zip(&truth).map(|(a, b)| (a - b).abs()).sum::<f64>() / 12.0;
    assert!(mae < 3.0, "mae {mae}");
    let (p80, p95) = (fc.interval(80.0).unwrap(), fc.interval(95.0).unwrap());
    for h in 0..12 {
        assert!(p95.lower[h] < p80.lower[h] && p80.lower[h] < fc.mean[h]);
        assert!(p95.upper[h] > p80.upper[h] && p80.upper[h] > fc.mean[h]);
    }
    // Other criteria run too.
    let bic = AutoEtsOptions { criterion: InformationCriterion::Bic, ..Default::default() };
    assert!(auto_ets(&y, 12, &bic).unwrap().best.bic.is_finite());
}

#[test]
fn multiplicative_seasonal_intervals_are_simulated_and_reproducible() {
    let y: Vec<f64> = seasonal_series(60, 6).iter().map(|v| v + 50.0).collect();
    let ets = Ets::new(EtsSpec::parse("MAdM").unwrap());
    let a = ets.fit_predict(&y, 6, 6, &[90.0]).unwrap();
    let b = ets.fit_predict(&y, 6, 6, &[90.0]).unwrap();
    assert_eq!(a, b);
    assert!(a.notes.iter().any(|n| n.contains("simulated sample paths")), "{:?}", a.notes);
    let other_seed = Ets { spec: ets.spec, options: EtsOptions { seed: 7, ..Default::default() } };
    let c = other_seed.fit_predict(&y, 6, 6, &[90.0]).unwrap();
    assert_ne!(a.intervals, c.intervals);
    let analytic = Ets::new(EtsSpec::parse("MAdA").unwrap()).fit_predict(&y, 6, 6, &[90.0]).unwrap();
    assert!(analytic.notes.iter().any(|n| n.contains("analytic")), "{:?}", analytic.notes);
}

#[test]
fn applying_a_fitted_model_reproduces_it() {
    let y = seasonal_series(60, 4);
    let fit = fit_ets(&y, 4, EtsSpec::parse("AAdA").unwrap(), &EtsOptions::default()).unwrap();
    let again = apply_ets(&y, 4, fit.spec, fit.params, fit.initial_states.clone(), &EtsOptions::default()).unwrap();
    assert!((again.loglik - fit.loglik).abs() < 1e-9);
    assert_eq!(again.final_states, fit.final_states);
    let mut wrong = fit.initial_states.clone();
    wrong.season.pop();
    assert!(apply_ets(&y, 4, fit.spec, fit.params, wrong, &EtsOptions::default()).is_err());
}

#[test]
fn long_seasons_keep_decomposition_seasonal_states() {
    let y = seasonal_series(120, 52);
    let fit = fit_ets(&y, 52, EtsSpec::parse("ANA").unwrap(), &EtsOptions::default()).unwrap();
    assert!(fit.notes.iter().any(|n| n.contains("not optimised")), "{:?}", fit.notes);
    assert_eq!(fit.final_states.season.len(), 52);
}

#[test]
fn multiplicative_trend_models_follow_exponential_growth() {
    let y: Vec<f64> =
        (0..60).map(|t| 100.0 * 1.03f64.powi(t) * (1.0 + 0.01 * ((t * 37 % 11) as f64 - 5.0) / 5.0)).collect();
    let fit = fit_ets(&y, 1, EtsSpec::parse("MMN").unwrap(), &EtsOptions::default()).unwrap();
    assert!((fit.final_states.growth - 1.03).abs() < 0.01, "{:?}", fit.final_states);
    let fc = fit.forecast(12, &[95.0]).unwrap();
    let ratio = fc.mean[11] / fc.mean[10];
    assert!((ratio - 1.03).abs() < 0.01, "{ratio}");
    assert!(fc.notes.iter().any(|n| n.contains("simulated")), "{:?}", fc.notes);
    let damped = fit_ets(&y, 1, EtsSpec::parse("MMdN").unwrap(), &EtsOptions::default()).unwrap();
    assert!(damped.params.phi <= 0.98);
    // AutoETS only tries multiplicative trends when asked to.
    let default = auto_ets(&y, 1, &AutoEtsOptions::default()).unwrap();
    assert!(default.candidates.iter().all(|c| c.spec.trend != storelytics::forecast::ets::TrendType::Multiplicative));
    let with_m = AutoEtsOptions { allow_multiplicative_trend: true, ..Default::default() };
    let fit = auto_ets(&y, 1, &with_m).unwrap();
    assert!(fit.candidates.iter().any(|c| c.spec.trend == storelytics::forecast::ets::TrendType::Multiplicative));
}

#[test]
fn absurd_horizons_are_rejected_and_long_ones_work() {
    let y = seasonal_series(40, 4);
    let fit = fit_ets(&y, 4, EtsSpec::parse("MAM").unwrap(), &EtsOptions::default()).unwrap();
    assert!(matches!(fit.forecast(usize::MAX, &[95.0]).unwrap_err(), Error::InvalidParameter { .. }));
    let fc = fit.forecast(2_000, &[95.0]).unwrap();
    assert_eq!(fc.interval(95.0).unwrap().upper.len(), 2_000);
}
