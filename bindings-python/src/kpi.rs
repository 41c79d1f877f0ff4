//! `kpi_report`: KPIs of a period, overall and per store, with their comparison.

use std::sync::Arc;

use pyo3::prelude::*;
use storelytics::kpi::{KpiOptions, kpi_report};

use crate::convert;
use crate::errors::{guard, run};
use crate::sales::PySales;

/// The KPI report as JSON (the Python layer builds `storelytics.KpiReport` from it).
#[pyfunction]
#[pyo3(signature = (sales, period=None, comparison=None))]
fn kpi_report_json(
    py: Python<'_>,
    sales: &PySales,
    period: Option<(String, String)>,
    comparison: Option<&str>,
) -> PyResult<String> {
    let options = guard(|| {
        let d = KpiOptions::default();
        Ok(KpiOptions {
            period: convert::period("period", period)?,
            comparison: comparison.map(convert::parse).transpose()?.unwrap_or(d.comparison),
        })
    })?;
    let sales = Arc::clone(&sales.inner);
    let report = run(py, move || kpi_report(&sales, &options))?;
    convert::json(&report)
}

/// The core defaults of `KpiOptions` that `kpi_report` exposes.
#[pyfunction]
fn kpi_defaults_json() -> PyResult<String> {
    let d = KpiOptions::default();
    convert::json(&serde_json::json!({ "comparison": d.comparison }))
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(kpi_report_json, m)?)?;
    m.add_function(wrap_pyfunction!(kpi_defaults_json, m)?)
}
