//! The exact Gaussian likelihood of a stationary ARMA process by the Chandrasekhar recursions
//! (Morf, Sidhu and Kailath 1974; Herbst 2015): the Kalman filter of the state-space form
//! started at the stationary covariance, with the covariance recursion replaced by a rank-one
//! update, so each observation costs `O(r)` instead of `O(r²)` (`r = max(p, q + 1)`).
//!
//! With `P_t` the prediction covariance, `F_t = P_t[0, 0]` and `k_t = T P_t e_1`, the change
//! `P_{t+1} - P_t = M_t w_t w_t'` stays of rank one when `P_1` is the stationary covariance:
//! `w_1 = k_1`, `M_1 = -1 / F_1`, and with `s = w_t[0]`,
//! `F_{t+1} = F_t + M_t s²`, `k_{t+1} = k_t + M_t s T w_t`, `M_{t+1} = M_t F_{t+1} / F_t`,
//! `w_{t+1} = T w_t - s k_{t+1} / F_{t+1}`.
//! This is the objective the model fit minimises; the final fit and forecasts use the full
//! filter of [`StateSpace`](super::statespace::StateSpace).

use super::statespace::autocovariances;

/// Prediction variances above this are left out of the likelihood (as in the full filter).
const DIFFUSE_GAIN: f64 = 1e4;
/// The recursion has converged when the covariance change is this small relative to `F`.
const STEADY_TOL: f64 = 1e-12;

/// Sums of the exact likelihood of an ARMA series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ArmaLikelihood {
    /// Sum of squared innovations divided by their relative prediction variances.
    pub(crate) ssq: f64,
    /// Sum of the log relative prediction variances.
    pub(crate) sumlog: f64,
    /// Number of observations used.
    pub(crate) nu: usize,
}

impl ArmaLikelihood {
    /// The concentrated objective `0.5 (ln(ssq / nu) + sumlog / nu)`; `None` when not finite.
    pub(crate) fn objective(&self) -> Option<f64> {
        if self.nu == 0 || self.ssq <= 0.0 {
            return None;
        }
        let nu = self.nu as f64;
        let v = 0.5 * ((self.ssq / nu).ln() + self.sumlog / nu);
        v.is_finite().then_some(v)
    }
}

/// The likelihood sums of the zero-mean series `w` (no missing values) under the ARMA model
/// `phi`, `theta` (as [`StateSpace::new`](super::statespace::StateSpace::new): `1 - Σ phi_k B^k`,
/// `1 + Σ theta_k B^k`) with unit innovation variance. `None` when the stationary covariance
/// cannot be computed or a prediction variance is not positive.
pub(crate) fn arma_likelihood(phi: &[f64], theta: &[f64], w: &[f64]) -> Option<ArmaLikelihood> {
    let r = phi.len().max(theta.len() + 1);
    let (psi, gamma) = autocovariances(phi, theta, r)?;
    let mut phi_pad = phi.to_vec();
    phi_pad.resize(r, 0.0);
    let phi = &phi_pad[..];
    let theta_at = |k: usize| if k == 0 { 1.0 } else { theta.get(k - 1).copied().unwrap_or(0.0) };
    // First column of the stationary state covariance: state element i ≥ 1 is
    // Σ_{k>i} phi_k y_{t-(k-i)} + Σ_{k≥i} theta_k e_{t-(k-i)}, element 0 is y_t.
    let mut col = vec![0.0; r];
    col[0] = gamma[0];
    for (i, c) in col.iter_mut().enumerate().skip(1) {
        let mut v = 0.0;
        for k in i + 1..=r {
            v += phi[k - 1] * gamma[k - i];
        }
        for k in i..r {
            v += theta_at(k) * psi[k - i];
        }
        *c = v;
    }
    let mut f = col[0];
    if !(f > 0.0 && f.is_finite()) {
        return None;
    }
    // k = T col, w = k, M = -1 / F.
    let mut k = vec![0.0; r];
    for i in 0..r {
        k[i] = phi[i] * col[0] + col.get(i + 1).copied().unwrap_or(0.0);
    }
    let mut wv = k.clone();
    let mut m = -1.0 / f;
    let mut a = vec![0.0; r];
    let mut out = ArmaLikelihood { ssq: 0.0, sumlog: 0.0, nu: 0 };
    // Product of prediction variances not yet added to `sumlog` (one logarithm per ~100 steps).
    let mut product = 1.0;
    let mut steady = false;
    let last = r - 1;
    for &obs in w {
        let innovation = obs - a[0];
        if !innovation.is_finite() {
            return None;
        }
        if f < DIFFUSE_GAIN {
            out.nu += 1;
            out.ssq += innovation * innovation / f;
            product *= f;
            if !(1e-100..=1e100).contains(&product) {
                out.sumlog += product.ln();
                product = 1.0;
            }
        }
        // a_{t+1} = T a_t + k_t v_t / F_t, in place (element i reads i + 1 before it changes).
        let g = innovation / f;
        let a0 = a[0];
        for i in 0..last {
            a[i] = phi[i] * a0 + a[i + 1] + k[i] * g;
        }
        a[last] = phi[last] * a0 + k[last] * g;
        if steady {
            continue;
        }
        let s = wv[0];
        let ms = m * s;
        let f_next = f + ms * s;
        if !(f_next > 0.0 && f_next.is_finite()) {
            return None;
        }
        let sf = s / f_next;
        let mut norm = 0.0;
        for i in 0..r {
            let tw = phi[i] * s + if i < last { wv[i + 1] } else { 0.0 };
            k[i] += ms * tw;
            let v = tw - sf * k[i];
            wv[i] = v;
            norm += v * v;
        }
        m *= f_next / f;
        f = f_next;
        steady = (m * norm).abs() <= STEADY_TOL * f;
    }
    out.sumlog += product.ln();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::statespace::StateSpace;
    use super::*;

    fn series(n: usize) -> Vec<f64> {
        let mut state = 987654321u64;
        let mut e = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5
        };
        let mut y = vec![0.0; n];
        for t in 2..n {
            y[t] = 0.5 * y[t - 1] - 0.2 * y[t - 2] + e() + 0.4 * e();
        }
        y
    }

    #[test]
    fn matches_the_full_kalman_filter() {
        let y = series(300);
        let cases: [(&[f64], &[f64]); 6] = [
            (&[0.5], &[]),
            (&[], &[0.4]),
            (&[0.5, -0.2, 0.1], &[0.3, 0.2]),
            (&[0.3], &[0.0, 0.0, 0.0, 0.0, 0.0, -0.9, -0.27]),
            (&[], &[0.2, 0.0, 0.0, 0.0, 0.0, 0.0, -0.98, -0.196]),
            (&[0.6, 0.0, 0.0, 0.5, -0.3], &[-0.4]),
        ];
        for (phi, theta) in cases {
            let full = StateSpace::new(phi, theta, &[], 1e6).unwrap().filter(&y).unwrap();
            let fast = arma_likelihood(phi, theta, &y).unwrap();
            // The full filter freezes its covariance once it repeats to 1e-10 (relative), which
            // moves the sums by ~1e-8 relative over 300 steps.
            assert_eq!(full.nu, fast.nu);
            assert!((full.ssq - fast.ssq).abs() <= 1e-6 * full.ssq, "{phi:?} {theta:?}: {} vs {}", full.ssq, fast.ssq);
            assert!((full.sumlog - fast.sumlog).abs() <= 1e-6, "{phi:?} {theta:?}: {} vs {}", full.sumlog, fast.sumlog);
            let (a, b) = (full.objective().unwrap(), fast.objective().unwrap());
            assert!((a - b).abs() < 1e-7);
        }
    }

    #[test]
    fn empty_and_non_finite_input() {
        assert_eq!(arma_likelihood(&[0.5], &[], &[]).unwrap().nu, 0);
        assert!(arma_likelihood(&[0.5], &[], &[1.0, f64::NAN]).is_none());
        assert!(arma_likelihood(&[0.5], &[], &[]).unwrap().objective().is_none());
    }
}
