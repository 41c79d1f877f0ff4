//! Seasonal ARIMA models and the automatic order search of Hyndman and Khandakar (2008).
//!
//! * [`Arima`]: a fixed-order ARIMA(p,d,q)(P,D,Q)[m] with optional mean or drift, estimated by
//!   conditional sum of squares followed by exact Gaussian maximum likelihood (state-space
//!   form, Kalman filter with a diffuse prior for the differencing states), AR parts kept
//!   stationary and MA parts invertible through a partial-autocorrelation reparametrisation.
//! * [`AutoArima`]: chooses the differences by unit-root and seasonal-strength tests and the
//!   ARMA orders by a stepwise (or exhaustive) search minimising the AICc.
//! * [`forecast_many`]: many series at once, in parallel with the `parallel` feature.
//!
//! The algorithms follow R's `stats::arima` and `forecast::auto.arima` and their statsforecast
//! port, so results are comparable with those packages.

mod boxcox;
mod css;
mod fit;
mod linalg;
mod model;
mod optim;
mod order;
mod poly;
mod statespace;

pub use model::{Arima, ArimaCoefficients, ArimaFit};
pub use order::{ArimaOrder, EstimationMethod};
