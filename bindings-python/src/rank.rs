//! `rank`: top / bottom N products, customers, categories or stores by a metric.

use std::sync::Arc;

use pyo3::prelude::*;
use storelytics::rank::{RankOptions, RankOrder, rank};

use crate::convert;
use crate::errors::{guard, invalid_parameter, run};
use crate::sales::PySales;

fn order(text: &str) -> PyResult<RankOrder> {
    match text {
        "top" => Ok(RankOrder::Top),
        "bottom" => Ok(RankOrder::Bottom),
        other => Err(invalid_parameter("order", format!("`{other}` is not one of top, bottom"))),
    }
}

/// The ranking as JSON (the Python layer builds `storelytics.Ranking` from it).
#[pyfunction]
#[pyo3(signature = (
    sales, entity="product", metric="net_revenue", n=10, order="top", period=None,
    comparison="previous_period", store=None,
))]
#[allow(clippy::too_many_arguments)]
fn rank_json(
    py: Python<'_>,
    sales: &PySales,
    entity: &str,
    metric: &str,
    n: usize,
    order: &str,
    period: Option<(String, String)>,
    comparison: &str,
    store: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    let options = guard(|| {
        Ok(RankOptions {
            entity: convert::parse(entity)?,
            metric: convert::parse(metric)?,
            n,
            order: self::order(order)?,
            period: convert::period("period", period)?,
            comparison: convert::parse(comparison)?,
            store: convert::opt_id("store", store.as_ref())?,
        })
    })?;
    let sales = Arc::clone(&sales.inner);
    let result = run(py, move || rank(&sales, &options))?;
    convert::json(&result)
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rank_json, m)?)
}
