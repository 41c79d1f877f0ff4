//! Seasonal ARIMA models and the automatic order search of Hyndman and Khandakar (2008).
//!
//! * [`Arima`]: a fixed-order ARIMA(p,d,q)(P,D,Q)[m] with optional mean or drift, estimated by
//!   conditional sum of squares followed by exact Gaussian maximum likelihood (state-space
//!   form, Kalman filter with a diffuse prior for the differencing states; the optimiser
//!   evaluates it on the differenced series by the O(r)-per-observation Chandrasekhar
//!   recursions), AR parts kept stationary and MA parts invertible through a
//!   partial-autocorrelation reparametrisation.
//! * [`AutoArima`]: chooses the differences by unit-root and seasonal-strength tests and the
//!   ARMA orders by a stepwise (or exhaustive) search minimising the AICc.
//! * [`forecast_many`]: many series at once, in parallel with the `parallel` feature.
//!
//! The algorithms follow R's `stats::arima` and `forecast::auto.arima` and their statsforecast
//! port, so results are comparable with those packages.
//!
//! Edge cases never panic: an empty series or one with NaN / infinite values is an error (or,
//! for [`AutoArima`], NaN gaps can be filled with [`AutoArimaOptions::interpolate_missing`]); a
//! constant series gives a flat forecast with zero-width intervals; a series shorter than two
//! seasons loses its seasonal part; very large values are rescaled; each fallback is listed in
//! [`Forecast::notes`](crate::forecast::Forecast::notes).

mod auto;
mod boxcox;
mod css;
mod fit;
mod likelihood;
mod many;
mod model;
mod options;
mod order;
mod poly;
mod search;
mod statespace;
mod unitroot;

pub use auto::AutoArima;
pub use many::forecast_many;
pub use model::{Arima, ArimaCoefficients, ArimaFit};
pub use options::{AutoArimaOptions, BoxCox, InformationCriterion};
pub use order::{ArimaOrder, EstimationMethod};
