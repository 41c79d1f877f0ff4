//! Numerical building blocks shared across the analyses: the standard normal quantile,
//! sample quantiles and small dense linear systems.

mod linalg;
mod normal;
mod quantile;

pub(crate) use linalg::solve;
pub(crate) use normal::normal_quantile;
pub(crate) use quantile::quantile_sorted;
