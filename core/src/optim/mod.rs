//! Numerical minimisers shared by the model fits: a bounded Nelder–Mead simplex search
//! (exponential smoothing, Theta, the customer lifetime models), quasi-Newton BFGS (ARIMA)
//! and golden-section search in one variable (simple exponential smoothing, Box–Cox λ).

pub(crate) mod bfgs;
mod golden;
pub(crate) mod nelder_mead;

pub(crate) use golden::golden_section;
