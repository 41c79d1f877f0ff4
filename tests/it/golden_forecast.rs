//! Golden files of every forecasting model by name (`forecast::spec`): the forecasts,
//! parameters and backtests every runtime must reproduce exactly.

use serde_json::{Value, json};
use storelytics::forecast::arima::{Arima, ArimaOrder, AutoArimaOptions, BoxCox};
use storelytics::forecast::backtest::BacktestOptions;
use storelytics::forecast::conformal::ConformalOptions;
use storelytics::forecast::ets::AutoEtsOptions;
use storelytics::forecast::intermittent::Tsb;
use storelytics::forecast::ses::Ses;
use storelytics::forecast::spec::{
    EtsModel, Intervals, ModelSpec, MstlSpec, MstlTrend, backtest_models, forecast_model,
};
use storelytics::forecast::theta::{AutoTheta, Theta, ThetaVariant};

use crate::golden::check;

/// Daily sales with a weekly pattern, a slow trend and some irregular noise (12 weeks).
fn weekly() -> Vec<f64> {
    let pattern = [12.0, -4.0, -6.0, -3.0, 0.0, 9.0, 15.0];
    (0..84).map(|t| 100.0 + pattern[t % 7] + 0.5 * t as f64 + ((t * 37) % 11) as f64).collect()
}

/// Sporadic demand of one product: sales on about a fifth of the days.
fn intermittent() -> Vec<f64> {
    (0..60).map(|t| if (t * 7) % 5 == 0 && t % 3 != 1 { ((t * 13) % 4 + 1) as f64 } else { 0.0 }).collect()
}

/// The specs of the golden file: every model with its defaults, then some with options.
fn specs() -> Vec<(&'static str, ModelSpec, bool)> {
    let mut list: Vec<(&'static str, ModelSpec, bool)> =
        ModelSpec::all().into_iter().map(|s| ("weekly", s, false)).collect();
    let with_options = [
        ModelSpec::Ses(Ses { alpha: Some(0.3) }),
        ModelSpec::Theta(Theta { variant: ThetaVariant::Optimized }),
        ModelSpec::Theta(Theta { variant: ThetaVariant::DynamicOptimized }),
        ModelSpec::AutoTheta(AutoTheta { variants: vec![ThetaVariant::Standard, ThetaVariant::Dynamic] }),
        ModelSpec::Mstl(MstlSpec { trend: MstlTrend::Ses, ..Default::default() }),
        ModelSpec::Arima(Arima { order: ArimaOrder::new(1, 1, 1).with_seasonal(0, 1, 1, 1), ..Default::default() }),
        ModelSpec::Arima(Arima { order: ArimaOrder::new(2, 0, 0), include_mean: true, ..Default::default() }),
        ModelSpec::AutoArima(AutoArimaOptions {
            stepwise: false,
            max_order: 3,
            box_cox: BoxCox::Lambda(0.5),
            ..Default::default()
        }),
        ModelSpec::Ets(EtsModel { spec: "AAdA".into(), ..Default::default() }),
        ModelSpec::AutoEts(AutoEtsOptions { model: "AZN".into(), damped: Some(true), ..Default::default() }),
    ];
    list.extend(with_options.into_iter().map(|s| ("weekly", s, false)));
    list.push(("weekly", ModelSpec::SeasonalNaive, true));
    list.push(("weekly", ModelSpec::AutoEts(AutoEtsOptions::default()), true));
    for s in [ModelSpec::Croston, ModelSpec::CrostonOptimized, ModelSpec::Sba, ModelSpec::Tsb(Tsb::default())] {
        list.push(("intermittent", s, false));
    }
    list.push(("intermittent", ModelSpec::Tsb(Tsb { alpha_d: Some(0.2), alpha_p: Some(0.1) }), false));
    list
}

fn series(name: &str) -> Vec<f64> {
    if name == "weekly" { weekly() } else { intermittent() }
}

#[test]
fn golden_forecast_models_and_backtests() {
    let (horizon, levels) = (7, [80.0, 95.0]);
    let mut cases = Vec::new();
    for (name, spec, conformal) in specs() {
        let intervals = if conformal { Intervals::Conformal(ConformalOptions::default()) } else { Intervals::Model };
        let result = forecast_model(&spec, &series(name), 7, horizon, &levels, intervals).unwrap();
        cases.push(json!({
            "series": name,
            "spec": spec,
            "intervals": if conformal { "conformal" } else { "model" },
            "result": result,
        }));
    }
    check(
        "forecast_models.json",
        json!({
            "series": {"weekly": weekly(), "intermittent": intermittent()},
            "season_length": 7,
            "horizon": horizon,
            "levels": levels,
            "cases": cases,
        }),
    );

    let options = BacktestOptions { horizon: 7, step: 7, n_windows: 4, levels: vec![80.0, 95.0] };
    let specs = [
        ModelSpec::Naive,
        ModelSpec::SeasonalNaive,
        ModelSpec::HistoricMean,
        ModelSpec::Theta(Theta::default()),
        ModelSpec::AutoEts(AutoEtsOptions::default()),
        ModelSpec::Arima(Arima { order: ArimaOrder::new(1, 0, 0), ..Default::default() }),
    ];
    let result = backtest_models(&specs, &weekly(), 7, &options, Intervals::Model).unwrap();
    let conformal =
        backtest_models(&specs[..2], &weekly(), 7, &options, Intervals::Conformal(ConformalOptions::default()))
            .unwrap();
    let value: Value = json!({
        "series": weekly(),
        "season_length": 7,
        "options": {"horizon": options.horizon, "step": options.step, "n_windows": options.n_windows, "levels": options.levels},
        "specs": specs,
        "result": result,
        "conformal_result": conformal,
    });
    check("forecast_backtest.json", value);
}
