//! Benchmark hooks: the time of a core call measured inside Rust, so a benchmark can tell the
//! binding's overhead (argument conversion, worker thread, JSON, dataclasses) from the core's
//! own time. Not part of the public package.

use std::sync::Arc;
use std::time::Instant;

use pyo3::prelude::*;
use storelytics::kpi::{KpiOptions, kpi_report};

use crate::errors::run;
use crate::sales::PySales;

/// Seconds per `kpi_report` call with default options, measured in Rust (mean of `repeats`).
#[pyfunction]
#[pyo3(signature = (sales, repeats=5))]
fn _kpi_report_seconds(py: Python<'_>, sales: &PySales, repeats: u32) -> PyResult<f64> {
    let sales = Arc::clone(&sales.inner);
    run(py, move || {
        let repeats = repeats.max(1);
        let started = Instant::now();
        for _ in 0..repeats {
            kpi_report(&sales, &KpiOptions::default())?;
        }
        Ok(started.elapsed().as_secs_f64() / f64::from(repeats))
    })
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_kpi_report_seconds, m)?)
}
