//! RFM: recency, frequency and monetary value per (store, customer), quintile scores and
//! named segments.
//!
//! Definitions (all per store, in the store's local calendar):
//! - lines after the `as_of` date and guest lines are ignored;
//! - a *purchase* is an order with at least one positive-quantity line; `frequency` counts
//!   distinct purchase orders, `first_purchase` / `last_purchase` are their dates and
//!   `recency_days = as_of − last_purchase`, `tenure_days = as_of − first_purchase`;
//! - `monetary` is net revenue: every line of the customer, returns included (so it can be
//!   zero or negative); `average_order_value = monetary / frequency`;
//! - customers whose lines are all returns have no purchase and no row (counted per store).
//!
//! Scores are quantile scores within each store, computed as pandas
//! `qcut(x.rank(method="first"), bins, labels=1..=bins)` (recency with reversed labels: the most
//! recent customers score highest). Rows are in ascending customer id order per store and this
//! order breaks ties: among equal values the earlier id gets the lower rank. Consequently each
//! score holds `n / bins` customers (±1) even when many values are equal — e.g. when most
//! customers bought once, frequency scores 1–3 may all hold one-order customers, told apart
//! only by id. A store with a single customer cannot be ranked; that customer gets the middle
//! score (3 of 5) and the table notes it.

mod aggregate;
mod quantiles;
mod score;
mod summary;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use aggregate::CustomerTotals;
pub(crate) use aggregate::customer_totals;
pub(crate) use quantiles::MAX_BINS;
pub use quantiles::quantile_scores;
pub use summary::SegmentSummary;

use super::lines::stores_by_id;
use super::segments::{Segment, SegmentMap};
use crate::calendar::{date_of, day_number};
use crate::error::{Error, Result};
use crate::ids::Id;
use crate::sales::Sales;

/// Options of [`rfm`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmOptions {
    /// The date recency is measured at (store-local); lines after it are ignored. `None`
    /// (default): each store's last sale date.
    pub as_of: Option<NaiveDate>,
    /// Number of score bins, 2–10. Default 5 (quintiles).
    pub bins: u8,
    /// Segment rules. Default: the ten-segment R/F map ([`SegmentMap::default`]).
    pub segments: SegmentMap,
}

impl Default for RfmOptions {
    fn default() -> Self {
        RfmOptions { as_of: None, bins: 5, segments: SegmentMap::default() }
    }
}

/// One customer's RFM values, scores and segment in one store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerRfm {
    /// The store.
    pub store: Id,
    /// The customer.
    pub customer: Id,
    /// Days from the last purchase to the as-of date.
    pub recency_days: i32,
    /// Distinct purchase orders.
    pub frequency: u32,
    /// Net revenue (sales minus returns) in money minor units, exact.
    pub monetary_minor: i64,
    /// Net revenue in major units.
    pub monetary: f64,
    /// Date of the first purchase.
    pub first_purchase: NaiveDate,
    /// Date of the last purchase.
    pub last_purchase: NaiveDate,
    /// Days from the first purchase to the as-of date.
    pub tenure_days: i32,
    /// Net revenue per purchase order, major units.
    pub average_order_value: f64,
    /// Recency score, 1..=bins (bins = most recent).
    pub recency_score: u8,
    /// Frequency score, 1..=bins.
    pub frequency_score: u8,
    /// Monetary score, 1..=bins.
    pub monetary_score: u8,
    /// Named segment.
    pub segment: Segment,
}

/// Per-store facts of an [`RfmTable`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoreRfm {
    /// The store.
    pub store: Id,
    /// The as-of date used.
    pub as_of: NaiveDate,
    /// Customers with a row.
    pub customers: usize,
    /// Customers left out because they only returned goods up to the as-of date.
    pub return_only_customers: usize,
    /// Net revenue of the store's customers (guests excluded) up to the as-of date, minor units.
    /// Equals the sum of `monetary_minor` of its rows plus the return-only customers' net.
    pub net_revenue_minor: i64,
}

/// The result of [`rfm`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RfmTable {
    /// One row per (store, customer), stores and customers by ascending id.
    pub rows: Vec<CustomerRfm>,
    /// One entry per store with sales up to the as-of date.
    pub stores: Vec<StoreRfm>,
    /// Score bins used.
    pub bins: u8,
    /// Decimal places of money.
    pub money_scale: u32,
    /// The segment rules used (for [`RfmTable::segment_summary`]).
    pub segments: SegmentMap,
    /// Documented fallbacks that were used, e.g. a store with a single customer.
    pub notes: Vec<String>,
}

/// RFM table of every (store, customer): recency, frequency, monetary value, quantile scores
/// and segment. See the [module documentation](self) for the exact definitions.
///
/// Errors: invalid `bins` or a segment map that does not cover every score combination;
/// no customer purchase (only guests); an `as_of` date before the first sale.
///
/// ```
/// use storelytics::customers::{rfm, RfmOptions};
/// use storelytics::generator::{generate, GeneratorConfig};
/// let sales = generate(&GeneratorConfig { lines: 20_000, ..Default::default() })?.sales;
/// let table = rfm(&sales, &RfmOptions::default())?;
/// assert!(table.rows.iter().all(|r| (1..=5).contains(&r.recency_score)));
/// let summary = table.segment_summary();
/// let total: i64 = summary.iter().map(|s| s.net_revenue_minor).sum();
/// assert_eq!(total, table.rows.iter().map(|r| r.monetary_minor).sum::<i64>());
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn rfm(sales: &Sales, options: &RfmOptions) -> Result<RfmTable> {
    quantiles::validate_bins(options.bins)?;
    options.segments.validate(options.bins)?;
    let first_day = options.as_of.and_then(|_| sales.days().iter().copied().min());
    if let (Some(as_of), Some(first)) = (options.as_of, first_day)
        && day_number(as_of) < first
    {
        return Err(Error::invalid_parameter(
            "as_of",
            format!("{as_of} is before the first sale ({})", date_of(first)),
        ));
    }
    let dictionary = sales.customers();
    let scale = 10f64.powi(sales.money_scale() as i32);
    let mut table = RfmTable {
        rows: Vec::new(),
        stores: Vec::new(),
        bins: options.bins,
        money_scale: sales.money_scale(),
        segments: options.segments.clone(),
        notes: Vec::new(),
    };
    for (store, lines) in stores_by_id(sales) {
        // With a given as-of date, a store whose first sale is later has nothing to score;
        // without one, the store's last sale day is the as-of day.
        let as_of_day = match options.as_of {
            Some(as_of) => {
                let as_of_day = day_number(as_of);
                if lines.first_day().is_none_or(|d| d > as_of_day) {
                    continue;
                }
                as_of_day
            }
            None => {
                let Some(last_day) = lines.last_day() else { continue };
                last_day
            }
        };
        let mut totals = customer_totals(lines, as_of_day);
        // Rows (and tie-breaking) in ascending customer id order.
        let mut codes: Vec<u32> = totals.customers.iter().map(|c| c.customer).collect();
        dictionary.sort_codes_by_id(&mut codes);
        totals.customers = in_code_order(&totals.customers, &codes);
        let dates = DateTable::new(totals.customers.iter().map(|c| c.first_day).min().unwrap_or(as_of_day), as_of_day);
        let scored = score::score_store(&totals, as_of_day, options.bins, &options.segments)?;
        if scored.len() == 1 {
            table.notes.push(format!(
                "store {} has a single customer: it gets the middle score {} on R, F and M",
                store.id,
                quantiles::lone_score(options.bins)
            ));
        }
        table.stores.push(StoreRfm {
            store: store.id.clone(),
            as_of: date_of(as_of_day),
            customers: scored.len(),
            return_only_customers: totals.return_only,
            net_revenue_minor: totals.net_minor,
        });
        let row = |c: &score::ScoredCustomer| {
            let monetary = c.monetary_minor as f64 / scale;
            CustomerRfm {
                store: store.id.clone(),
                customer: dictionary.id(c.customer),
                recency_days: c.recency_days,
                frequency: c.frequency,
                monetary_minor: c.monetary_minor,
                monetary,
                first_purchase: dates.date(c.first_day),
                last_purchase: dates.date(c.last_day),
                tenure_days: as_of_day.saturating_sub(c.first_day),
                average_order_value: monetary / c.frequency.max(1) as f64,
                recency_score: c.r,
                frequency_score: c.f,
                monetary_score: c.m,
                segment: options
                    .segments
                    .rules
                    .get(c.rule)
                    .map(|rule| rule.segment.clone())
                    .unwrap_or(Segment::Hibernating),
            }
        };
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            table.rows.par_extend(scored.par_iter().with_min_len(4096).map(row));
        }
        #[cfg(not(feature = "parallel"))]
        table.rows.extend(scored.iter().map(row));
    }
    if table.rows.is_empty() {
        return Err(Error::insufficient_data(
            "RFM",
            "no customer purchase up to the as-of date (guest lines and returns do not count)",
        ));
    }
    Ok(table)
}

/// `customers` (one entry per code) rearranged into the order of `codes`.
fn in_code_order(customers: &[CustomerTotals], codes: &[u32]) -> Vec<CustomerTotals> {
    let (Some(base), Some(top)) =
        (customers.iter().map(|c| c.customer).min(), customers.iter().map(|c| c.customer).max())
    else {
        return Vec::new();
    };
    let width = (top - base) as usize + 1;
    let mut position = vec![u32::MAX; width];
    for (i, c) in customers.iter().enumerate() {
        if let Some(p) = position.get_mut(c.customer.wrapping_sub(base) as usize) {
            *p = i as u32;
        }
    }
    codes
        .iter()
        .filter_map(|&code| position.get(code.wrapping_sub(base) as usize).and_then(|&i| customers.get(i as usize)))
        .copied()
        .collect()
}

/// Dates of a range of day numbers, converted once (a date conversion costs far more than a lookup).
struct DateTable {
    first: i32,
    dates: Vec<NaiveDate>,
}

impl DateTable {
    /// Days `first..=last`; an empty table when the range is reversed or implausibly long.
    fn new(first: i32, last: i32) -> DateTable {
        let span = last as i64 - first as i64 + 1;
        let dates = if (1..=1_000_000).contains(&span) { (first..=last).map(date_of).collect() } else { Vec::new() };
        DateTable { first, dates }
    }

    /// The date of `day` (converted directly outside the table's range).
    #[inline]
    fn date(&self, day: i32) -> NaiveDate {
        usize::try_from(day as i64 - self.first as i64)
            .ok()
            .and_then(|i| self.dates.get(i).copied())
            .unwrap_or_else(|| date_of(day))
    }
}
