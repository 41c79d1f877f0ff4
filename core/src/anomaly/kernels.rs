//! The statistical building blocks of the detectors, for callers who want them on their own
//! (and for the reference tests against established implementations).

use crate::error::{Error, Result};

use super::esd::critical_value;
use super::level_shift::pelt;

/// Change points of the mean by PELT (Killick, Fearnhead & Eckley 2012): the partition of
/// `values` into segments of at least `min_segment` values that minimises the sum over
/// segments of squared deviations from the segment mean plus `penalty` per change point.
/// Returns the first index of each new segment, ascending (empty when `values` is shorter than
/// two segments).
///
/// ```
/// use storelytics::anomaly::kernels::change_points;
/// let steps: Vec<f64> = (0..60).map(|i| if i < 25 { 1.0 } else { 4.0 } + (i % 3) as f64 * 0.1).collect();
/// assert_eq!(change_points(&steps, 5.0, 5)?, vec![25]);
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn change_points(values: &[f64], penalty: f64, min_segment: usize) -> Result<Vec<usize>> {
    if !penalty.is_finite() || penalty < 0.0 {
        return Err(Error::invalid_parameter("penalty", format!("{penalty} must be finite and non-negative")));
    }
    if min_segment == 0 {
        return Err(Error::invalid_parameter("min_segment", "must be at least 1"));
    }
    if let Some(i) = values.iter().position(|v| !v.is_finite() || v.abs() > 1e150) {
        return Err(Error::invalid_parameter(
            "values",
            format!("value at index {i} is not a finite number below 1e150"),
        ));
    }
    Ok(pelt(values, 1.0, penalty, min_segment))
}

/// Rosner's (1983) critical value `λ_i` of the generalized ESD test for step `i` (1-based) of
/// `n` values at significance `alpha` (two-sided unless `one_sided`). Infinite when
/// `n - i - 1 < 1` (no degrees of freedom left).
///
/// ```
/// use storelytics::anomaly::kernels::esd_critical_value;
/// // NIST/SEMATECH e-Handbook, Rosner's example: n = 54, alpha = 0.05, lambda_1 = 3.158.
/// assert!((esd_critical_value(54, 1, 0.05, false)? - 3.158).abs() < 1e-3);
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn esd_critical_value(n: usize, i: usize, alpha: f64, one_sided: bool) -> Result<f64> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(Error::invalid_parameter("alpha", format!("{alpha} must be strictly between 0 and 1")));
    }
    if i == 0 || i > n {
        return Err(Error::invalid_parameter("i", format!("step {i} must be between 1 and n = {n}")));
    }
    Ok(critical_value(n, i, alpha, one_sided))
}
