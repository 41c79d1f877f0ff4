//! Reading sales from polars `DataFrame`s, CSV and Parquet files, and writing a table back to a
//! `DataFrame` ([`to_dataframe`]) (feature `polars`).
//!
//! Columns are found by name through a [`ColumnMapping`] (defaults: the data contract's names).
//! Id columns may be any integer type or strings; numbers any numeric type; timestamps a
//! polars `Datetime` (UTC), a `Date` (local date of the store) or text (see
//! [`super::TimestampColumn`]).
//!
//! ```no_run
//! use storelytics::sales::io::{read_parquet, ReadOptions};
//! let mut options = ReadOptions::default();
//! options.mapping.order_id = "InvoiceNo".into();
//! options.mapping.customer_id = "CustomerID".into();
//! let sales = read_parquet("sales.parquet", &options)?;
//! # Ok::<(), storelytics::Error>(())
//! ```

use std::path::Path;

use polars::prelude::*;

use super::builder::{Names, RawLines, StoreTimeZones};
use super::columns::{Interned, RawTimes, RawTs, intern_runs, parse_timestamp};
use super::{GUEST, NO_CATEGORY, QUANTITY_SCALE, Sales};
use crate::calendar::day_number;
use crate::error::{Error, Result, Rows};
use crate::ids::{Id, Interner};
use crate::money::DEFAULT_SCALE;

/// The caller's column names for each column of the data contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapping {
    /// Order id column (required).
    pub order_id: String,
    /// Timestamp or date column (required).
    pub ts: String,
    /// Product id column (required).
    pub product_id: String,
    /// Quantity column (required).
    pub quantity: String,
    /// Unit price column (required unless `amount` is present).
    pub unit_price: String,
    /// Line revenue column (alternative to `unit_price`).
    pub amount: String,
    /// Unit cost column (optional).
    pub unit_cost: String,
    /// Customer id column (optional; null = guest).
    pub customer_id: String,
    /// Store id column (optional).
    pub store_id: String,
    /// Category column (optional).
    pub category: String,
}

impl Default for ColumnMapping {
    fn default() -> Self {
        let n = Names::default();
        ColumnMapping {
            order_id: n.order_id,
            ts: n.ts,
            product_id: n.product_id,
            quantity: n.quantity,
            unit_price: n.unit_price,
            amount: n.amount,
            unit_cost: n.unit_cost,
            customer_id: n.customer_id,
            store_id: n.store_id,
            category: n.category,
        }
    }
}

impl ColumnMapping {
    fn names(&self) -> Names {
        Names {
            order_id: self.order_id.clone(),
            ts: self.ts.clone(),
            product_id: self.product_id.clone(),
            quantity: self.quantity.clone(),
            unit_price: self.unit_price.clone(),
            amount: self.amount.clone(),
            unit_cost: self.unit_cost.clone(),
            customer_id: self.customer_id.clone(),
            store_id: self.store_id.clone(),
            category: self.category.clone(),
        }
    }
}

/// Options for reading sales from a frame or file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadOptions {
    /// Column names.
    pub mapping: ColumnMapping,
    /// Store time zones (default UTC).
    pub time_zones: StoreTimeZones,
    /// Money decimal places (default 2).
    pub money_scale: Option<u32>,
}

/// Reads a CSV file with a header row.
pub fn read_csv(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Sales> {
    let path = path.as_ref();
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .map_err(|e| io_error(path, e))?;
    from_dataframe(&df, options)
}

/// Reads a Parquet file.
pub fn read_parquet(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Sales> {
    let path = path.as_ref();
    let file = std::fs::File::open(path)
        .map_err(|e| Error::Io { path: path.display().to_string(), problem: e.to_string() })?;
    let df = ParquetReader::new(file).finish().map_err(|e| io_error(path, e))?;
    from_dataframe(&df, options)
}

/// Runs `a` and `b`, side by side when the `parallel` feature is on.
fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    #[cfg(feature = "parallel")]
    return rayon::join(a, b);
    #[cfg(not(feature = "parallel"))]
    return (a(), b());
}

fn io_error(path: &Path, e: PolarsError) -> Error {
    Error::Io { path: path.display().to_string(), problem: e.to_string() }
}

fn polars_error(column: &str, e: PolarsError) -> Error {
    Error::InvalidValue {
        column: column.to_string(),
        problem: format!("values polars cannot convert ({e})"),
        rows: Rows::collect([]),
    }
}

/// Builds [`Sales`] from a polars `DataFrame`.
pub fn from_dataframe(df: &DataFrame, options: &ReadOptions) -> Result<Sales> {
    let m = &options.mapping;
    let names = m.names();
    let get = |name: &str| df.column(name).ok();
    let required = |name: &str, hint: Option<String>| {
        get(name).ok_or_else(|| Error::MissingColumn { column: name.to_string(), hint })
    };
    let order = required(&m.order_id, None)?;
    let ts = required(&m.ts, None)?;
    let product = required(&m.product_id, None)?;
    let quantity = required(&m.quantity, None)?;
    let price = get(&m.unit_price);
    let amount = get(&m.amount);
    if price.is_none() && amount.is_none() {
        return Err(Error::MissingColumn {
            column: m.unit_price.clone(),
            hint: Some(format!("or `{}` with line revenue", m.amount)),
        });
    }
    // The columns convert independently: on native targets with the `parallel` feature they
    // run side by side.
    let customers_or_guests = || match get(&m.customer_id) {
        Some(c) => ids(c, &m.customer_id, false, GUEST),
        None => Ok(Interned { codes: vec![GUEST; df.height()], interner: Interner::default() }),
    };
    let id_columns = || {
        join(
            || join(|| ids(order, &m.order_id, true, 0), || ids(product, &m.product_id, true, 0)),
            || {
                join(customers_or_guests, || {
                    join(
                        || get(&m.store_id).map(|c| ids(c, &m.store_id, true, 0)).transpose(),
                        || get(&m.category).map(|c| ids(c, &m.category, false, NO_CATEGORY)).transpose(),
                    )
                })
            },
        )
    };
    let value_columns = || {
        join(
            || join(|| timestamps(ts, &m.ts), || numbers(quantity, &m.quantity, true)),
            || {
                join(
                    || price.map(|c| numbers(c, &m.unit_price, amount.is_none())).transpose(),
                    || {
                        join(
                            || amount.map(|c| numbers(c, &m.amount, price.is_none())).transpose(),
                            || get(&m.unit_cost).map(|c| numbers(c, &m.unit_cost, false)).transpose(),
                        )
                    },
                )
            },
        )
    };
    let (((orders, products), (customers, (stores, category))), ((ts, quantity), (price, (amount, cost)))) =
        join(id_columns, value_columns);
    // Errors are reported in column order, whichever conversion finished first.
    let raw = RawLines {
        orders: orders?,
        ts: ts?,
        products: products?,
        quantity: quantity?,
        price: price?,
        amount: amount?,
        cost: cost?,
        customers: customers?,
        stores: stores?,
        category: category?,
        names,
        time_zones: options.time_zones.clone(),
        money_scale: options.money_scale.unwrap_or(DEFAULT_SCALE),
        catalogue: Vec::new(),
    };
    raw.assemble()
}

/// The line items of `sales` as a polars `DataFrame` in the data contract, the inverse of
/// [`from_dataframe`]: reading the frame back (with the stores' time zones and the money
/// scale) gives a table with the same lines, so every analysis gives the same results.
///
/// Columns: `order_id`, `ts` (UTC microseconds, `Datetime` with time zone UTC), `product_id`,
/// `quantity`, `unit_price` and `amount` (major units; `amount` is exact to the minor unit,
/// `amount_minor` is the exact integer), `unit_cost` and `cost_minor` (only when the table has
/// costs), `customer_id` (null for guests), `store_id` and `category` (null when none). Ids keep
/// the caller's type: an integer column when every id of the kind is an integer, text
/// otherwise. Rows are in the table's order (store, timestamp, order).
///
/// ```
/// use storelytics::sales::io::{from_dataframe, to_dataframe, ReadOptions};
/// use storelytics::sales::SalesBuilder;
/// let sales = SalesBuilder::new()
///     .order_id(vec![1, 1, 2])
///     .timestamp(vec!["2024-03-01", "2024-03-01", "2024-03-02"])
///     .product_id(vec!["tea", "milk", "tea"])
///     .quantity(vec![1.0, 2.0, -1.0])
///     .unit_price(vec![3.5, 1.25, 3.5])
///     .build()?;
/// let frame = to_dataframe(&sales)?;
/// let back = from_dataframe(&frame, &ReadOptions::default())?;
/// assert_eq!(back.amounts(), sales.amounts());
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn to_dataframe(sales: &Sales) -> Result<DataFrame> {
    let export = |e: PolarsError| Error::InvalidValue {
        column: "export".into(),
        problem: format!("polars cannot build the frame ({e})"),
        rows: Rows::collect([]),
    };
    let scale = 10f64.powi(sales.money_scale() as i32);
    let quantity: Vec<f64> = sales.quantities_milli().iter().map(|&q| q as f64 / QUANTITY_SCALE as f64).collect();
    let per_unit = |minor: &[i64]| -> Vec<f64> {
        minor.iter().zip(&quantity).map(|(&m, &q)| if q == 0.0 { 0.0 } else { m as f64 / scale / q }).collect()
    };
    let mut store = Vec::with_capacity(sales.len());
    for st in sales.stores() {
        store.extend(std::iter::repeat_n(st.id.clone(), st.rows.len()));
    }
    let categories: Vec<Option<Id>> =
        sales.product_codes().iter().map(|&p| sales.product_category(p).map(|c| sales.categories().id(c))).collect();
    let customers: Vec<Option<Id>> =
        sales.customer_codes().iter().map(|&c| (c != GUEST).then(|| sales.customers().id(c))).collect();
    let ts = Column::new("ts".into(), sales.ts_micros())
        .cast(&DataType::Datetime(TimeUnit::Microseconds, Some(TimeZone::UTC)))
        .map_err(export)?;
    let mut columns = vec![
        id_column("order_id", sales.order_codes().iter().map(|&c| Some(sales.orders().id(c))).collect()),
        ts,
        id_column("product_id", sales.product_codes().iter().map(|&c| Some(sales.products().id(c))).collect()),
        Column::new("quantity".into(), &quantity),
        Column::new("unit_price".into(), per_unit(sales.amounts())),
        Column::new("amount".into(), sales.amounts().iter().map(|&m| m as f64 / scale).collect::<Vec<f64>>()),
        Column::new("amount_minor".into(), sales.amounts()),
    ];
    if let Some(costs) = sales.costs() {
        columns.push(Column::new("unit_cost".into(), per_unit(costs)));
        columns.push(Column::new("cost_minor".into(), costs));
    }
    columns.push(id_column("customer_id", customers));
    columns.push(id_column("store_id", store.into_iter().map(Some).collect()));
    columns.push(id_column("category", categories));
    DataFrame::new_infer_height(columns).map_err(export)
}

/// An id column as the frames of this module hold ids: `Int64` when every present id is an
/// integer, `String` otherwise; `None` is null. Bindings use it for their output tables too.
pub fn id_column(name: &str, ids: Vec<Option<Id>>) -> Column {
    if ids.iter().flatten().all(|id| matches!(id, Id::Int(_))) {
        let values: Vec<Option<i64>> = ids
            .iter()
            .map(|id| match id {
                Some(Id::Int(v)) => Some(*v),
                _ => None,
            })
            .collect();
        Column::new(name.into(), values)
    } else {
        let values: Vec<Option<String>> = ids.iter().map(|id| id.as_ref().map(Id::to_string)).collect();
        Column::new(name.into(), values)
    }
}

fn null_rows(col: &Column) -> Rows {
    let mask = col.is_null();
    Rows::collect(mask.iter().enumerate().filter(|(_, v)| *v == Some(true)).map(|(i, _)| i))
}

fn ids(col: &Column, name: &str, required: bool, null_code: u32) -> Result<Interned> {
    if required && col.null_count() > 0 {
        return Err(Error::NullValue { column: name.to_string(), rows: null_rows(col) });
    }
    let mut interner = Interner::default();
    let mut codes = Vec::with_capacity(col.len());
    let dtype = col.dtype();
    if dtype.is_integer() {
        let c = col.cast(&DataType::Int64).map_err(|e| polars_error(name, e))?;
        let ca = c.i64().map_err(|e| polars_error(name, e))?;
        // Ids in a range not much wider than the column (sequential numbers) are interned
        // through a table indexed by value.
        let dense = match (ca.min(), ca.max()) {
            (Some(lo), Some(hi)) => hi
                .checked_sub(lo)
                .and_then(|d| usize::try_from(d).ok())
                .filter(|&d| d < 2 * ca.len().max(1024))
                .and_then(|d| Interner::from_dense_ints(ca.iter(), lo, d + 1, null_code, &mut codes)),
            _ => None,
        };
        match dense {
            Some(dense) => interner = dense,
            None => intern_runs(ca.iter(), null_code, |v| interner.intern_int(v), &mut codes),
        }
    } else if matches!(dtype, DataType::String) {
        let ca = col.str().map_err(|e| polars_error(name, e))?;
        intern_runs(ca.iter(), null_code, |v| interner.intern_str(v), &mut codes);
    } else if dtype.is_categorical() {
        let c = col.cast(&DataType::String).map_err(|e| polars_error(name, e))?;
        let ca = c.str().map_err(|e| polars_error(name, e))?;
        intern_runs(ca.iter(), null_code, |v| interner.intern_str(v), &mut codes);
    } else {
        return Err(Error::WrongType {
            column: name.to_string(),
            expected: "an integer or string id".into(),
            found: dtype.to_string(),
        });
    }
    Ok(Interned { codes, interner })
}

fn numbers(col: &Column, name: &str, required: bool) -> Result<Vec<f64>> {
    if !col.dtype().is_primitive_numeric() {
        return Err(Error::WrongType {
            column: name.to_string(),
            expected: "a number".into(),
            found: col.dtype().to_string(),
        });
    }
    if required && col.null_count() > 0 {
        return Err(Error::NullValue { column: name.to_string(), rows: null_rows(col) });
    }
    let c = col.cast(&DataType::Float64).map_err(|e| polars_error(name, e))?;
    let ca = c.f64().map_err(|e| polars_error(name, e))?;
    super::columns::finite_or_null(ca.iter(), name)
}

fn timestamps(col: &Column, name: &str) -> Result<RawTimes> {
    if col.null_count() > 0 {
        return Err(Error::NullValue { column: name.to_string(), rows: null_rows(col) });
    }
    match col.dtype() {
        DataType::Datetime(unit, _) => {
            let per_us: (i64, i64) = match unit {
                TimeUnit::Nanoseconds => (1, 1000),
                TimeUnit::Microseconds => (1, 1),
                TimeUnit::Milliseconds => (1000, 1),
            };
            let c = col.cast(&DataType::Int64).map_err(|e| polars_error(name, e))?;
            let ca = c.i64().map_err(|e| polars_error(name, e))?;
            Ok(RawTimes::Instants(match per_us {
                (1, 1) => ca.into_no_null_iter().collect(),
                (a, b) => ca.into_no_null_iter().map(|v| v.saturating_mul(a).div_euclid(b)).collect(),
            }))
        }
        DataType::Date => {
            let c = col.cast(&DataType::Int32).map_err(|e| polars_error(name, e))?;
            let ca = c.i32().map_err(|e| polars_error(name, e))?;
            Ok(RawTimes::Mixed(ca.into_no_null_iter().map(RawTs::LocalDay).collect()))
        }
        DataType::String => {
            let ca = col.str().map_err(|e| polars_error(name, e))?;
            let mut bad = Vec::new();
            let out = ca
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.and_then(parse_timestamp).unwrap_or_else(|| {
                        bad.push(i);
                        RawTs::LocalDay(day_number(chrono::NaiveDate::MIN))
                    })
                })
                .collect();
            if !bad.is_empty() {
                return Err(Error::InvalidValue {
                    column: name.to_string(),
                    problem: "an unparseable timestamp (expected RFC 3339, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`)"
                        .into(),
                    rows: Rows::collect(bad),
                });
            }
            Ok(RawTimes::Mixed(out))
        }
        other => Err(Error::WrongType {
            column: name.to_string(),
            expected: "a datetime, date or timestamp text".into(),
            found: other.to_string(),
        }),
    }
}
