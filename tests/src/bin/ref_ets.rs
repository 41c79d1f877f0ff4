//! Reference-test tool for ETS / AutoETS: reads one request, fits, forecasts, prints JSON.
//!
//! Request: `{"y": [...], "season_length": 12, "model": "ZZZ", "horizon": 12, "levels": [95]}`.
//! A model code without `Z` (e.g. `"MAdM"`) fits that fixed model; with `Z` it runs AutoETS with
//! that pattern. With `"batch": [[...], ...]` instead of `y`, every series is forecast with
//! AutoETS and the answer holds the means and the elapsed wall time (for the benchmark script).

use std::time::Instant;

use serde::{Deserialize, Serialize};
use storelytics::forecast::ets::{
    AutoEtsOptions, Candidate, EtsFit, EtsOptions, EtsParams, EtsSpec, EtsStates, apply_ets, auto_ets, fit_ets,
};
use storelytics::forecast::{Forecast, PredictionInterval};

#[derive(Deserialize)]
struct Request {
    #[serde(default)]
    y: Vec<f64>,
    #[serde(default)]
    batch: Option<Vec<Vec<f64>>>,
    season_length: usize,
    #[serde(default = "zzz")]
    model: String,
    #[serde(default)]
    damped: Option<bool>,
    horizon: usize,
    #[serde(default)]
    levels: Vec<f64>,
    /// With a fixed model: apply these `[alpha, beta, gamma, phi]` instead of estimating.
    #[serde(default)]
    params: Option<[f64; 4]>,
    /// With `params`: initial states `[level, growth (if trend), seasonal states...]`.
    #[serde(default)]
    initial_states: Vec<f64>,
}

fn zzz() -> String {
    "ZZZ".to_string()
}

#[derive(Serialize)]
struct Answer {
    model: String,
    mean: Vec<f64>,
    intervals: Vec<PredictionInterval>,
    fitted: Option<Vec<f64>>,
    notes: Vec<String>,
    fit: Option<EtsFit>,
    candidates: Vec<Candidate>,
    batch_means: Vec<Vec<f64>>,
    batch_models: Vec<String>,
    elapsed_ms: f64,
}

fn answer(fc: Forecast, fit: Option<EtsFit>, candidates: Vec<Candidate>) -> Answer {
    Answer {
        model: fc.model,
        mean: fc.mean,
        intervals: fc.intervals,
        fitted: fc.fitted,
        notes: fc.notes,
        fit,
        candidates,
        batch_means: Vec::new(),
        batch_models: Vec::new(),
        elapsed_ms: 0.0,
    }
}

fn main() {
    storelytics_tests::run_json(|req: Request| -> storelytics::Result<Answer> {
        let options = AutoEtsOptions { model: req.model.clone(), damped: req.damped, ..Default::default() };
        if let Some(batch) = &req.batch {
            let start = Instant::now();
            let mut means = Vec::with_capacity(batch.len());
            let mut models = Vec::with_capacity(batch.len());
            for y in batch {
                let fc = auto_ets(y, req.season_length, &options)?.best.forecast(req.horizon, &req.levels)?;
                models.push(fc.model);
                means.push(fc.mean);
            }
            let elapsed_ms = start.elapsed().as_secs_f64() * 1e3;
            return Ok(Answer {
                model: String::new(),
                mean: Vec::new(),
                intervals: Vec::new(),
                fitted: None,
                notes: Vec::new(),
                fit: None,
                candidates: Vec::new(),
                batch_means: means,
                batch_models: models,
                elapsed_ms,
            });
        }
        if req.model.to_ascii_uppercase().contains('Z') {
            let auto = auto_ets(&req.y, req.season_length, &options)?;
            let fc = auto.best.forecast(req.horizon, &req.levels)?;
            Ok(answer(fc, Some(auto.best), auto.candidates))
        } else {
            let spec = EtsSpec::parse(&req.model)?;
            let fit = match req.params {
                Some([alpha, beta, gamma, phi]) => {
                    let mut it = req.initial_states.iter().copied();
                    let level = it.next().unwrap_or(0.0);
                    let growth = if spec.has_trend() { it.next().unwrap_or(0.0) } else { 0.0 };
                    let states = EtsStates { level, growth, season: it.collect() };
                    let params = EtsParams { alpha, beta, gamma, phi };
                    apply_ets(&req.y, req.season_length, spec, params, states, &EtsOptions::default())?
                }
                None => fit_ets(&req.y, req.season_length, spec, &EtsOptions::default())?,
            };
            let fc = fit.forecast(req.horizon, &req.levels)?;
            Ok(answer(fc, Some(fit), Vec::new()))
        }
    })
}
