//! Prediction intervals of a fitted ETS model.
//!
//! - Class 1 (additive error, additive or no trend and season): exact Gaussian variances
//!   `σ² (1 + Σ_{j<h} c_j²)` with `c_j = α + β φ_j + γ d_{j,m}` (Hyndman et al. 2008, ch. 6).
//! - Class 2 (multiplicative error, additive or no trend and season): the variance recursion
//!   `v_h = (1 + σ²) θ_h − μ_h²`, `θ_h = μ_h² + σ² Σ_{j<h} c_j² θ_{h−j}` (same chapter),
//!   intervals `μ_h ± z √v_h`.
//! - Every model with a multiplicative trend or season: quantiles of simulated sample paths
//!   with Gaussian errors from a seeded generator.

use crate::forecast::PredictionInterval;
use crate::numeric::{normal_quantile, quantile_sorted};

use super::fit::EtsFit;
use super::random::Rng;
use super::recursion::{EtsStates, Kernel};
use super::spec::ErrorType;

/// How a set of intervals was produced (reported in the forecast notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntervalKind {
    /// Closed-form variances (class 1 and 2 models).
    Analytic,
    /// Simulated sample paths.
    Simulated,
}

/// Intervals at `levels` percent around `mean` for the fitted model.
pub(crate) fn intervals(fit: &EtsFit, mean: &[f64], levels: &[f64]) -> (Vec<PredictionInterval>, IntervalKind) {
    if levels.is_empty() {
        return (Vec::new(), IntervalKind::Analytic);
    }
    if fit.spec.has_analytic_intervals() {
        // Work in the units the model was fitted in, so huge series never square huge values.
        let c = fit.scale;
        let unit_mean: Vec<f64> = mean.iter().map(|v| v / c).collect();
        let sd: Vec<f64> = variances(fit, &unit_mean).into_iter().map(|v| v.max(0.0).sqrt() * c).collect();
        let out = levels
            .iter()
            .map(|&level| {
                let z = normal_quantile(0.5 + level / 200.0);
                PredictionInterval {
                    level,
                    lower: mean.iter().zip(&sd).map(|(m, s)| m - z * s).collect(),
                    upper: mean.iter().zip(&sd).map(|(m, s)| m + z * s).collect(),
                }
            })
            .collect();
        (out, IntervalKind::Analytic)
    } else {
        (simulated(fit, mean.len(), levels), IntervalKind::Simulated)
    }
}

/// Forecast variances for class 1 and 2 models.
fn variances(fit: &EtsFit, mean: &[f64]) -> Vec<f64> {
    let h = mean.len();
    let p = fit.params;
    let m = fit.season_length.max(1);
    let sigma2 = fit.unit_sigma2;
    // c_j for j = 1..h-1.
    let mut c = Vec::with_capacity(h);
    let mut phi_sum = 0.0;
    let mut phi_pow = 1.0;
    for j in 1..h {
        phi_pow *= p.phi;
        phi_sum += phi_pow;
        let mut cj = p.alpha;
        if fit.spec.has_trend() {
            cj += p.beta * phi_sum;
        }
        if fit.spec.is_seasonal() && j % m == 0 {
            cj += p.gamma;
        }
        c.push(cj);
    }
    match fit.spec.error {
        ErrorType::Additive => {
            let mut acc = 0.0;
            let mut out = Vec::with_capacity(h);
            for step in 0..h {
                if step > 0 {
                    acc += c[step - 1] * c[step - 1];
                }
                out.push(sigma2 * (1.0 + acc));
            }
            out
        }
        ErrorType::Multiplicative => {
            let mut theta: Vec<f64> = Vec::with_capacity(h);
            for step in 0..h {
                let mu2 = mean[step] * mean[step];
                let sum: f64 = (1..=step).map(|j| c[j - 1] * c[j - 1] * theta[step - j]).sum();
                theta.push(mu2 + sigma2 * sum);
            }
            theta.iter().zip(mean).map(|(t, mu)| (1.0 + sigma2) * t - mu * mu).collect()
        }
    }
}

/// Settings of a simulation from a model's states.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Simulation {
    /// Error variance (relative for multiplicative errors).
    pub(crate) sigma2: f64,
    /// Multiplies the error standard deviation `sqrt(sigma2)`.
    pub(crate) sd_scale: f64,
    pub(crate) horizon: usize,
    pub(crate) paths: usize,
    pub(crate) seed: u64,
}

/// Simulates `paths` sample paths from the states `last` with Gaussian errors, one step at a
/// time for all paths (memory grows with the number of paths, not with the horizon), and calls
/// `on_step(h, values)` with the simulated values of step `h` (NaN where the model's forecast
/// is undefined).
pub(crate) fn simulate_steps(
    kernel: &Kernel,
    last: &EtsStates,
    sim: Simulation,
    mut on_step: impl FnMut(usize, &mut [f64]),
) {
    let mut rng = Rng::new(sim.seed);
    let sd = sim.sigma2.max(0.0).sqrt() * sim.sd_scale;
    let m = kernel.cycle_len();
    let n = sim.paths;
    let mut level = vec![last.level; n];
    let mut growth = vec![last.growth; n];
    // Ring buffers, path-major: `cycle[p * m + j]` is path p's seasonal state for cycle step j.
    let mut cycle = Vec::with_capacity(n * m);
    for _ in 0..n {
        if last.season.len() == m {
            cycle.extend(last.season.iter().rev());
        } else {
            cycle.extend(std::iter::repeat_n(0.0, m));
        }
    }
    let mut values = vec![0.0; n];
    for h in 0..sim.horizon {
        let j = h % m;
        for p in 0..n {
            let s = cycle[p * m + j];
            let Some(f) = kernel.one_step(level[p], growth[p], s) else {
                values[p] = f64::NAN;
                continue;
            };
            let e = sd * rng.normal();
            let y = match kernel.spec.error {
                ErrorType::Additive => f + e,
                ErrorType::Multiplicative => f * (1.0 + e),
            };
            values[p] = y;
            let (l, b, s_new) = kernel.update(level[p], growth[p], s, y);
            level[p] = l;
            growth[p] = b;
            cycle[p * m + j] = s_new;
        }
        on_step(h, &mut values);
    }
}

/// Sample paths as rows per step (`out[h][path]`).
#[cfg(test)]
pub(crate) fn simulate_paths(kernel: &Kernel, last: &EtsStates, sim: Simulation) -> Vec<Vec<f64>> {
    let mut out = Vec::with_capacity(sim.horizon);
    simulate_steps(kernel, last, sim, |_, values| out.push(values.to_vec()));
    out
}

fn simulated(fit: &EtsFit, horizon: usize, levels: &[f64]) -> Vec<PredictionInterval> {
    // Errors are simulated in the fitting units: absolute errors scale with the series.
    let sd_scale = if fit.spec.error == ErrorType::Additive { fit.scale } else { 1.0 };
    let sim =
        Simulation { sigma2: fit.unit_sigma2, sd_scale, horizon, paths: fit.simulation_paths.max(10), seed: fit.seed };
    let mut out: Vec<PredictionInterval> = levels
        .iter()
        .map(|&level| PredictionInterval {
            level,
            lower: Vec::with_capacity(horizon),
            upper: Vec::with_capacity(horizon),
        })
        .collect();
    let mut finite = Vec::with_capacity(sim.paths);
    simulate_steps(&fit.kernel(), &fit.final_states, sim, |_, values| {
        finite.clear();
        finite.extend(values.iter().copied().filter(|v| v.is_finite()));
        finite.sort_by(f64::total_cmp);
        for pi in out.iter_mut() {
            pi.lower.push(quantile_sorted(&finite, 0.5 - pi.level / 200.0).unwrap_or(f64::NAN));
            pi.upper.push(quantile_sorted(&finite, 0.5 + pi.level / 200.0).unwrap_or(f64::NAN));
        }
    });
    out
}
