//! `customers`: RFM scores, segments and the segment summary.

use std::sync::Arc;

use pyo3::prelude::*;
use serde::Serialize;
use storelytics::customers::{RfmOptions, RfmTable, SegmentSummary, rfm};

use crate::convert;
use crate::errors::{guard, run};
use crate::sales::PySales;

/// The RFM table with its segment summary.
#[derive(Serialize)]
struct Answer {
    table: RfmTable,
    summary: Vec<SegmentSummary>,
}

/// `customers::rfm` with `RfmTable::segment_summary`, as JSON.
#[pyfunction]
#[pyo3(signature = (sales, as_of=None, bins=5))]
fn rfm_json(py: Python<'_>, sales: &PySales, as_of: Option<String>, bins: u8) -> PyResult<String> {
    let options = guard(|| {
        Ok(RfmOptions {
            as_of: as_of.as_deref().map(|d| convert::iso_date("as_of", d)).transpose()?,
            bins,
            ..Default::default()
        })
    })?;
    let sales = Arc::clone(&sales.inner);
    let answer = run(py, move || {
        let table = rfm(&sales, &options)?;
        let summary = table.segment_summary();
        Ok(Answer { table, summary })
    })?;
    convert::json(&answer)
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rfm_json, m)?)
}
