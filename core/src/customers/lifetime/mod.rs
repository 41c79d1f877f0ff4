//! Customer lifetime value: BG/NBD for the number of future purchases, Gamma-Gamma for spend
//! per purchase, both fitted by maximum likelihood, combined into a discounted value.
//!
//! Histories follow the calibration-summary convention of the `lifetimes` package: per
//! customer, purchases are counted per *purchase day*; `frequency` is the number of purchase
//! days after the first, `recency` the time from the first to the last purchase day, `age` (T)
//! the time from the first purchase day to the end of observation, and `monetary` the mean net
//! spend of the repeat purchase days (0 without repeats).

mod bgnbd;
mod gamma_gamma;
mod sales;
mod special;
pub(crate) mod summary;

pub use bgnbd::{BgNbdFit, BgNbdParams, fit_bgnbd};
pub use gamma_gamma::{GammaGammaFit, GammaGammaParams, fit_gamma_gamma};
pub use sales::{CustomerLifetime, LifetimeOptions, LifetimeTable, StoreLifetime, lifetime_value};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One customer's repeat-purchase history (the `lifetimes` calibration summary row).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RepeatHistory {
    /// Repeat purchases: purchase days after the first.
    pub frequency: u32,
    /// Time from the first to the last purchase, in the time unit.
    pub recency: f64,
    /// Time from the first purchase to the end of observation (T), in the time unit.
    pub age: f64,
    /// Mean spend of the repeat purchases, money major units (0 without repeats).
    pub monetary: f64,
}

/// The time unit of histories and horizons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Days; a month counts 30 days.
    #[default]
    Days,
    /// Weeks of 7 days; a month counts 4.345 weeks.
    Weeks,
}

impl TimeUnit {
    /// Length of a day in this unit.
    pub fn per_day(self) -> f64 {
        match self {
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 1.0 / 7.0,
        }
    }

    /// Units per month in the value discounting (the `lifetimes` convention: 30 days or 4.345 weeks).
    pub fn per_month(self) -> f64 {
        match self {
            TimeUnit::Days => 30.0,
            TimeUnit::Weeks => 4.345,
        }
    }
}

/// How to value customers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ValueOptions {
    /// Months of future purchases to value. Default 12.
    pub horizon_months: u32,
    /// Discount rate per month. Default 0.01.
    pub monthly_discount_rate: f64,
    /// Time unit of the histories. Default days.
    pub time_unit: TimeUnit,
}

impl Default for ValueOptions {
    fn default() -> Self {
        ValueOptions { horizon_months: 12, monthly_discount_rate: 0.01, time_unit: TimeUnit::Days }
    }
}

/// Predictions for one customer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CustomerValue {
    /// Expected purchases over the horizon.
    pub expected_purchases: f64,
    /// Probability that the customer is still active.
    pub probability_alive: f64,
    /// Expected spend per purchase (Gamma-Gamma), money major units.
    pub expected_average_spend: f64,
    /// Discounted value of the purchases over the horizon, money major units.
    pub lifetime_value: f64,
}

/// Checks histories: finite, non-negative, `recency <= age`, no recency without repeats.
pub(crate) fn validate_histories(histories: &[RepeatHistory]) -> Result<()> {
    if histories.is_empty() {
        return Err(Error::insufficient_data("lifetime value", "no customers"));
    }
    for (i, h) in histories.iter().enumerate() {
        let problem = if !(h.recency.is_finite() && h.age.is_finite() && h.monetary.is_finite()) {
            Some("a non-finite value")
        } else if h.recency < 0.0 || h.age < 0.0 {
            Some("a negative time")
        } else if h.recency > h.age {
            Some("recency greater than age")
        } else if h.frequency == 0 && h.recency != 0.0 {
            Some("recency without repeat purchases")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(Error::invalid_parameter("histories", format!("customer {i} has {problem}")));
        }
    }
    Ok(())
}

/// Expected purchases, probability alive, expected spend and discounted lifetime value of each
/// customer: the value sums, month by month over the horizon, expected spend × expected
/// purchases in that month / (1 + rate)^month (the `lifetimes` `customer_lifetime_value`
/// convention).
///
/// ```
/// use storelytics::customers::{BgNbdParams, GammaGammaParams, RepeatHistory, ValueOptions, TimeUnit, predict_values};
/// let bg = BgNbdParams { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
/// let gg = GammaGammaParams { p: 6.25, q: 3.74, gamma: 15.44 };
/// let h = RepeatHistory { frequency: 2, recency: 30.43, age: 38.86, monetary: 40.0 };
/// let options = ValueOptions { time_unit: TimeUnit::Weeks, ..Default::default() };
/// let v = predict_values(&[h], &bg, &gg, &options).unwrap();
/// assert!(v[0].lifetime_value > 0.0);
/// ```
pub fn predict_values(
    histories: &[RepeatHistory],
    bgnbd: &BgNbdParams,
    gamma_gamma: &GammaGammaParams,
    options: &ValueOptions,
) -> Result<Vec<CustomerValue>> {
    validate_histories(histories)?;
    if !(options.monthly_discount_rate.is_finite() && options.monthly_discount_rate > -1.0) {
        return Err(Error::invalid_parameter("monthly_discount_rate", "must be finite and greater than -1"));
    }
    if options.horizon_months == 0 || options.horizon_months > 1200 {
        return Err(Error::invalid_parameter("horizon_months", "must be between 1 and 1200"));
    }
    let per_month = options.time_unit.per_month();
    histories
        .iter()
        .map(|h| {
            let spend = gamma_gamma.expected_average_spend(h).ok_or_else(|| Error::Numerical {
                analysis: "Gamma-Gamma expected spend".into(),
                problem: format!("q = {} <= 1: the population mean spend does not exist", gamma_gamma.q),
            })?;
            let mut value = 0.0;
            let mut previous = 0.0;
            for month in 1..=options.horizon_months {
                let cumulative = bgnbd.expected_purchases(h, month as f64 * per_month)?;
                value += spend * (cumulative - previous) / (1.0 + options.monthly_discount_rate).powi(month as i32);
                previous = cumulative;
            }
            Ok(CustomerValue {
                expected_purchases: previous,
                probability_alive: bgnbd.probability_alive(h),
                expected_average_spend: spend,
                lifetime_value: value,
            })
        })
        .collect()
}
