//! Deterministic synthetic sales data for tests, benchmarks, examples and the demo.
//!
//! [`generate`] simulates several stores in different time zones over a date range:
//! - customers join (some before the start) and churn after an exponential lifetime, and buy
//!   at individual, gamma-distributed rates (a Poisson process thinned by the store's demand);
//! - customers have lasting tastes: two favourite categories each, from which a share of their
//!   picks comes (so their past purchases predict their future ones);
//! - products in categories with Zipf-like popularity and list prices and costs; each product
//!   has a few *complements* that are often bought with it (co-purchase structure);
//! - demand with a trend, a weekly and a yearly pattern, holidays (closed on 25 December and
//!   1 January, a rush before Christmas and on Black Friday) and guest checkouts;
//! - returns: a share of sale lines come back 1–30 days later as negative quantities;
//! - injected anomalies (spike and drop days), whose labels are returned.
//!
//! The same configuration gives the same data bit for bit on every target and thread count.
//!
//! ```
//! use storelytics::generator::{generate, GeneratorConfig};
//! let data = generate(&GeneratorConfig { lines: 20_000, ..Default::default() })?;
//! assert!(data.sales.len() > 15_000);
//! assert_eq!(data.sales.stores().len(), 3);
//! assert!(!data.anomalies.is_empty());
//! # Ok::<(), storelytics::Error>(())
//! ```

mod catalog;
mod demand;
mod orders;
mod rng;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::Product;
use crate::error::{Error, Result};
use crate::ids::Id;
use crate::sales::Sales;

/// What the generator should produce. `Default` gives three stores over two years with about
/// 100,000 line items; `customers` and `products` scale with `lines` when left at 0.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratorConfig {
    /// Seed of all randomness.
    pub seed: u64,
    /// Number of stores (at most [`TIME_ZONES`]`.len()`); each gets its own time zone.
    pub stores: usize,
    /// First day.
    pub start: NaiveDate,
    /// Number of days.
    pub days: u32,
    /// Approximate number of line items.
    pub lines: usize,
    /// Customers; 0 = `lines / 25`.
    pub customers: usize,
    /// Products; 0 = between 50 and 20,000, `lines / 500`.
    pub products: usize,
    /// Product categories.
    pub categories: usize,
    /// Share of orders placed as guest (no customer id).
    pub guest_share: f64,
    /// Share of sale lines that are returned later.
    pub return_rate: f64,
    /// Anomalous days injected per store.
    pub anomalies_per_store: usize,
    /// Yearly growth of demand, e.g. 0.1 = +10% per year.
    pub yearly_growth: f64,
    /// Share of a registered customer's picks (those that are not complements of the basket)
    /// taken from the customer's two favourite categories, by popularity within them; the rest
    /// follow overall popularity. 0 = no lasting tastes. Default 0.8.
    pub taste_share: f64,
}

impl Default for GeneratorConfig {
    fn default() -> Self {
        GeneratorConfig {
            seed: 42,
            stores: 3,
            start: NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or(NaiveDate::MIN),
            days: 730,
            lines: 100_000,
            customers: 0,
            products: 0,
            categories: 12,
            guest_share: 0.15,
            return_rate: 0.03,
            anomalies_per_store: 8,
            yearly_growth: 0.1,
            taste_share: 0.8,
        }
    }
}

/// Time zones given to the stores, in order.
pub const TIME_ZONES: [&str; 8] = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Los_Angeles",
    "Europe/London",
    "Asia/Kolkata",
    "America/Sao_Paulo",
];

/// The kind of an injected anomaly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomalyKind {
    /// Demand multiplied by a factor above 1.
    Spike,
    /// Demand multiplied by a factor below 1.
    Drop,
}

/// A labelled anomalous day of one store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnomalyLabel {
    /// Store id.
    pub store: Id,
    /// Local date.
    pub date: NaiveDate,
    /// Spike or drop.
    pub kind: AnomalyKind,
    /// Demand multiplier applied that day.
    pub factor: f64,
}

/// The generated data and what was put into it.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The line items.
    pub sales: Sales,
    /// The product catalogue (category, list price, unit cost).
    pub products: Vec<Product>,
    /// Injected anomalies, by store and date.
    pub anomalies: Vec<AnomalyLabel>,
    /// Days every store is closed (zero sales by design).
    pub closed_days: Vec<NaiveDate>,
}

/// Generates a dataset; see the [module docs](self).
pub fn generate(config: &GeneratorConfig) -> Result<Generated> {
    validate(config)?;
    orders::simulate(config)
}

fn validate(c: &GeneratorConfig) -> Result<()> {
    let bad = |name: &str, problem: &str| Err(Error::invalid_parameter(name, problem));
    if c.stores == 0 || c.stores > TIME_ZONES.len() {
        return bad("stores", &format!("must be between 1 and {}", TIME_ZONES.len()));
    }
    if c.days == 0 || c.days > 366 * 50 {
        return bad("days", "must be between 1 and 18300");
    }
    if c.lines == 0 || c.lines > 200_000_000 {
        return bad("lines", "must be between 1 and 200,000,000");
    }
    if c.categories == 0 {
        return bad("categories", "must be at least 1");
    }
    if !(0.0..1.0).contains(&c.guest_share) {
        return bad("guest_share", "must be in [0, 1)");
    }
    if !(0.0..0.5).contains(&c.return_rate) {
        return bad("return_rate", "must be in [0, 0.5)");
    }
    if !(0.0..=1.0).contains(&c.taste_share) {
        return bad("taste_share", "must be in [0, 1]");
    }
    if !(-0.9..=10.0).contains(&c.yearly_growth) {
        return bad("yearly_growth", "must be between -0.9 and 10");
    }
    Ok(())
}
