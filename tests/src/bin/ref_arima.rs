//! Reference-test tool for `storelytics::forecast::arima`.
//!
//! Request: `{"kind": "fit", "y": [...], "order": {...}, "include_mean": true, "include_drift":
//! false, "horizon": 12, "levels": [80, 95]}` fits a fixed order; `{"kind": "auto", "y": [...],
//! "season_length": 12, "horizon": 12, "levels": [...], "options": {...}}` runs AutoARIMA;
//! `{"kind": "many", "series": [[...], ...], "season_length": 7, "horizon": 14, "levels": [...]}`
//! runs AutoARIMA on many series and reports the elapsed time.

use serde::{Deserialize, Serialize};
use storelytics::forecast::arima::{Arima, ArimaFit, ArimaOrder, AutoArima, AutoArimaOptions, forecast_many};
use storelytics::forecast::{Forecast, PredictionInterval};

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Request {
    Fit {
        y: Vec<f64>,
        order: ArimaOrder,
        #[serde(default = "yes")]
        include_mean: bool,
        #[serde(default)]
        include_drift: bool,
        #[serde(default)]
        horizon: usize,
        #[serde(default)]
        levels: Vec<f64>,
    },
    Auto {
        y: Vec<f64>,
        season_length: usize,
        #[serde(default)]
        horizon: usize,
        #[serde(default)]
        levels: Vec<f64>,
        #[serde(default)]
        options: AutoArimaOptions,
    },
    Many {
        series: Vec<Vec<f64>>,
        season_length: usize,
        horizon: usize,
        #[serde(default)]
        levels: Vec<f64>,
        #[serde(default)]
        options: AutoArimaOptions,
    },
}

fn yes() -> bool {
    true
}

#[derive(Serialize)]
struct FitAnswer {
    model: String,
    order: ArimaOrder,
    ar: Vec<f64>,
    ma: Vec<f64>,
    seasonal_ar: Vec<f64>,
    seasonal_ma: Vec<f64>,
    intercept: Option<f64>,
    drift: Option<f64>,
    sigma2: f64,
    loglik: f64,
    aic: f64,
    aicc: f64,
    bic: f64,
    fitted: Vec<f64>,
    mean: Vec<f64>,
    intervals: Vec<PredictionInterval>,
    notes: Vec<String>,
    seconds: f64,
}

#[derive(Serialize)]
struct ManyAnswer {
    forecasts: Vec<Option<Forecast>>,
    errors: Vec<Option<String>>,
    seconds: f64,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Answer {
    Fit(Box<FitAnswer>),
    Many(ManyAnswer),
}

fn answer(fit: ArimaFit, horizon: usize, levels: &[f64], seconds: f64) -> storelytics::Result<Answer> {
    let (mean, intervals) = if horizon > 0 {
        let f = fit.forecast(horizon, levels)?;
        (f.mean, f.intervals)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(Answer::Fit(Box::new(FitAnswer {
        model: fit.model_name(),
        order: fit.order,
        ar: fit.coefficients.ar.clone(),
        ma: fit.coefficients.ma.clone(),
        seasonal_ar: fit.coefficients.seasonal_ar.clone(),
        seasonal_ma: fit.coefficients.seasonal_ma.clone(),
        intercept: fit.coefficients.intercept,
        drift: fit.coefficients.drift,
        sigma2: fit.sigma2,
        loglik: fit.loglik,
        aic: fit.aic,
        aicc: fit.aicc,
        bic: fit.bic,
        fitted: fit.fitted.clone(),
        mean,
        intervals,
        notes: fit.notes.clone(),
        seconds,
    })))
}

fn main() {
    storelytics_tests::run_json(|req: Request| -> storelytics::Result<Answer> {
        let start = std::time::Instant::now();
        match req {
            Request::Fit { y, order, include_mean, include_drift, horizon, levels } => {
                let model = Arima { include_mean, include_drift, ..Arima::new(order) };
                let fit = model.fit(&y)?;
                answer(fit, horizon, &levels, start.elapsed().as_secs_f64())
            }
            Request::Auto { y, season_length, horizon, levels, options } => {
                let fit = AutoArima::new(options).fit(&y, season_length)?;
                answer(fit, horizon, &levels, start.elapsed().as_secs_f64())
            }
            Request::Many { series, season_length, horizon, levels, options } => {
                let results = forecast_many(&series, season_length, horizon, &levels, &options);
                let seconds = start.elapsed().as_secs_f64();
                let (forecasts, errors) = results
                    .into_iter()
                    .map(|r| match r {
                        Ok(f) => (Some(f), None),
                        Err(e) => (None, Some(e.to_string())),
                    })
                    .unzip();
                Ok(Answer::Many(ManyAnswer { forecasts, errors, seconds }))
            }
        }
    });
}
