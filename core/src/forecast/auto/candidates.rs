//! The candidate models the automatic choice compares.

use std::sync::Arc;

use crate::forecast::Forecaster;
use crate::forecast::arima::AutoArima;
use crate::forecast::baseline::{HistoricMean, Naive, RandomWalkWithDrift, SeasonalNaive};
use crate::forecast::ets::AutoEts;
use crate::forecast::intermittent::{Croston, CrostonOptimized, Sba, Tsb};
use crate::forecast::mstl::{MstlForecaster, TrendModel};
use crate::forecast::ses::Ses;
use crate::forecast::theta::{AutoTheta, Theta};

/// A shareable candidate model.
pub type Candidate = Arc<dyn Forecaster>;

/// How many candidates the automatic choice tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Thoroughness {
    /// Baselines, standard Theta, AutoETS and MSTL for seasonal data (default).
    #[default]
    Fast,
    /// Adds AutoTheta, SES, MSTL with an SES trend and the historic mean.
    Thorough,
}

/// Default candidates for regular (non-intermittent) series with `season_length`.
///
/// AutoETS is among them in both settings; AutoARIMA is not, because its search costs far
/// more than all the others together (on a two-year daily series about 25 times the time of
/// the whole default set, with no better choice; see `auto/timing_tests.rs`): add it with
/// [`AutoOptions::include_arima`](super::AutoOptions::include_arima) or [`arima_candidate`],
/// or extend the returned list with any other model.
///
/// ```
/// use storelytics::forecast::auto::{Thoroughness, default_candidates};
/// let names: Vec<String> = default_candidates(7, Thoroughness::Fast).iter().map(|m| m.name()).collect();
/// assert!(names.contains(&"SeasonalNaive".to_string()));
/// assert!(names.contains(&"AutoETS".to_string()));
/// ```
pub fn default_candidates(season_length: usize, thoroughness: Thoroughness) -> Vec<Candidate> {
    let seasonal = season_length > 1;
    let mut list: Vec<Candidate> = Vec::new();
    if seasonal {
        list.push(Arc::new(SeasonalNaive));
    }
    list.push(Arc::new(Naive));
    list.push(Arc::new(RandomWalkWithDrift));
    list.push(Arc::new(Theta::default()));
    list.push(Arc::new(AutoEts::default()));
    if seasonal {
        list.push(Arc::new(MstlForecaster::default()));
    }
    if thoroughness == Thoroughness::Thorough {
        list.push(Arc::new(AutoTheta::default()));
        list.push(Arc::new(Ses::default()));
        list.push(Arc::new(HistoricMean));
        if seasonal {
            list.push(Arc::new(MstlForecaster { trend: TrendModel::Ses, ..Default::default() }));
        }
    }
    list
}

/// AutoARIMA with its default (stepwise) search, the opt-in candidate of
/// [`AutoOptions::include_arima`](super::AutoOptions::include_arima).
pub fn arima_candidate() -> Candidate {
    Arc::new(AutoArima::default())
}

/// Default candidates for intermittent series (many zero periods).
pub fn intermittent_candidates(thoroughness: Thoroughness) -> Vec<Candidate> {
    let mut list: Vec<Candidate> =
        vec![Arc::new(Croston), Arc::new(CrostonOptimized), Arc::new(Sba), Arc::new(Tsb::default())];
    if thoroughness == Thoroughness::Thorough {
        list.push(Arc::new(HistoricMean));
        list.push(Arc::new(Naive));
    }
    list
}
