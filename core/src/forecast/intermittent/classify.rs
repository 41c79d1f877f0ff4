//! Demand classification by average inter-demand interval and size variability.

use serde::Serialize;

use super::demand_sizes;

/// Syntetos–Boylan cut-off of the average inter-demand interval.
pub const ADI_CUTOFF: f64 = 1.32;
/// Syntetos–Boylan cut-off of the squared coefficient of variation of demand sizes.
pub const CV2_CUTOFF: f64 = 0.49;

/// Syntetos–Boylan–Croston demand categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandClass {
    /// Regular demand with stable sizes (ADI < 1.32, CV² < 0.49).
    Smooth,
    /// Regular demand with variable sizes (ADI < 1.32, CV² ≥ 0.49).
    Erratic,
    /// Sporadic demand with stable sizes (ADI ≥ 1.32, CV² < 0.49).
    Intermittent,
    /// Sporadic demand with variable sizes (ADI ≥ 1.32, CV² ≥ 0.49).
    Lumpy,
    /// No positive demand at all.
    NoDemand,
}

/// Average demand interval, size variability and the resulting class of a demand series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DemandProfile {
    /// Average inter-demand interval: periods per demand occurrence (periods / non-zero periods).
    pub adi: f64,
    /// Squared coefficient of variation of the non-zero demand sizes (0 with one demand).
    pub cv2: f64,
    /// Share of periods with zero (or negative) demand.
    pub zero_share: f64,
    /// The category.
    pub class: DemandClass,
}

/// Classifies a demand series (negative values count as zero demand).
///
/// ```
/// use storelytics::forecast::intermittent::{DemandClass, classify};
/// let p = classify(&[0.0, 0.0, 3.0, 0.0, 3.0, 0.0, 0.0, 3.0]);
/// assert_eq!(p.class, DemandClass::Intermittent);
/// ```
pub fn classify(y: &[f64]) -> DemandProfile {
    let clean: Vec<f64> = y.iter().map(|v| if v.is_finite() { v.max(0.0) } else { 0.0 }).collect();
    let sizes = demand_sizes(&clean);
    let n = clean.len();
    if sizes.is_empty() {
        return DemandProfile { adi: f64::INFINITY, cv2: 0.0, zero_share: 1.0, class: DemandClass::NoDemand };
    }
    let adi = n as f64 / sizes.len() as f64;
    let m = sizes.iter().sum::<f64>() / sizes.len() as f64;
    let var = sizes.iter().map(|s| (s - m).powi(2)).sum::<f64>() / sizes.len() as f64;
    let cv2 = if m > 0.0 { var / (m * m) } else { 0.0 };
    let class = match (adi >= ADI_CUTOFF, cv2 >= CV2_CUTOFF) {
        (false, false) => DemandClass::Smooth,
        (false, true) => DemandClass::Erratic,
        (true, false) => DemandClass::Intermittent,
        (true, true) => DemandClass::Lumpy,
    };
    DemandProfile { adi, cv2, zero_share: 1.0 - sizes.len() as f64 / n as f64, class }
}

/// Whether a series should be forecast with intermittent-demand models: average
/// inter-demand interval at least [`ADI_CUTOFF`] (1.32), or no demand at all.
pub fn is_intermittent(y: &[f64]) -> bool {
    !y.is_empty() && classify(y).adi >= ADI_CUTOFF
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(classify(&[5.0, 6.0, 5.0, 6.0]).class, DemandClass::Smooth);
        assert_eq!(classify(&[1.0, 20.0, 1.0, 30.0]).class, DemandClass::Erratic);
        assert_eq!(classify(&[0.0, 0.0, 1.0, 0.0, 0.0, 40.0]).class, DemandClass::Lumpy);
        assert_eq!(classify(&[0.0, 0.0]).class, DemandClass::NoDemand);
        assert!(is_intermittent(&[0.0, 0.0, 2.0, 0.0, 2.0]));
        assert!(!is_intermittent(&[1.0, 2.0, 3.0]));
        assert!(!is_intermittent(&[]));
    }
}
