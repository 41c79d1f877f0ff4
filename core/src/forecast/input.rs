//! Checks shared by every model's `fit_predict`: the series, the season length, the horizon
//! and the interval levels.

use super::{validate_horizon, validate_levels};
use crate::error::{Error, Result, Rows};

/// Validates the common arguments of [`super::Forecaster::fit_predict`].
///
/// `y` must be non-empty and finite; `season_length` at least 1.
pub(crate) fn check_inputs(model: &str, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<()> {
    validate_horizon(horizon)?;
    validate_levels(levels)?;
    if season_length == 0 {
        return Err(Error::invalid_parameter("season_length", "must be at least 1 (1 = no seasonality)"));
    }
    check_values(model, y)
}

/// Rejects an empty series and NaN / infinite observations, naming their positions.
pub(crate) fn check_values(model: &str, y: &[f64]) -> Result<()> {
    if y.is_empty() {
        return Err(Error::insufficient_data(model, "the series is empty"));
    }
    let bad = Rows::collect(y.iter().enumerate().filter(|(_, v)| !v.is_finite()).map(|(i, _)| i));
    if bad.count > 0 {
        return Err(Error::InvalidValue {
            column: "y".into(),
            problem: "a NaN or infinite observation (fill or drop missing values first)".into(),
            rows: bad,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_empty_nan_and_bad_parameters() {
        assert_eq!(check_inputs("m", &[], 1, 1, &[]).unwrap_err().kind(), "insufficient_data");
        let e = check_inputs("m", &[1.0, f64::NAN, 2.0, f64::INFINITY], 1, 1, &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "column `y` has a NaN or infinite observation (fill or drop missing values first) in rows 1, 3"
        );
        assert!(check_inputs("m", &[1.0], 0, 1, &[]).is_err());
        assert!(check_inputs("m", &[1.0], 1, 0, &[]).is_err());
        assert!(check_inputs("m", &[1.0], 1, 1, &[100.0]).is_err());
        assert!(check_inputs("m", &[1.0], 1, 1, &[95.0]).is_ok());
    }
}
