//! Anomaly detection: evaluation on labelled simulated series and edge cases.

mod edge_cases;
mod evaluation;
mod generator;
pub(crate) mod sim;
