//! The native module `storelytics._native` of the Python package `storelytics`.
//!
//! A thin layer: argument conversion ([`convert`]), error mapping ([`errors`]) and one call into
//! the core per function. All logic lives in the `storelytics` crate. The public, typed API is
//! the Python package in `bindings-python/python/storelytics/`.
//!
//! Adding an analysis: write `src/<area>.rs` with its `#[pyfunction]`s and a
//! `pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()>`, add the module to
//! [`MODULES`] below, and add `python/storelytics/<area>.py` plus its stubs in `_native.pyi`
//! (see `bindings-python/README.md`).

use pyo3::prelude::*;

mod anomaly;
mod convert;
mod customers;
mod errors;
mod forecast;
mod frames;
mod generator;
mod kpi;
mod lifetime;
mod rank;
mod recommend;
mod sales;
mod timing;
mod trend;

/// Registration function of one area of the native module.
type Register = fn(&Bound<'_, PyModule>) -> PyResult<()>;

/// Every area of the native module, registered in this order.
const MODULES: &[Register] = &[
    errors::register,
    sales::register,
    kpi::register,
    trend::register,
    rank::register,
    generator::register,
    forecast::register,
    anomaly::register,
    customers::register,
    lifetime::register,
    recommend::register,
    timing::register,
];

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    for register in MODULES {
        register(m)?;
    }
    Ok(())
}
