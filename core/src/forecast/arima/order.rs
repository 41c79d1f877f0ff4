//! Model orders and estimation methods.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The orders of a seasonal ARIMA(p,d,q)(P,D,Q)[m] model.
///
/// ```
/// use storelytics::forecast::arima::ArimaOrder;
/// let airline = ArimaOrder::new(0, 1, 1).with_seasonal(0, 1, 1, 12);
/// assert_eq!(airline.to_string(), "ARIMA(0,1,1)(0,1,1)[12]");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct ArimaOrder {
    /// Non-seasonal autoregressive order `p`.
    pub p: usize,
    /// Non-seasonal differences `d`.
    pub d: usize,
    /// Non-seasonal moving-average order `q`.
    pub q: usize,
    /// Seasonal autoregressive order `P`.
    pub seasonal_p: usize,
    /// Seasonal differences `D`.
    pub seasonal_d: usize,
    /// Seasonal moving-average order `Q`.
    pub seasonal_q: usize,
    /// Season length `m` (1 = non-seasonal).
    pub season_length: usize,
}

/// ARIMA(0,0,0), non-seasonal (white noise around a mean).
impl Default for ArimaOrder {
    fn default() -> Self {
        ArimaOrder::new(0, 0, 0)
    }
}

impl ArimaOrder {
    /// A non-seasonal ARIMA(p,d,q).
    pub fn new(p: usize, d: usize, q: usize) -> Self {
        ArimaOrder { p, d, q, seasonal_p: 0, seasonal_d: 0, seasonal_q: 0, season_length: 1 }
    }

    /// The same non-seasonal orders with a seasonal part (P,D,Q)[m].
    pub fn with_seasonal(self, seasonal_p: usize, seasonal_d: usize, seasonal_q: usize, season_length: usize) -> Self {
        ArimaOrder { seasonal_p, seasonal_d, seasonal_q, season_length, ..self }
    }

    /// Whether the model has a seasonal part.
    pub fn is_seasonal(&self) -> bool {
        self.season_length > 1 && self.seasonal_p + self.seasonal_d + self.seasonal_q > 0
    }

    /// Total number of differences `d + D`.
    pub fn differences(&self) -> usize {
        self.d + self.seasonal_d
    }

    /// Observations lost to differencing: `d + m D`.
    pub fn lost_to_differencing(&self) -> usize {
        self.d + self.seasonal_d * self.season_length
    }

    /// Checks the orders: season length at least 1, seasonal orders only with `m > 1`, and
    /// polynomials of degree at most 350 (`p + mP`, `q + mQ`).
    pub fn validate(&self) -> Result<()> {
        if self.season_length == 0 {
            return Err(Error::invalid_parameter("season_length", "must be at least 1"));
        }
        if self.season_length == 1 && self.seasonal_p + self.seasonal_d + self.seasonal_q > 0 {
            return Err(Error::invalid_parameter("order", "seasonal orders need a season length above 1"));
        }
        let ar = self.p + self.season_length.saturating_mul(self.seasonal_p);
        let ma = self.q + self.season_length.saturating_mul(self.seasonal_q);
        if ar > 350 || ma > 350 {
            return Err(Error::invalid_parameter(
                "order",
                format!("{self}: AR and MA polynomials are limited to degree 350 (p + mP = {ar}, q + mQ = {ma})"),
            ));
        }
        if self.d > 2 || self.seasonal_d > 2 {
            return Err(Error::invalid_parameter(
                "order",
                format!("{self}: at most 2 regular and 2 seasonal differences"),
            ));
        }
        Ok(())
    }
}

impl fmt::Display for ArimaOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ARIMA({},{},{})", self.p, self.d, self.q)?;
        if self.is_seasonal() {
            write!(f, "({},{},{})[{}]", self.seasonal_p, self.seasonal_d, self.seasonal_q, self.season_length)?;
        }
        Ok(())
    }
}

/// How the coefficients are estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EstimationMethod {
    /// Conditional sum of squares for starting values, then exact maximum likelihood (default,
    /// as R's `arima` and statsforecast).
    #[default]
    CssMl,
    /// Exact maximum likelihood from zero starting values.
    Ml,
    /// Conditional sum of squares only (fast, approximate).
    Css,
}
