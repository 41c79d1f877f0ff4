//! Conversions between Python arguments and core types. Enum-like arguments arrive as the
//! same lower-case names core uses in its JSON (`"net_revenue"`, `"week"`, ...); results leave
//! as the JSON core serialises, so every runtime prints the same values.

use chrono::NaiveDate;
use pyo3::prelude::*;
use serde::Serialize;
use storelytics::forecast::SeriesOptions;
use storelytics::sales::StoreTimeZones;
use storelytics::sales::io::{ColumnMapping, ReadOptions};
use storelytics::{Id, Period};

use crate::errors::{StorelyticsError, invalid_parameter, to_py};

/// A store, product or customer id: a Python `int` or `str`.
pub(crate) fn id(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Id> {
    if let Ok(v) = value.extract::<i64>() {
        return Ok(Id::Int(v));
    }
    if let Ok(v) = value.extract::<String>() {
        return Ok(Id::Str(v));
    }
    Err(invalid_parameter(name, "must be an int or a str id"))
}

/// An optional id.
pub(crate) fn opt_id(name: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Id>> {
    value.filter(|v| !v.is_none()).map(|v| id(name, v)).transpose()
}

fn date(name: &str, text: &str) -> PyResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| invalid_parameter(name, format!("`{text}` is not a date in the form YYYY-MM-DD")))
}

/// A period given as ISO start and end dates (inclusive), or none.
pub(crate) fn period(name: &str, value: Option<(String, String)>) -> PyResult<Option<Period>> {
    match value {
        None => Ok(None),
        Some((start, end)) => {
            let (start, end) = (date(name, &start)?, date(name, &end)?);
            Period::new(start, end)
                .map(Some)
                .map_err(|_| invalid_parameter(name, format!("end {end} is before start {start}")))
        }
    }
}

/// The series arguments shared by `forecast`, `series` and `detect_anomalies`, as the core's
/// `SeriesOptions`; an argument left `None` takes the core default.
#[allow(clippy::too_many_arguments)]
pub(crate) fn series_options(
    metric: Option<&str>,
    granularity: Option<&str>,
    period: Option<(String, String)>,
    store: Option<&Bound<'_, PyAny>>,
    product: Option<&Bound<'_, PyAny>>,
    season_length: Option<usize>,
    keep_partial_buckets: Option<bool>,
) -> PyResult<SeriesOptions> {
    let defaults = SeriesOptions::default();
    Ok(SeriesOptions {
        metric: metric.map(parse).transpose()?.unwrap_or(defaults.metric),
        granularity: granularity.map(parse).transpose()?.unwrap_or(defaults.granularity),
        period: self::period("period", period)?,
        store: opt_id("store", store)?,
        product: opt_id("product", product)?,
        season_length,
        keep_partial_buckets: keep_partial_buckets.unwrap_or(defaults.keep_partial_buckets),
    })
}

/// The core default of the series arguments, as the Python layer shows them.
pub(crate) fn series_defaults() -> serde_json::Value {
    let d = SeriesOptions::default();
    serde_json::json!({
        "metric": d.metric,
        "granularity": d.granularity,
        "season_length": d.season_length,
        "keep_partial_buckets": d.keep_partial_buckets,
    })
}

/// An ISO date.
pub(crate) fn iso_date(name: &str, text: &str) -> PyResult<NaiveDate> {
    date(name, text)
}

/// A name parsed by core's `FromStr` (metrics, granularities, comparisons, entities).
pub(crate) fn parse<T: std::str::FromStr<Err = storelytics::Error>>(text: &str) -> PyResult<T> {
    text.parse::<T>().map_err(to_py)
}

/// Read options from the Python arguments: a column mapping (contract name → the caller's
/// column name), the default time zone, per-store time zones and the money scale.
pub(crate) fn read_options(
    mapping: Option<Vec<(String, String)>>,
    time_zone: String,
    store_time_zones: Option<Vec<(Bound<'_, PyAny>, String)>>,
    money_scale: Option<u32>,
) -> PyResult<ReadOptions> {
    let mut m = ColumnMapping::default();
    for (role, column) in mapping.unwrap_or_default() {
        let slot = match role.as_str() {
            "order_id" => &mut m.order_id,
            "ts" => &mut m.ts,
            "product_id" => &mut m.product_id,
            "quantity" => &mut m.quantity,
            "unit_price" => &mut m.unit_price,
            "amount" => &mut m.amount,
            "unit_cost" => &mut m.unit_cost,
            "customer_id" => &mut m.customer_id,
            "store_id" => &mut m.store_id,
            "category" => &mut m.category,
            other => {
                return Err(invalid_parameter(
                    "mapping",
                    format!(
                        "`{other}` is not a column of the data contract (order_id, ts, product_id, quantity, \
                         unit_price, amount, unit_cost, customer_id, store_id, category)"
                    ),
                ));
            }
        };
        *slot = column;
    }
    let mut per_store = Vec::new();
    for (store, zone) in store_time_zones.unwrap_or_default() {
        per_store.push((id("store_time_zones", &store)?, zone));
    }
    Ok(ReadOptions { mapping: m, time_zones: StoreTimeZones { default: time_zone, per_store }, money_scale })
}

/// A core result as JSON text (parsed by the Python layer into dataclasses).
pub(crate) fn json<T: Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value)
        .map_err(|e| StorelyticsError::new_err(format!("internal error: cannot serialise a result: {e}")))
}
