//! The Python exception hierarchy and the one place where core errors and panics become
//! Python exceptions.
//!
//! Every class derives from `StorelyticsError`; there is one subclass per
//! [`storelytics::Error::kind`]. The message is the core error's message, which names the
//! column, rows or parameter at fault.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use std::time::Duration;

use pyo3::exceptions::PyException;
use pyo3::prelude::*;

pyo3::create_exception!(storelytics, StorelyticsError, PyException, "Base class of every error raised by storelytics.");
pyo3::create_exception!(
    storelytics,
    SchemaError,
    StorelyticsError,
    "The input table does not fit the data contract: a missing column, a wrong type, nulls in a \
     required column, NaN/inf, an unparseable timestamp or inconsistent orders. The message names \
     the column and the first offending rows."
);
pyo3::create_exception!(
    storelytics,
    InvalidParameterError,
    StorelyticsError,
    "An argument is out of its valid range, or a time zone is not an IANA name. The message \
     names the parameter."
);
pyo3::create_exception!(
    storelytics,
    InsufficientDataError,
    StorelyticsError,
    "There is not enough data for the requested analysis (e.g. an empty table without an \
     explicit period)."
);
pyo3::create_exception!(
    storelytics,
    UnknownIdError,
    StorelyticsError,
    "A store, product or customer id that is not in the data."
);
pyo3::create_exception!(
    storelytics,
    NumericalError,
    StorelyticsError,
    "A numerical procedure did not converge or produced a non-finite result."
);
pyo3::create_exception!(storelytics, StorelyticsIOError, StorelyticsError, "A CSV or Parquet file could not be read.");

/// Registers the exception classes on the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("StorelyticsError", py.get_type::<StorelyticsError>())?;
    m.add("SchemaError", py.get_type::<SchemaError>())?;
    m.add("InvalidParameterError", py.get_type::<InvalidParameterError>())?;
    m.add("InsufficientDataError", py.get_type::<InsufficientDataError>())?;
    m.add("UnknownIdError", py.get_type::<UnknownIdError>())?;
    m.add("NumericalError", py.get_type::<NumericalError>())?;
    m.add("StorelyticsIOError", py.get_type::<StorelyticsIOError>())?;
    Ok(())
}

/// The Python exception for a core error.
pub(crate) fn to_py(e: storelytics::Error) -> PyErr {
    let msg = e.to_string();
    match e.kind() {
        "schema" => SchemaError::new_err(msg),
        "invalid_parameter" => InvalidParameterError::new_err(msg),
        "insufficient_data" => InsufficientDataError::new_err(msg),
        "unknown_id" => UnknownIdError::new_err(msg),
        "numerical" => NumericalError::new_err(msg),
        "io" => StorelyticsIOError::new_err(msg),
        _ => StorelyticsError::new_err(msg),
    }
}

/// An `InvalidParameterError` raised by the binding's own argument conversion.
pub(crate) fn invalid_parameter(name: &str, problem: impl Into<String>) -> PyErr {
    to_py(storelytics::Error::invalid_parameter(name, problem))
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

fn internal(payload: &(dyn std::any::Any + Send)) -> PyErr {
    StorelyticsError::new_err(format!(
        "internal error in storelytics (please report it with the input that caused it): {}",
        panic_message(payload)
    ))
}

/// How often a running job checks for Ctrl-C.
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// Runs `job` on a worker thread without the GIL and waits for it, checking for signals
/// (Ctrl-C) while it runs.
///
/// - a core error becomes the matching exception ([`to_py`]);
/// - a panic becomes `StorelyticsError` (never `PanicException`, never an abort);
/// - a pending `KeyboardInterrupt` (or any exception raised by a signal handler) is raised at
///   once; the abandoned job finishes in the background and its result is dropped, so the
///   job must own its inputs (`'static`, typically an `Arc` of the sales table).
pub(crate) fn run<T: Send + 'static>(
    py: Python<'_>,
    job: impl FnOnce() -> storelytics::Result<T> + Send + 'static,
) -> PyResult<T> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new().name("storelytics-job".into()).spawn(move || {
        let out = std::panic::catch_unwind(AssertUnwindSafe(job));
        // The receiver is gone when the caller was interrupted; the result is dropped.
        let _ = tx.send(out);
    });
    if let Err(e) = spawned {
        return Err(StorelyticsError::new_err(format!("cannot start a worker thread: {e}")));
    }
    let mut rx = rx;
    loop {
        // The receiver moves into the GIL-free wait and back (it is `Send` but not `Sync`).
        let (received, back) = py.detach(move || (rx.recv_timeout(SIGNAL_POLL), rx));
        rx = back;
        match received {
            Ok(Ok(Ok(value))) => return Ok(value),
            Ok(Ok(Err(e))) => return Err(to_py(e)),
            Ok(Err(payload)) => return Err(internal(payload.as_ref())),
            Err(mpsc::RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(StorelyticsError::new_err("internal error in storelytics: the worker thread vanished"));
            }
        }
    }
}

/// Runs quick binding code (conversions) with panics mapped to `StorelyticsError`.
pub(crate) fn guard<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| Err(internal(payload.as_ref())))
}
