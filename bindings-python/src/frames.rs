//! polars frames built in Rust for tables with one row per customer (or more): they cross to
//! Python through Arrow instead of JSON, which would cost seconds for a few hundred thousand
//! rows.

use chrono::NaiveDate;
use storelytics::calendar::day_number;
use storelytics::polars::prelude::*;

/// A polars failure while building an output frame.
pub(crate) fn frame_error(e: PolarsError) -> storelytics::Error {
    storelytics::Error::Numerical { analysis: "building the output frame".into(), problem: e.to_string() }
}

/// A `Date` column.
pub(crate) fn date_column(name: &str, dates: impl Iterator<Item = NaiveDate>) -> PolarsResult<Column> {
    let days: Vec<i32> = dates.map(day_number).collect();
    Column::new(name.into(), days).cast(&DataType::Date)
}

/// An `Int64` column from any integer values.
pub(crate) fn int_column<T: Into<i64>>(name: &str, values: impl Iterator<Item = T>) -> Column {
    Column::new(name.into(), values.map(Into::into).collect::<Vec<i64>>())
}

/// A `Float64` column.
pub(crate) fn float_column(name: &str, values: impl Iterator<Item = f64>) -> Column {
    Column::new(name.into(), values.collect::<Vec<f64>>())
}
