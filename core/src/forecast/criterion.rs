//! The information criterion that ranks candidate models in the automatic ARIMA and ETS
//! searches.

use serde::{Deserialize, Serialize};

/// Information criterion used to choose between candidate models.
///
/// ```
/// use storelytics::forecast::InformationCriterion;
/// assert_eq!(InformationCriterion::default(), InformationCriterion::Aicc);
/// // The same type under the ARIMA and ETS modules.
/// let _: storelytics::forecast::arima::InformationCriterion = InformationCriterion::Bic;
/// let _: storelytics::forecast::ets::InformationCriterion = InformationCriterion::Aic;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InformationCriterion {
    /// Akaike information criterion.
    Aic,
    /// Small-sample corrected AIC (default, as statsforecast and R).
    #[default]
    Aicc,
    /// Bayesian (Schwarz) information criterion.
    Bic,
}
