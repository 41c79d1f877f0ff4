//! Seasonal decomposition of a regularly spaced series into trend, seasonal and remainder.
//!
//! - [`classical`]: moving-average decomposition (additive or multiplicative), as used by
//!   the Theta method's seasonal adjustment.
//! - [`stl`]: STL, seasonal-trend decomposition by LOESS (Cleveland et al. 1990).
//! - [`mstl`]: MSTL, STL iterated over several seasonal periods (Bandara, Hyndman & Bergmeir
//!   2021), e.g. weekly and yearly patterns of daily sales.

pub mod classical;
pub mod mstl;
pub mod stl;

pub use classical::{ClassicalDecomposition, SeasonalMode, classical};
pub use mstl::{Mstl, MstlOptions, mstl};
pub use stl::{Stl, StlOptions, stl};
