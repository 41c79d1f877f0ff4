//! Lifetime models on histories given directly (`customers::lifetime`): BG/NBD and Gamma-Gamma
//! fits and per-customer predictions, as in the `lifetimes` package (frequency, recency, T,
//! monetary value per customer).

use pyo3::prelude::*;
use pyo3_polars::PyDataFrame;
use storelytics::customers::{
    BgNbdParams, GammaGammaParams, RepeatHistory, ValueOptions, fit_bgnbd, fit_gamma_gamma, predict_values,
};
use storelytics::polars::prelude::DataFrame;

use crate::convert;
use crate::customers::time_unit;
use crate::errors::{guard, invalid_parameter, run};
use crate::frames;

/// Repeat histories from parallel columns; `frequency` must hold whole numbers `>= 0`, every
/// column as many values as `frequency`. Missing columns are 0 (the Gamma-Gamma fit does not
/// use recency and age, BG/NBD does not use monetary values).
fn histories(
    frequency: &[f64],
    recency: Option<&[f64]>,
    age: Option<&[f64]>,
    monetary: Option<&[f64]>,
) -> PyResult<Vec<RepeatHistory>> {
    for (name, column) in [("recency", recency), ("T", age), ("monetary_value", monetary)] {
        if let Some(column) = column
            && column.len() != frequency.len()
        {
            return Err(invalid_parameter(
                name,
                format!("has {} values but frequency has {}", column.len(), frequency.len()),
            ));
        }
    }
    let at = |column: Option<&[f64]>, i: usize| column.and_then(|c| c.get(i).copied()).unwrap_or(0.0);
    frequency
        .iter()
        .enumerate()
        .map(|(i, &f)| {
            if !(f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f <= u32::MAX as f64) {
                return Err(invalid_parameter("frequency", format!("customer {i} has {f}, not a whole number >= 0")));
            }
            Ok(RepeatHistory {
                frequency: f as u32,
                recency: at(recency, i),
                age: at(age, i),
                monetary: at(monetary, i),
            })
        })
        .collect()
}

/// `customers::fit_bgnbd` on the given histories, as JSON (the `BgNbdFit`).
#[pyfunction]
fn fit_bgnbd_json(py: Python<'_>, frequency: Vec<f64>, recency: Vec<f64>, age: Vec<f64>) -> PyResult<String> {
    let histories = guard(|| histories(&frequency, Some(&recency), Some(&age), None))?;
    let fit = run(py, move || fit_bgnbd(&histories))?;
    convert::json(&fit)
}

/// `customers::fit_gamma_gamma` on repeat purchase counts and mean repeat spends, as JSON
/// (the `GammaGammaFit`).
#[pyfunction]
fn fit_gamma_gamma_json(py: Python<'_>, frequency: Vec<f64>, monetary: Vec<f64>) -> PyResult<String> {
    let histories = guard(|| histories(&frequency, None, None, Some(&monetary)))?;
    let fit = run(py, move || fit_gamma_gamma(&histories))?;
    convert::json(&fit)
}

/// `customers::predict_values`: one row per customer with `expected_purchases`,
/// `probability_alive`, `expected_average_spend` and `lifetime_value`. `bgnbd` is `(r, alpha,
/// a, b)`, `gamma_gamma` is `(p, q, gamma)`; `None` options take `ValueOptions::default()`.
#[pyfunction]
#[pyo3(signature = (
    frequency, recency, age, monetary, bgnbd, gamma_gamma, horizon_months=None,
    monthly_discount_rate=None, time_unit=None
))]
#[allow(clippy::too_many_arguments)]
fn predict_values_frame(
    py: Python<'_>,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    age: Vec<f64>,
    monetary: Vec<f64>,
    bgnbd: (f64, f64, f64, f64),
    gamma_gamma: (f64, f64, f64),
    horizon_months: Option<u32>,
    monthly_discount_rate: Option<f64>,
    time_unit: Option<String>,
) -> PyResult<PyDataFrame> {
    let (histories, options) = guard(|| {
        let d = ValueOptions::default();
        let options = ValueOptions {
            horizon_months: horizon_months.unwrap_or(d.horizon_months),
            monthly_discount_rate: monthly_discount_rate.unwrap_or(d.monthly_discount_rate),
            time_unit: time_unit.as_deref().map(self::time_unit).transpose()?.unwrap_or(d.time_unit),
        };
        Ok((histories(&frequency, Some(&recency), Some(&age), Some(&monetary))?, options))
    })?;
    let bgnbd = BgNbdParams { r: bgnbd.0, alpha: bgnbd.1, a: bgnbd.2, b: bgnbd.3 };
    let gamma_gamma = GammaGammaParams { p: gamma_gamma.0, q: gamma_gamma.1, gamma: gamma_gamma.2 };
    let frame = run(py, move || {
        let values = predict_values(&histories, &bgnbd, &gamma_gamma, &options)?;
        DataFrame::new_infer_height(vec![
            frames::float_column("expected_purchases", values.iter().map(|v| v.expected_purchases)),
            frames::float_column("probability_alive", values.iter().map(|v| v.probability_alive)),
            frames::float_column("expected_average_spend", values.iter().map(|v| v.expected_average_spend)),
            frames::float_column("lifetime_value", values.iter().map(|v| v.lifetime_value)),
        ])
        .map_err(frames::frame_error)
    })?;
    Ok(PyDataFrame(frame))
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(fit_bgnbd_json, m)?)?;
    m.add_function(wrap_pyfunction!(fit_gamma_gamma_json, m)?)?;
    m.add_function(wrap_pyfunction!(predict_values_frame, m)?)
}
