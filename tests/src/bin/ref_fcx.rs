//! Reference tool for the forecasting models of the `fcx` area: fits one model (or runs an
//! MSTL decomposition, a backtest or the automatic choice) on a JSON request.

use serde::{Deserialize, Serialize};
use storelytics::decompose::{Mstl, MstlOptions, mstl};
use storelytics::forecast::auto::{AutoChoice, AutoOptions, auto_forecast};
use storelytics::forecast::backtest::{BacktestOptions, ModelBacktest, backtest};
use storelytics::forecast::baseline::{HistoricMean, Naive, RandomWalkWithDrift, SeasonalNaive};
use storelytics::forecast::intermittent::{Croston, CrostonOptimized, Sba, Tsb};
use storelytics::forecast::mstl::{MstlForecaster, TrendModel};
use storelytics::forecast::theta::{AutoTheta, Theta, ThetaVariant};
use storelytics::forecast::{Forecast, Forecaster};

#[derive(Deserialize)]
struct Request {
    /// "forecast", "mstl", "backtest" or "auto".
    task: String,
    model: Option<String>,
    #[serde(default)]
    y: Vec<f64>,
    #[serde(default = "one")]
    season_length: usize,
    #[serde(default)]
    periods: Vec<usize>,
    #[serde(default = "one")]
    horizon: usize,
    #[serde(default)]
    levels: Vec<f64>,
    alpha_d: Option<f64>,
    alpha_p: Option<f64>,
    trend: Option<String>,
    step: Option<usize>,
    n_windows: Option<usize>,
    #[serde(default)]
    thorough: bool,
    /// For "auto_many": one entry per series.
    #[serde(default)]
    series: Vec<SeriesRequest>,
}

#[derive(Deserialize)]
struct SeriesRequest {
    y: Vec<f64>,
    season_length: usize,
    horizon: usize,
}

#[derive(Serialize)]
struct ManyAnswer {
    choices: Vec<AutoChoice>,
    /// Time spent in `auto_forecast` (sequential, one series after the other), seconds.
    elapsed_seconds: f64,
}

fn one() -> usize {
    1
}

#[derive(Serialize)]
#[serde(untagged)]
enum Answer {
    Forecast(Forecast),
    Mstl(Mstl),
    Backtest(ModelBacktest),
    Auto(Box<AutoChoice>),
    Many(ManyAnswer),
}

fn model(req: &Request) -> storelytics::Result<Box<dyn Forecaster>> {
    let name = req.model.as_deref().unwrap_or("");
    let trend = match req.trend.as_deref() {
        None | Some("theta") => TrendModel::Theta,
        Some("drift") => TrendModel::Drift,
        Some("naive") => TrendModel::Naive,
        Some("ses") => TrendModel::Ses,
        Some(other) => return Err(storelytics::Error::invalid_parameter("trend", format!("unknown {other}"))),
    };
    Ok(match name {
        "Naive" => Box::new(Naive),
        "SeasonalNaive" => Box::new(SeasonalNaive),
        "RandomWalkWithDrift" => Box::new(RandomWalkWithDrift),
        "HistoricAverage" => Box::new(HistoricMean),
        "Croston" => Box::new(Croston),
        "CrostonOptimized" => Box::new(CrostonOptimized),
        "SBA" => Box::new(Sba),
        "TSB" => Box::new(Tsb { alpha_d: req.alpha_d, alpha_p: req.alpha_p }),
        "Theta" => Box::new(Theta { variant: ThetaVariant::Standard }),
        "OptimizedTheta" => Box::new(Theta { variant: ThetaVariant::Optimized }),
        "DynamicTheta" => Box::new(Theta { variant: ThetaVariant::Dynamic }),
        "DynamicOptimizedTheta" => Box::new(Theta { variant: ThetaVariant::DynamicOptimized }),
        "AutoTheta" => Box::new(AutoTheta::default()),
        "MSTL" => Box::new(MstlForecaster { periods: req.periods.clone(), trend, ..Default::default() }),
        other => return Err(storelytics::Error::invalid_parameter("model", format!("unknown model {other}"))),
    })
}

fn main() {
    storelytics_tests::run_json(|req: Request| -> storelytics::Result<Answer> {
        match req.task.as_str() {
            "forecast" => {
                Ok(Answer::Forecast(model(&req)?.fit_predict(&req.y, req.season_length, req.horizon, &req.levels)?))
            }
            "mstl" => Ok(Answer::Mstl(mstl(&req.y, &req.periods, &MstlOptions::default())?)),
            "backtest" => {
                let options = BacktestOptions {
                    horizon: req.horizon,
                    step: req.step.unwrap_or(req.horizon),
                    n_windows: req.n_windows.unwrap_or(3),
                    levels: req.levels.clone(),
                };
                Ok(Answer::Backtest(backtest(model(&req)?.as_ref(), &req.y, req.season_length, &options)?))
            }
            "auto" => {
                let mut options = if req.thorough { AutoOptions::thorough() } else { AutoOptions::default() };
                options.levels = req.levels.clone();
                if let Some(w) = req.n_windows {
                    options.n_windows = w;
                }
                Ok(Answer::Auto(Box::new(auto_forecast(&req.y, req.season_length, req.horizon, &options)?)))
            }
            "auto_many" => {
                let mut options = if req.thorough { AutoOptions::thorough() } else { AutoOptions::default() };
                options.levels = req.levels.clone();
                let started = std::time::Instant::now();
                let choices = req
                    .series
                    .iter()
                    .map(|s| auto_forecast(&s.y, s.season_length, s.horizon, &options))
                    .collect::<storelytics::Result<Vec<_>>>()?;
                Ok(Answer::Many(ManyAnswer { choices, elapsed_seconds: started.elapsed().as_secs_f64() }))
            }
            other => Err(storelytics::Error::invalid_parameter("task", format!("unknown task {other}"))),
        }
    });
}
