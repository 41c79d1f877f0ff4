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
    sales, entity=None, metric=None, n=None, order=None, period=None, comparison=None, store=None,
))]
#[allow(clippy::too_many_arguments)]
fn rank_json(
    py: Python<'_>,
    sales: &PySales,
    entity: Option<&str>,
    metric: Option<&str>,
    n: Option<usize>,
    order: Option<&str>,
    period: Option<(String, String)>,
    comparison: Option<&str>,
    store: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    let options = guard(|| {
        let d = RankOptions::default();
        Ok(RankOptions {
            entity: entity.map(convert::parse).transpose()?.unwrap_or(d.entity),
            metric: metric.map(convert::parse).transpose()?.unwrap_or(d.metric),
            n: n.unwrap_or(d.n),
            order: order.map(self::order).transpose()?.unwrap_or(d.order),
            period: convert::period("period", period)?,
            comparison: comparison.map(convert::parse).transpose()?.unwrap_or(d.comparison),
            store: convert::opt_id("store", store.as_ref())?,
        })
    })?;
    let sales = Arc::clone(&sales.inner);
    let result = run(py, move || rank(&sales, &options))?;
    convert::json(&result)
}

/// The core defaults of `RankOptions` that `rank` exposes.
#[pyfunction]
fn rank_defaults_json() -> PyResult<String> {
    let d = RankOptions::default();
    convert::json(&serde_json::json!({
        "entity": d.entity,
        "metric": d.metric,
        "n": d.n,
        "order": d.order,
        "comparison": d.comparison,
    }))
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rank_json, m)?)?;
    m.add_function(wrap_pyfunction!(rank_defaults_json, m)?)
}
