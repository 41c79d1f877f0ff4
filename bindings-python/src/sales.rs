//! The native `Sales` table: construction from a polars frame or a CSV / Parquet path through
//! core's own ingestion, and the table's accessors.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3_polars::PyDataFrame;
use storelytics::money::DEFAULT_SCALE;
use storelytics::sales::StoreTimeZones;
use storelytics::sales::io::{self, ReadOptions};

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

/// Where a table comes from: each constructor reads its source through core's ingestion.
enum Source {
    Frame(storelytics::polars::prelude::DataFrame),
    Csv(std::path::PathBuf),
    Parquet(std::path::PathBuf),
}

/// The one path of every constructor: read options from the Python arguments, then core's
/// reader for the source on a worker thread.
fn read(
    py: Python<'_>,
    source: impl FnOnce() -> PyResult<Source>,
    mapping: Option<Vec<(String, String)>>,
    time_zone: Option<String>,
    store_time_zones: Zones<'_>,
    money_scale: Option<i64>,
) -> PyResult<PySales> {
    let (options, source) = guard(|| {
        let time_zone = time_zone.unwrap_or_else(|| StoreTimeZones::default().default);
        let options = convert::read_options(mapping, time_zone, store_time_zones, scale_arg(money_scale)?)?;
        Ok((options, source()?))
    })?;
    run(py, move || match source {
        Source::Frame(df) => io::from_dataframe(&df, &options),
        Source::Csv(path) => io::read_csv(&path, &options),
        Source::Parquet(path) => io::read_parquet(&path, &options),
    })
    .map(PySales::new)
}

/// The defaults of the table's constructors, from core: `{"time_zone": .., "money_scale": ..}`.
#[pyfunction]
fn sales_defaults_json() -> PyResult<String> {
    convert::json(&serde_json::json!({
        "time_zone": StoreTimeZones::default().default,
        "money_scale": ReadOptions::default().money_scale.unwrap_or(DEFAULT_SCALE),
    }))
}

/// Registers the class and this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySales>()?;
    m.add_function(wrap_pyfunction!(sales_defaults_json, m)?)
}

#[pymethods]
impl PySales {
    /// Builds a table from a polars DataFrame with core's ingestion.
    #[staticmethod]
    #[pyo3(signature = (frame, mapping=None, time_zone=None, store_time_zones=None, money_scale=None))]
    fn from_polars(
        py: Python<'_>,
        frame: Bound<'_, PyAny>,
        mapping: Option<Vec<(String, String)>>,
        time_zone: Option<String>,
        store_time_zones: Zones<'_>,
        money_scale: Option<i64>,
    ) -> PyResult<PySales> {
        read(py, || frame_of(&frame).map(Source::Frame), mapping, time_zone, store_time_zones, money_scale)
    }

    /// Reads a CSV file with a header row.
    #[staticmethod]
    #[pyo3(signature = (path, mapping=None, time_zone=None, store_time_zones=None, money_scale=None))]
    fn read_csv(
        py: Python<'_>,
        path: std::path::PathBuf,
        mapping: Option<Vec<(String, String)>>,
        time_zone: Option<String>,
        store_time_zones: Zones<'_>,
        money_scale: Option<i64>,
    ) -> PyResult<PySales> {
        read(py, || Ok(Source::Csv(path)), mapping, time_zone, store_time_zones, money_scale)
    }

    /// Reads a Parquet file.
    #[staticmethod]
    #[pyo3(signature = (path, mapping=None, time_zone=None, store_time_zones=None, money_scale=None))]
    fn read_parquet(
        py: Python<'_>,
        path: std::path::PathBuf,
        mapping: Option<Vec<(String, String)>>,
        time_zone: Option<String>,
        store_time_zones: Zones<'_>,
        money_scale: Option<i64>,
    ) -> PyResult<PySales> {
        read(py, || Ok(Source::Parquet(path)), mapping, time_zone, store_time_zones, money_scale)
    }

    /// The line items as a polars DataFrame in the data contract (core's `io::to_dataframe`).
    fn to_polars(&self, py: Python<'_>) -> PyResult<PyDataFrame> {
        let sales = Arc::clone(&self.inner);
        run(py, move || io::to_dataframe(&sales)).map(PyDataFrame)
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
