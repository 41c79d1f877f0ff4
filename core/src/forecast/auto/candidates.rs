//! The candidate models the automatic choice compares.

use std::sync::Arc;

use crate::forecast::Forecaster;
use crate::forecast::baseline::{HistoricMean, Naive, RandomWalkWithDrift, SeasonalNaive};
use crate::forecast::intermittent::{Croston, CrostonOptimized, Sba, Tsb};
use crate::forecast::mstl::{MstlForecaster, TrendModel};
use crate::forecast::ses::Ses;
use crate::forecast::theta::{AutoTheta, Theta};

/// A shareable candidate model.
pub type Candidate = Arc<dyn Forecaster>;

/// How many candidates the automatic choice tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Thoroughness {
    /// Cheap models only (default): baselines, standard Theta, MSTL for seasonal data.
    #[default]
    Fast,
    /// Adds AutoTheta, SES, MSTL with an SES trend and the historic mean.
    Thorough,
}

/// Default candidates for regular (non-intermittent) series with `season_length`.
///
/// Extend the returned list to add models (e.g. AutoETS, AutoARIMA).
///
/// ```
/// use storelytics::forecast::auto::{Thoroughness, default_candidates};
/// let names: Vec<String> = default_candidates(7, Thoroughness::Fast).iter().map(|m| m.name()).collect();
/// assert!(names.contains(&"SeasonalNaive".to_string()));
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
