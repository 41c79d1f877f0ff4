//! ARIMA / AutoARIMA edge cases through the public API: typed errors or documented fallbacks
//! reported in the notes, never a panic.

use storelytics::Error;
use storelytics::forecast::Forecaster;
use storelytics::forecast::arima::{Arima, ArimaOrder, AutoArima, AutoArimaOptions, BoxCox, forecast_many};

fn weekly(n: usize, level: f64) -> Vec<f64> {
    (0..n)
        .map(|t| {
            level * [1.0, 0.8, 0.85, 0.9, 1.1, 1.6, 1.3][t % 7] * (1.0 + 0.001 * t as f64) + ((t * 37) % 11) as f64
        })
        .collect()
}

fn auto() -> AutoArima {
    AutoArima::default()
}

#[test]
fn empty_series_is_insufficient_data() {
    let err = auto().fit_predict(&[], 7, 7, &[95.0]).unwrap_err();
    assert!(matches!(err, Error::InsufficientData { .. }), "{err}");
    let err = Arima::new(ArimaOrder::new(1, 0, 0)).fit(&[]).unwrap_err();
    assert!(matches!(err, Error::InsufficientData { .. }), "{err}");
}

#[test]
fn one_point_and_constant_series_give_flat_forecasts() {
    for y in [vec![42.0], vec![3.5; 30], vec![0.0; 100]] {
        let f = auto().fit_predict(&y, 7, 5, &[80.0, 95.0]).unwrap();
        assert!(f.mean.iter().all(|&v| v == y[0]));
        assert!(f.intervals.iter().all(|i| i.lower == i.upper));
        assert!(f.notes.iter().any(|n| n.contains("constant series")), "{:?}", f.notes);
        let f = Arima::new(ArimaOrder::new(1, 1, 1)).fit_predict(&y, 1, 3, &[95.0]).unwrap();
        assert!(f.mean.iter().all(|&v| v == y[0]));
    }
}

#[test]
fn two_and_three_points_do_not_panic() {
    for y in [vec![1.0, 2.0], vec![5.0, 1.0, 4.0]] {
        if let Ok(f) = auto().fit_predict(&y, 7, 3, &[95.0]) {
            assert!(f.mean.iter().all(|v| v.is_finite()));
        }
        let _ = Arima::new(ArimaOrder::new(2, 1, 2)).fit_predict(&y, 1, 3, &[95.0]);
    }
}

#[test]
fn nan_is_an_error_unless_interpolation_is_asked_for() {
    let mut y = weekly(70, 100.0);
    y[10] = f64::NAN;
    y[11] = f64::NAN;
    let err = auto().fit_predict(&y, 7, 7, &[95.0]).unwrap_err();
    assert!(matches!(err, Error::InvalidValue { .. }), "{err}");
    assert!(err.to_string().contains("rows 10, 11"), "{err}");
    let filled = AutoArima::new(AutoArimaOptions { interpolate_missing: true, ..Default::default() });
    let f = filled.fit_predict(&y, 7, 7, &[95.0]).unwrap();
    assert!(f.notes.iter().any(|n| n.contains("2 missing values filled")), "{:?}", f.notes);
    let all_nan = vec![f64::NAN; 5];
    assert!(matches!(filled.fit_predict(&all_nan, 7, 7, &[]), Err(Error::InsufficientData { .. })));
    let err = auto().fit_predict(&[1.0, f64::INFINITY, 2.0], 1, 2, &[]).unwrap_err();
    assert!(matches!(err, Error::InvalidValue { .. }));
}

#[test]
fn fewer_than_two_seasons_drops_the_seasonal_part() {
    let y = weekly(12, 50.0);
    let f = auto().fit_predict(&y, 7, 7, &[95.0]).unwrap();
    assert!(f.notes.iter().any(|n| n.contains("seasonal part dropped")), "{:?}", f.notes);
    assert!(!f.model.contains('['), "{}", f.model);
    let fixed = Arima::new(ArimaOrder::new(0, 0, 0).with_seasonal(0, 1, 1, 7));
    let f = fixed.fit_predict(&y, 7, 7, &[95.0]).unwrap();
    assert!(f.notes.iter().any(|n| n.contains("seasonal part dropped")), "{:?}", f.notes);
}

#[test]
fn very_large_values_are_rescaled() {
    let y: Vec<f64> = weekly(140, 1.0).iter().map(|v| v * 1e250).collect();
    let f = auto().fit_predict(&y, 7, 7, &[95.0]).unwrap();
    assert!(f.mean.iter().all(|v| v.is_finite() && *v > 1e249), "{:?}", f.mean);
    assert!(f.notes.iter().any(|n| n.contains("rescaled")), "{:?}", f.notes);
    let small: Vec<f64> = weekly(140, 1.0);
    let g = auto().fit_predict(&small, 7, 7, &[95.0]).unwrap();
    // The same data in other units give the same model.
    assert_eq!(f.model, g.model);
}

#[test]
fn invalid_parameters_are_rejected() {
    let y = weekly(70, 10.0);
    assert!(matches!(auto().fit_predict(&y, 7, 0, &[95.0]), Err(Error::InvalidParameter { .. })));
    assert!(matches!(auto().fit_predict(&y, 7, 3, &[100.0]), Err(Error::InvalidParameter { .. })));
    assert!(matches!(auto().fit_predict(&y, 0, 3, &[95.0]), Err(Error::InvalidParameter { .. })));
    let bad_order = Arima::new(ArimaOrder::new(0, 3, 0));
    assert!(matches!(bad_order.fit(&y), Err(Error::InvalidParameter { .. })));
    let negative_log = Arima { box_cox_lambda: Some(0.0), ..Arima::new(ArimaOrder::new(1, 0, 0)) };
    assert!(matches!(negative_log.fit(&[1.0, -2.0, 3.0, 4.0]), Err(Error::InvalidParameter { .. })));
}

#[test]
fn intervals_nest_and_widen_with_horizon() {
    let y = weekly(200, 100.0);
    let f = auto().fit_predict(&y, 7, 14, &[80.0, 95.0]).unwrap();
    let (i80, i95) = (f.interval(80.0).unwrap(), f.interval(95.0).unwrap());
    for h in 0..14 {
        assert!(i95.lower[h] < i80.lower[h] && i80.lower[h] < f.mean[h]);
        assert!(f.mean[h] < i80.upper[h] && i80.upper[h] < i95.upper[h]);
    }
    assert!(i95.upper[13] - i95.lower[13] >= i95.upper[0] - i95.lower[0]);
    assert_eq!(f.fitted.as_ref().map(Vec::len), Some(200));
}

#[test]
fn box_cox_auto_keeps_forecasts_positive() {
    let y: Vec<f64> = (0..120).map(|t| 10.0 * 1.02f64.powi(t) * (1.0 + 0.3 * ((t % 12) as f64 - 5.5) / 5.5)).collect();
    let model = AutoArima::new(AutoArimaOptions { box_cox: BoxCox::Auto, bias_adjust: true, ..Default::default() });
    let f = model.fit_predict(&y, 12, 24, &[95.0]).unwrap();
    assert!(f.intervals[0].lower.iter().all(|v| *v > 0.0));
    let fit = model.fit(&y, 12).unwrap();
    assert!(fit.box_cox_lambda.is_some());
}

#[test]
fn many_series_match_one_by_one_and_keep_errors_in_place() {
    let series = vec![weekly(120, 100.0), Vec::new(), weekly(90, 7.0), vec![2.0; 20]];
    let opts = AutoArimaOptions::default();
    let many = forecast_many(&series, 7, 7, &[95.0], &opts);
    assert_eq!(many.len(), 4);
    assert!(many[1].is_err());
    for (y, result) in series.iter().zip(&many) {
        let single = AutoArima::new(opts.clone()).fit_predict(y, 7, 7, &[95.0]);
        match (single, result) {
            (Ok(a), Ok(b)) => assert_eq!(&a, b),
            (Err(a), Err(b)) => assert_eq!(&a, b),
            (a, b) => panic!("differs: {a:?} vs {b:?}"),
        }
    }
}

#[test]
fn exhaustive_search_is_at_least_as_good_as_stepwise() {
    let y = weekly(150, 40.0);
    let step = auto().fit(&y, 7).unwrap();
    let all = AutoArima::new(AutoArimaOptions { stepwise: false, ..Default::default() }).fit(&y, 7).unwrap();
    assert!(all.aicc <= step.aicc + 1e-9, "{} vs {}", all.aicc, step.aicc);
}
