//! The native `Sales` table: construction from a polars frame or a CSV / Parquet path through
//! core's own ingestion, and the table's accessors.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3_polars::PyDataFrame;
use storelytics::sales::io;

use crate::convert;
use crate::errors::{SchemaError, guard, invalid_parameter, run};

/// A validated, columnar table of sales line items (see `storelytics.Sales`).
#[pyclass(name = "Sales", module = "storelytics._native", frozen)]
pub(crate) struct PySales {
    pub(crate) inner: Arc<storelytics::Sales>,
}

impl PySales {
    pub(crate) fn new(sales: storelytics::Sales) -> Self {
        PySales { inner: Arc::new(sales) }
    }
}

fn scale_arg(value: Option<i64>) -> PyResult<Option<u32>> {
    value
        .map(|v| u32::try_from(v).map_err(|_| invalid_parameter("money_scale", format!("{v} is not between 0 and 6"))))
        .transpose()
}

/// The polars DataFrame behind a Python `polars.DataFrame` (through pyo3-polars' FFI).
fn frame_of(frame: &Bound<'_, PyAny>) -> PyResult<storelytics::polars::prelude::DataFrame> {
    frame
        .extract::<PyDataFrame>()
        .map(|f| f.0)
        .map_err(|e| SchemaError::new_err(format!("cannot read the table through polars: {}", e.value(frame.py()))))
}

/// The store-time-zone argument as pairs.
type Zones<'py> = Option<Vec<(Bound<'py, PyAny>, String)>>;

#[pymethods]
impl PySales {
    /// Builds a table from a polars DataFrame with core's ingestion.
    #[staticmethod]
    #[pyo3(signature = (frame, mapping=None, time_zone="UTC".to_string(), store_time_zones=None, money_scale=None))]
    fn from_polars(
        py: Python<'_>,
        frame: Bound<'_, PyAny>,
        mapping: Option<Vec<(String, String)>>,
        time_zone: String,
        store_time_zones: Zones<'_>,
        money_scale: Option<i64>,
    ) -> PyResult<PySales> {
        let options = guard(|| convert::read_options(mapping, time_zone, store_time_zones, scale_arg(money_scale)?))?;
        let df = guard(|| frame_of(&frame))?;
        run(py, move || io::from_dataframe(&df, &options)).map(PySales::new)
    }

    /// Reads a CSV file with a header row.
    #[staticmethod]
    #[pyo3(signature = (path, mapping=None, time_zone="UTC".to_string(), store_time_zones=None, money_scale=None))]
    fn read_csv(
        py: Python<'_>,
        path: std::path::PathBuf,
        mapping: Option<Vec<(String, String)>>,
        time_zone: String,
        store_time_zones: Zones<'_>,
        money_scale: Option<i64>,
    ) -> PyResult<PySales> {
        let options = guard(|| convert::read_options(mapping, time_zone, store_time_zones, scale_arg(money_scale)?))?;
        run(py, move || io::read_csv(&path, &options)).map(PySales::new)
    }

    /// Reads a Parquet file.
    #[staticmethod]
    #[pyo3(signature = (path, mapping=None, time_zone="UTC".to_string(), store_time_zones=None, money_scale=None))]
    fn read_parquet(
        py: Python<'_>,
        path: std::path::PathBuf,
        mapping: Option<Vec<(String, String)>>,
        time_zone: String,
        store_time_zones: Zones<'_>,
        money_scale: Option<i64>,
    ) -> PyResult<PySales> {
        let options = guard(|| convert::read_options(mapping, time_zone, store_time_zones, scale_arg(money_scale)?))?;
        run(py, move || io::read_parquet(&path, &options)).map(PySales::new)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Decimal places of money amounts.
    #[getter]
    fn money_scale(&self) -> u32 {
        self.inner.money_scale()
    }

    /// The stores as JSON: `[{"id": ..., "time_zone": ...}, ...]`.
    fn stores_json(&self) -> PyResult<String> {
        convert::json(&self.inner.stores())
    }

    /// First and last local date with a line as ISO dates, or `None` for an empty table.
    fn date_range(&self) -> Option<(String, String)> {
        self.inner.date_range().map(|p| (p.start().to_string(), p.end().to_string()))
    }

    /// The lines whose store-local date lies in `start..=end` (ISO dates).
    fn filter_period(&self, py: Python<'_>, start: String, end: String) -> PyResult<PySales> {
        let period = guard(|| convert::period("period", Some((start, end))))?;
        let sales = Arc::clone(&self.inner);
        run(py, move || Ok(period.map_or_else(|| (*sales).clone(), |p| sales.filter_period(&p)))).map(PySales::new)
    }

    /// The lines of one store.
    fn for_store(&self, py: Python<'_>, store: Bound<'_, PyAny>) -> PyResult<PySales> {
        let id = guard(|| convert::id("store", &store))?;
        let sales = Arc::clone(&self.inner);
        run(py, move || sales.for_store(&id)).map(PySales::new)
    }
}
