use super::*;
use crate::forecast::IntervalMethod;
use crate::forecast::backtest::BacktestOptions;
use crate::forecast::conformal::ConformalOptions;
use crate::forecast::theta::ThetaVariant;

fn weekly(n: usize) -> Vec<f64> {
    (0..n)
        .map(|t| 40.0 + [9.0, 2.0, 0.0, 1.0, 3.0, 12.0, 15.0][t % 7] + 0.1 * t as f64 + ((t * 37) % 5) as f64)
        .collect()
}

#[test]
fn every_default_spec_round_trips_through_json() {
    for spec in ModelSpec::all() {
        let text = serde_json::to_string(&spec).unwrap();
        assert!(text.contains(&format!("\"name\":\"{}\"", spec.key())), "{text}");
        let back: ModelSpec = serde_json::from_str(&text).unwrap();
        assert_eq!(back, spec);
        // Only the name: every option takes its default.
        let bare: ModelSpec = serde_json::from_str(&format!("{{\"name\":\"{}\"}}", spec.key())).unwrap();
        assert_eq!(bare, spec);
    }
}

#[test]
fn options_by_name() {
    let spec: ModelSpec = serde_json::from_str(r#"{"name": "theta", "variant": "dynamic_optimized"}"#).unwrap();
    assert_eq!(spec, ModelSpec::Theta(Theta { variant: ThetaVariant::DynamicOptimized }));
    let spec: ModelSpec = serde_json::from_str(r#"{"name": "arima", "order": {"p": 1, "d": 1}}"#).unwrap();
    let ModelSpec::Arima(a) = spec else { panic!() };
    assert_eq!((a.order.p, a.order.d, a.order.q, a.include_mean), (1, 1, 0, true));
    assert!(serde_json::from_str::<ModelSpec>(r#"{"name": "prophet"}"#).is_err());
}

#[test]
fn forecast_equals_fit_predict_and_reports_parameters() {
    let y = weekly(70);
    for spec in ModelSpec::all() {
        let direct = spec.fit_predict(&y, 7, 7, &[80.0, 95.0]).unwrap();
        let out = forecast_model(&spec, &y, 7, 7, &[80.0, 95.0], Intervals::Model).unwrap();
        // Compared as JSON: fitted values start with NaN, which is not equal to itself.
        let json = |f: &Forecast| serde_json::to_value(f).unwrap();
        assert_eq!(json(&out.forecast), json(&direct), "{}", spec.key());
        let has_parameters =
            matches!(spec, ModelSpec::Arima(_) | ModelSpec::AutoArima(_) | ModelSpec::Ets(_) | ModelSpec::AutoEts(_));
        assert_eq!(out.parameters.is_some(), has_parameters, "{}", spec.key());
    }
    let out = forecast_model(&ModelSpec::AutoEts(Default::default()), &y, 7, 7, &[95.0], Intervals::Model).unwrap();
    let Some(Parameters::Ets(p)) = out.parameters else { panic!() };
    assert!(!p.candidates.is_empty() && p.aicc.is_finite());
}

#[test]
fn conformal_intervals_for_any_model() {
    let y = weekly(70);
    let conformal = Intervals::Conformal(ConformalOptions::default());
    let out = forecast_model(&ModelSpec::SeasonalNaive, &y, 7, 7, &[80.0], conformal).unwrap();
    assert_eq!(out.forecast.interval_method, IntervalMethod::Conformal);
    let i = out.forecast.interval(80.0).unwrap();
    assert!(i.lower[0] <= out.forecast.mean[0] && out.forecast.mean[0] <= i.upper[0]);
    let plain = forecast_model(&ModelSpec::SeasonalNaive, &y, 7, 7, &[80.0], Intervals::Model).unwrap();
    assert_eq!(plain.forecast.interval_method, IntervalMethod::Analytic);
    assert_eq!(plain.forecast.mean, out.forecast.mean);
}

#[test]
fn bad_options_and_inputs_are_typed_errors() {
    let y = weekly(30);
    let cases = [
        (ModelSpec::Ses(Ses { alpha: Some(1.5) }), "alpha"),
        (ModelSpec::Tsb(Tsb { alpha_d: None, alpha_p: Some(0.0) }), "alpha_p"),
        (ModelSpec::AutoTheta(AutoTheta { variants: vec![] }), "variants"),
        (ModelSpec::Ets(EtsModel { spec: "XYZ".into(), ..Default::default() }), "spec"),
        (ModelSpec::Mstl(MstlSpec { periods: vec![0], ..Default::default() }), "periods"),
    ];
    for (spec, parameter) in cases {
        let e = forecast_model(&spec, &y, 7, 3, &[], Intervals::Model).unwrap_err();
        assert_eq!(e.kind(), "invalid_parameter");
        assert!(e.to_string().contains(&format!("`{parameter}`")), "{e}");
        let e = backtest_models(&[spec], &y, 7, &BacktestOptions::default(), Intervals::Model).unwrap_err();
        assert!(e.to_string().contains(&format!("`{parameter}`")), "{e}");
    }
    let arima = Arima { order: ArimaOrder { d: 3, ..Default::default() }, ..Default::default() };
    assert_eq!(
        forecast_model(&ModelSpec::Arima(arima), &y, 7, 3, &[], Intervals::Model).unwrap_err().kind(),
        "invalid_parameter"
    );
    for spec in ModelSpec::all() {
        assert_eq!(forecast_model(&spec, &[], 7, 3, &[], Intervals::Model).unwrap_err().kind(), "insufficient_data");
        let e = forecast_model(&spec, &[1.0, f64::NAN, 2.0], 1, 3, &[], Intervals::Model).unwrap_err();
        assert_eq!(e.kind(), "schema", "{}", spec.key());
        assert!(forecast_model(&spec, &y, 0, 3, &[], Intervals::Model).is_err());
        assert!(forecast_model(&spec, &y, 7, 0, &[], Intervals::Model).is_err());
        // One point and a constant series: a forecast or a typed error, never a panic.
        let _ = forecast_model(&spec, &[5.0], 1, 2, &[95.0], Intervals::Model);
        let _ = forecast_model(&spec, &[5.0; 20], 7, 2, &[95.0], Intervals::Model);
    }
}

#[test]
fn backtest_of_specs() {
    let y = weekly(70);
    let options = BacktestOptions { horizon: 7, step: 7, n_windows: 3, levels: vec![80.0] };
    let specs = [ModelSpec::Naive, ModelSpec::AutoEts(Default::default())];
    let out = backtest_models(&specs, &y, 7, &options, Intervals::Model).unwrap();
    assert_eq!(out.iter().map(|b| b.model.as_str()).collect::<Vec<_>>(), ["Naive", "AutoETS"]);
    assert!(out.iter().all(|b| b.windows.len() == 3 && b.scores.is_some()));
    let conformal = backtest_models(&specs, &y, 7, &options, Intervals::Conformal(Default::default())).unwrap();
    // The point forecasts do not depend on where the intervals come from.
    assert_eq!(conformal[0].windows, out[0].windows);
}
