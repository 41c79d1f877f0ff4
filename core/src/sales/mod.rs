//! The validated, columnar table of sales line items that every analytic reads.
//!
//! Build one with [`SalesBuilder`] (typed columns; every target including wasm) or, with the
//! `polars` feature, from a polars `DataFrame`, a CSV or a Parquet file ([`crate::sales::io`]).
//!
//! Inside, rows are sorted by (store, timestamp, order) and every id is interned to a dense
//! `u32` code with a [`Dictionary`] back to the caller's id. Money is exact integer minor units,
//! quantities are exact thousandths of a unit, and each line carries its store-local day
//! number, so calendar bucketing in the store's time zone is integer arithmetic.

mod builder;
mod columns;
#[cfg(feature = "polars")]
pub mod io;
mod sort;
pub(crate) mod timezone;

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

pub use builder::{SalesBuilder, StoreTimeZones};
pub use columns::{IdColumn, NumberColumn, TimestampColumn};

use crate::calendar::{Period, date_of};
use crate::error::{Error, Result};
use crate::ids::{Dictionary, Id};

/// The local day numbers (see [`crate::calendar::day_number`]) of UTC instants in microseconds
/// in the IANA time zone `time_zone`: the days [`Sales::days`] holds for a store in that zone.
///
/// ```
/// use storelytics::calendar::day_number;
/// // 2024-03-01T23:30:00Z is already March 2nd in Berlin.
/// let days = storelytics::sales::local_days("Europe/Berlin", &[1_709_335_800_000_000])?;
/// assert_eq!(days, vec![day_number(chrono::NaiveDate::from_ymd_opt(2024, 3, 2).unwrap())]);
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn local_days(time_zone: &str, ts_micros: &[i64]) -> Result<Vec<i32>> {
    let tz = timezone::parse_zone("", time_zone)?;
    let mut days = vec![0; ts_micros.len()];
    timezone::local_days(tz, ts_micros, &mut days);
    Ok(days)
}

/// Customer code of a guest line (no customer id).
pub const GUEST: u32 = u32::MAX;

/// Category code of a product without a category.
pub const NO_CATEGORY: u32 = u32::MAX;

/// Quantities are stored in thousandths of a unit.
pub const QUANTITY_SCALE: i64 = 1000;

/// One store (tenant) of a [`Sales`] table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoreInfo {
    /// The caller's store id.
    pub id: Id,
    /// IANA time zone used for the store's calendar buckets.
    pub time_zone: String,
    /// The store's rows in the table (rows are sorted by store).
    #[serde(skip)]
    pub rows: Range<usize>,
}

/// Dictionaries and product attributes shared by a table and its filtered views.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub(crate) orders: Dictionary,
    pub(crate) products: Dictionary,
    pub(crate) customers: Dictionary,
    pub(crate) categories: Dictionary,
    /// Category code per product code ([`NO_CATEGORY`] if none).
    pub(crate) product_category: Vec<u32>,
}

/// A validated, columnar table of sales line items. See the [module docs](self).
///
/// ```
/// use storelytics::sales::{SalesBuilder, GUEST};
/// let sales = SalesBuilder::new()
///     .order_id(vec!["o1", "o1", "o2"])
///     .timestamp(vec!["2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", "2024-03-02 09:30:00"])
///     .product_id(vec!["apple", "pear", "apple"])
///     .quantity(vec![2.0, 1.0, -1.0])
///     .unit_price(vec![0.5, 1.25, 0.5])
///     .customer_id(vec![Some("c1"), Some("c1"), None])
///     .build()
///     .unwrap();
/// assert_eq!(sales.len(), 3);
/// assert_eq!(sales.amounts(), &[100, 125, -50]); // cents
/// assert_eq!(sales.customer_codes()[2], GUEST);
/// ```
#[derive(Debug, Clone)]
pub struct Sales {
    pub(crate) ts: Vec<i64>,
    pub(crate) day: Vec<i32>,
    pub(crate) order: Vec<u32>,
    pub(crate) product: Vec<u32>,
    pub(crate) customer: Vec<u32>,
    pub(crate) quantity: Vec<i64>,
    pub(crate) amount: Vec<i64>,
    pub(crate) cost: Option<Vec<i64>>,
    pub(crate) stores: Vec<StoreInfo>,
    pub(crate) catalog: Arc<Catalog>,
    pub(crate) money_scale: u32,
}

impl Sales {
    /// Number of line items.
    pub fn len(&self) -> usize {
        self.ts.len()
    }

    /// Whether the table has no line items.
    pub fn is_empty(&self) -> bool {
        self.ts.is_empty()
    }

    /// The stores, in store-code order, with their row ranges.
    pub fn stores(&self) -> &[StoreInfo] {
        &self.stores
    }

    /// Timestamps in microseconds since the Unix epoch, UTC.
    pub fn ts_micros(&self) -> &[i64] {
        &self.ts
    }

    /// Store-local calendar day of each line, as a day number ([`crate::calendar::day_number`]).
    pub fn days(&self) -> &[i32] {
        &self.day
    }

    /// Order code of each line (codes are per store and order id; see [`Sales::orders`]).
    pub fn order_codes(&self) -> &[u32] {
        &self.order
    }

    /// Product code of each line.
    pub fn product_codes(&self) -> &[u32] {
        &self.product
    }

    /// Customer code of each line; [`GUEST`] for guest checkouts.
    pub fn customer_codes(&self) -> &[u32] {
        &self.customer
    }

    /// Quantity of each line in thousandths of a unit ([`QUANTITY_SCALE`]); negative for returns.
    pub fn quantities_milli(&self) -> &[i64] {
        &self.quantity
    }

    /// Line revenue (quantity × unit price) in money minor units; negative for returns.
    pub fn amounts(&self) -> &[i64] {
        &self.amount
    }

    /// Line cost (quantity × unit cost) in minor units, when costs were given.
    pub fn costs(&self) -> Option<&[i64]> {
        self.cost.as_deref()
    }

    /// Decimal places of money amounts (2 = cents).
    pub fn money_scale(&self) -> u32 {
        self.money_scale
    }

    /// Order ids by order code. An order id used by two stores has one code per store.
    pub fn orders(&self) -> &Dictionary {
        &self.catalog.orders
    }

    /// Product ids by product code.
    pub fn products(&self) -> &Dictionary {
        &self.catalog.products
    }

    /// Customer ids by customer code.
    pub fn customers(&self) -> &Dictionary {
        &self.catalog.customers
    }

    /// Category names by category code.
    pub fn categories(&self) -> &Dictionary {
        &self.catalog.categories
    }

    /// Category code of a product, if it has one.
    pub fn product_category(&self, product: u32) -> Option<u32> {
        self.catalog.product_category.get(product as usize).copied().filter(|&c| c != NO_CATEGORY)
    }

    /// Index of the store with id `id`.
    pub fn store_index(&self, id: &Id) -> Result<usize> {
        self.stores
            .iter()
            .position(|s| &s.id == id)
            .ok_or_else(|| Error::UnknownId { kind: "store".into(), id: id.to_string() })
    }

    /// First and last local date with a line, if any.
    pub fn date_range(&self) -> Option<Period> {
        let lo = self.day.iter().min()?;
        let hi = self.day.iter().max()?;
        Period::new(date_of(*lo), date_of(*hi)).ok()
    }

    /// Rows of store `s` whose local day is within `period` (rows are sorted by day per store).
    pub(crate) fn store_rows_in(&self, s: usize, first_day: i32, last_day: i32) -> Range<usize> {
        let r = self.stores[s].rows.clone();
        let days = &self.day[r.clone()];
        let lo = days.partition_point(|&d| d < first_day);
        let hi = days.partition_point(|&d| d <= last_day);
        r.start + lo..r.start + hi.max(lo)
    }

    /// The lines whose store-local date lies in `period`. Dictionaries are shared with `self`.
    pub fn filter_period(&self, period: &Period) -> Sales {
        let ranges: Vec<Range<usize>> =
            (0..self.stores.len()).map(|s| self.store_rows_in(s, period.start_day(), period.end_day())).collect();
        self.select(&ranges)
    }

    /// The lines of one store. Dictionaries are shared with `self`.
    pub fn for_store(&self, id: &Id) -> Result<Sales> {
        let s = self.store_index(id)?;
        let ranges: Vec<Range<usize>> =
            (0..self.stores.len()).map(|i| if i == s { self.stores[i].rows.clone() } else { 0..0 }).collect();
        let mut out = self.select(&ranges);
        out.stores.retain(|st| st.id == *id);
        Ok(out)
    }

    /// The lines of one product (all stores). Dictionaries are shared with `self`.
    ///
    /// Errors with [`Error::UnknownId`] for a product not in the table.
    pub fn for_product(&self, id: &Id) -> Result<Sales> {
        let code = self
            .catalog
            .products
            .code(id)
            .ok_or_else(|| Error::UnknownId { kind: "product".into(), id: id.to_string() })?;
        let keep: Vec<usize> = (0..self.len()).filter(|&i| self.product[i] == code).collect();
        let mut stores = Vec::with_capacity(self.stores.len());
        let mut at = 0;
        for st in &self.stores {
            let n = keep[at..].partition_point(|&i| i < st.rows.end);
            stores.push(StoreInfo { id: st.id.clone(), time_zone: st.time_zone.clone(), rows: at..at + n });
            at += n;
        }
        fn pick<T: Copy>(col: &[T], keep: &[usize]) -> Vec<T> {
            keep.iter().map(|&i| col[i]).collect()
        }
        Ok(Sales {
            ts: pick(&self.ts, &keep),
            day: pick(&self.day, &keep),
            order: pick(&self.order, &keep),
            product: pick(&self.product, &keep),
            customer: pick(&self.customer, &keep),
            quantity: pick(&self.quantity, &keep),
            amount: pick(&self.amount, &keep),
            cost: self.cost.as_ref().map(|c| pick(c, &keep)),
            stores,
            catalog: Arc::clone(&self.catalog),
            money_scale: self.money_scale,
        })
    }

    /// Keeps the rows of `ranges[s]` for each store `s` (stores keep their positions).
    fn select(&self, ranges: &[Range<usize>]) -> Sales {
        let total: usize = ranges.iter().map(|r| r.len()).sum();
        fn pick<T: Copy>(col: &[T], ranges: &[Range<usize>], total: usize) -> Vec<T> {
            let mut out = Vec::with_capacity(total);
            for r in ranges {
                out.extend_from_slice(&col[r.clone()]);
            }
            out
        }
        let mut stores = Vec::with_capacity(self.stores.len());
        let mut at = 0;
        for (st, r) in self.stores.iter().zip(ranges) {
            stores.push(StoreInfo { id: st.id.clone(), time_zone: st.time_zone.clone(), rows: at..at + r.len() });
            at += r.len();
        }
        Sales {
            ts: pick(&self.ts, ranges, total),
            day: pick(&self.day, ranges, total),
            order: pick(&self.order, ranges, total),
            product: pick(&self.product, ranges, total),
            customer: pick(&self.customer, ranges, total),
            quantity: pick(&self.quantity, ranges, total),
            amount: pick(&self.amount, ranges, total),
            cost: self.cost.as_ref().map(|c| pick(c, ranges, total)),
            stores,
            catalog: Arc::clone(&self.catalog),
            money_scale: self.money_scale,
        }
    }

    /// Heap bytes held by the line columns, per line item (dictionaries excluded; see
    /// [`Sales::heap_bytes`]).
    pub fn column_bytes_per_line(&self) -> f64 {
        if self.is_empty() {
            return 0.0;
        }
        self.column_bytes() as f64 / self.len() as f64
    }

    fn column_bytes(&self) -> usize {
        self.ts.capacity() * 8
            + self.day.capacity() * 4
            + self.order.capacity() * 4
            + self.product.capacity() * 4
            + self.customer.capacity() * 4
            + self.quantity.capacity() * 8
            + self.amount.capacity() * 8
            + self.cost.as_ref().map_or(0, |c| c.capacity() * 8)
    }

    /// Approximate heap bytes of the whole table including dictionaries.
    pub fn heap_bytes(&self) -> usize {
        let c = &self.catalog;
        self.column_bytes()
            + c.orders.heap_bytes()
            + c.products.heap_bytes()
            + c.customers.heap_bytes()
            + c.categories.heap_bytes()
            + c.product_category.len() * 4
    }
}
