//! The report's forecast sections: 30 days of net revenue per store, and the daily demand of
//! the top products.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;
use storelytics::forecast::auto::{AutoOptions, auto_forecast_many, default_candidates};
use storelytics::forecast::demand::{DemandOptions, top_product_demand};
use storelytics::forecast::{Forecast, SeriesOptions, TimeSeries};
use storelytics::{Granularity, Period, Result, Sales};

/// Days of the store forecasts.
const STORE_HORIZON: usize = 30;
/// Days of the product demand forecasts.
const DEMAND_HORIZON: usize = 28;
/// Interval levels, percent.
const LEVELS: [f64; 2] = [80.0, 95.0];

/// One forecast day with its 80% and 95% intervals.
#[derive(Serialize)]
pub(crate) struct ForecastDay {
    date: NaiveDate,
    forecast: f64,
    lower_80: Option<f64>,
    upper_80: Option<f64>,
    lower_95: Option<f64>,
    upper_95: Option<f64>,
}

/// One store's net revenue forecast.
#[derive(Serialize)]
pub(crate) struct StoreForecast {
    store: String,
    /// The candidate the automatic choice picked, e.g. `AutoARIMA`.
    chosen: Option<String>,
    /// The fitted model, e.g. `ARIMA(1,0,1)(0,1,1)[7]`.
    model: Option<String>,
    /// Cross-validated MASE of the chosen model.
    mase: Option<f64>,
    /// `analytic` or `conformal` intervals.
    interval_method: Option<String>,
    /// Sum of the daily point forecasts.
    total: Option<f64>,
    days: Vec<ForecastDay>,
    notes: Vec<String>,
    /// Why there is no forecast, if so.
    problem: Option<String>,
}

/// The store forecast section.
#[derive(Serialize)]
pub(crate) struct StoreForecasts {
    /// How the models were chosen.
    method: String,
    horizon_days: usize,
    levels: Vec<f64>,
    /// Last day of the history.
    history_end: NaiveDate,
    stores: Vec<StoreForecast>,
}

fn days(f: &Forecast, first: NaiveDate) -> Vec<ForecastDay> {
    let bound = |level: f64, i: usize, upper: bool| {
        f.interval(level).and_then(|iv| if upper { iv.upper.get(i) } else { iv.lower.get(i) }).copied()
    };
    f.mean
        .iter()
        .enumerate()
        .map(|(i, &forecast)| ForecastDay {
            date: Granularity::Day.advance(first, i as i64),
            forecast,
            lower_80: bound(80.0, i, false),
            upper_80: bound(80.0, i, true),
            lower_95: bound(95.0, i, false),
            upper_95: bound(95.0, i, true),
        })
        .collect()
}

/// Daily net revenue of each store over `history`, forecast 30 days ahead by the automatic
/// choice among the default candidates (AutoARIMA is left out: its search is many times slower
/// than the whole default set).
pub(crate) fn stores(sales: &Sales, history: Period) -> Result<StoreForecasts> {
    let options = AutoOptions { levels: LEVELS.to_vec(), ..Default::default() };
    let names: Vec<String> = default_candidates(7, options.thoroughness).iter().map(|c| c.name()).collect();
    let series: Vec<TimeSeries> = sales
        .stores()
        .iter()
        .map(|s| {
            TimeSeries::from_sales(
                sales,
                &SeriesOptions { store: Some(s.id.clone()), period: Some(history), ..Default::default() },
            )
        })
        .collect::<Result<_>>()?;
    let choices = auto_forecast_many(&series, STORE_HORIZON, &options);
    let first = history.end().succ_opt().unwrap_or(history.end());
    let stores = sales
        .stores()
        .iter()
        .zip(choices)
        .map(|(s, choice)| match choice {
            Ok(c) => {
                let mase =
                    c.candidates.iter().find(|k| k.model == c.chosen).and_then(|k| k.scores.as_ref()).map(|s| s.mase);
                StoreForecast {
                    store: s.id.to_string(),
                    mase,
                    model: Some(c.forecast.model.clone()),
                    interval_method: Some(format!("{:?}", c.forecast.interval_method).to_lowercase()),
                    total: Some(c.forecast.mean.iter().sum()),
                    days: days(&c.forecast, first),
                    notes: c.forecast.notes.clone(),
                    chosen: Some(c.chosen),
                    problem: None,
                }
            }
            Err(e) => StoreForecast {
                store: s.id.to_string(),
                chosen: None,
                model: None,
                mase: None,
                interval_method: None,
                total: None,
                days: Vec::new(),
                notes: Vec::new(),
                problem: Some(e.to_string()),
            },
        })
        .collect();
    Ok(StoreForecasts {
        method: format!("automatic choice by 5-window cross-validated MASE among {}", names.join(", ")),
        horizon_days: STORE_HORIZON,
        levels: LEVELS.to_vec(),
        history_end: history.end(),
        stores,
    })
}

/// One top product's demand forecast.
#[derive(Serialize)]
pub(crate) struct ProductForecast {
    product: String,
    /// Net units over the history.
    history_units: f64,
    /// Net units over the last 28 days of the history.
    last_28_days_units: f64,
    /// Chosen model and the fitted model's description.
    chosen: String,
    model: String,
    /// Whether the series was treated as intermittent demand.
    intermittent: bool,
    /// Sum of the daily point forecasts.
    forecast_units: f64,
    days: Vec<ForecastDay>,
}

/// The demand forecast section.
#[derive(Serialize)]
pub(crate) struct DemandForecasts {
    horizon_days: usize,
    levels: Vec<f64>,
    products: Vec<ProductForecast>,
}

/// Daily units of the `top` products with the most units over `history`, all stores together,
/// forecast 28 days ahead by the automatic choice (intermittent products by the Croston family).
pub(crate) fn demand(sales: &Sales, history: Period, top: usize) -> Result<DemandForecasts> {
    let options = DemandOptions {
        top_n: top,
        horizon: DEMAND_HORIZON,
        period: Some(history),
        auto: AutoOptions { levels: LEVELS.to_vec(), ..Default::default() },
        ..Default::default()
    };
    let products = top_product_demand(sales, &options)?
        .into_iter()
        .map(|p| {
            let recent: f64 = p.demand.daily_units.iter().rev().take(28).sum();
            ProductForecast {
                product: p.demand.product.to_string(),
                history_units: p.demand.total_units,
                last_28_days_units: recent,
                model: p.choice.forecast.model.clone(),
                intermittent: p.choice.intermittent,
                forecast_units: p.choice.forecast.mean.iter().sum(),
                days: days(&p.choice.forecast, p.forecast_start),
                chosen: p.choice.chosen,
            }
        })
        .collect();
    Ok(DemandForecasts { horizon_days: DEMAND_HORIZON, levels: LEVELS.to_vec(), products })
}

fn interval(lower: Option<f64>, upper: Option<f64>) -> String {
    match (lower, upper) {
        (Some(l), Some(u)) => format!("{l:>11.2} – {u:<11.2}"),
        _ => format!("{:^25}", "—"),
    }
}

/// Appends both sections to the text report.
pub(crate) fn render(out: &mut String, f: &StoreForecasts, d: &DemandForecasts) {
    let _ = writeln!(
        out,
        "\nNet revenue forecast per store, {} days after {} (80% and 95% intervals)\n  model: {}",
        f.horizon_days, f.history_end, f.method
    );
    for s in &f.stores {
        if let Some(p) = &s.problem {
            let _ = writeln!(out, "  {:<10} no forecast: {p}", s.store);
            continue;
        }
        let _ = writeln!(
            out,
            "  {:<10} chosen {} = {} (CV MASE {}, {} intervals); {}-day total {:.2}",
            s.store,
            s.chosen.as_deref().unwrap_or("—"),
            s.model.as_deref().unwrap_or("—"),
            s.mase.map(|m| format!("{m:.3}")).unwrap_or_else(|| "—".into()),
            s.interval_method.as_deref().unwrap_or("—"),
            s.days.len(),
            s.total.unwrap_or(0.0)
        );
        let _ = writeln!(out, "    {:<10} {:>12} {:^25} {:^25}", "date", "forecast", "80%", "95%");
        let last = s.days.len().saturating_sub(1);
        for (i, day) in s.days.iter().enumerate().filter(|(i, _)| *i < 7 || *i == last) {
            if i == last && last >= 8 {
                let _ = writeln!(out, "    …");
            }
            let _ = writeln!(
                out,
                "    {:<10} {:>12.2} {} {}",
                day.date.to_string(),
                day.forecast,
                interval(day.lower_80, day.upper_80),
                interval(day.lower_95, day.upper_95)
            );
        }
    }
    let _ = writeln!(out, "\nDemand forecast for the top products, next {} days (units, all stores)", d.horizon_days);
    let _ = writeln!(
        out,
        "  {:<10} {:>12} {:>12} {:>10}  {:<18} model",
        "product", "last 28 d", "next 28 d", "day 1 95%", "chosen"
    );
    for p in &d.products {
        let first = p.days.first();
        let hi = first.and_then(|d| d.upper_95).map(|u| format!("≤{u:.1}")).unwrap_or_else(|| "—".into());
        let _ = writeln!(
            out,
            "  {:<10} {:>12.1} {:>12.1} {:>10}  {:<18} {}{}",
            p.product,
            p.last_28_days_units,
            p.forecast_units,
            hi,
            p.chosen,
            p.model,
            if p.intermittent { " (intermittent)" } else { "" }
        );
    }
}
